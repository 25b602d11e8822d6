/* SPDX-License-Identifier: MIT */
/* Interrupt descriptor table: 256 gates to the stubs in entry.S. */
#pragma once

#include <stdint.h>

void idt_init(void);
void idt_load(void);
uint64_t idt_base(void);
