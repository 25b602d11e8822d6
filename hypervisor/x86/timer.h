/* SPDX-License-Identifier: MIT */
/* One-shot LAPIC timer at an absolute TSC deadline (TSC-deadline mode where the CPU has it). */
#pragma once

#include <stdint.h>

/* Per CPU, after lapic_init; the first call measures the LAPIC timer rate if needed. */
void timer_init(void);
/* Raise VEC_TIMER at TSC value deadline (0: no interrupt). */
void timer_program(uint64_t deadline);
