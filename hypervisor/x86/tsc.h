/* SPDX-License-Identifier: MIT */
/* TSC frequency: the system time counter (STC) of the ABI. */
#pragma once

#include <stdint.h>

/* Measure the TSC frequency in Hz (CPUID leaf 0x15 where it is complete, else against the PIT). */
uint64_t tsc_measure_hz(void);
