/* SPDX-License-Identifier: MIT */
/* Simple resource allocation for root tasks: free selectors, UTCB addresses, stacks, deadlines. */
#pragma once

#include <stdint.h>

uint64_t sel_alloc(unsigned n);     /* n consecutive free selectors */
uint64_t utcb_alloc(void);          /* an unmapped page for a UTCB */
uint64_t stack_alloc(void);         /* top of a fresh 8 KiB stack */
unsigned cpu_num(void);             /* CPUs online (from the HIP) */
/* The first CPU other than 0, or 0 on a single-CPU machine. */
unsigned other_cpu(void);

/* Absolute STC deadline ms milliseconds from now (HIP STC frequency). */
uint64_t deadline_ms(unsigned ms);

/* Sleep about ms milliseconds (a down with a deadline on a private semaphore). */
void nap_ms(unsigned ms);
/* Wait until cond holds, for at most about ms milliseconds (tests under a loaded emulator). */
#define WAIT_UNTIL(cond, ms)                                                                       \
    for (unsigned wait_ms_ = 0; !(cond) && wait_ms_ < (ms); wait_ms_ += 2)                         \
    nap_ms(2)
