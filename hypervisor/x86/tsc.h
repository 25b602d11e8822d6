/* SPDX-License-Identifier: MIT */
/* TSC frequency: the system time counter (STC) of the ABI. */
#pragma once

#include <stdint.h>

/* Measure the TSC frequency in Hz (CPUID leaf 0x15 where it is complete, else against the PIT). */
uint64_t tsc_measure_hz(void);
/* The frequency measured at boot (0 before). */
extern uint64_t tsc_hz;
/* Busy-wait for about us microseconds (needs tsc_hz). */
void tsc_delay_us(uint64_t us);
