/* SPDX-License-Identifier: MIT */
/* Per-CPU GDT and TSS, GS base, and the SYSCALL MSRs. */
#pragma once

#include <stdint.h>

struct percpu;
void gdt_load(struct percpu *c);
void gdt_set_frame(struct percpu *c, uint64_t frame_top);
