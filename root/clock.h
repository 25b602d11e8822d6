/* SPDX-License-Identifier: MIT */
/* SVC_TIME: the wall clock the root read from the CMOS RTC at boot, with the TSC it belongs to. */
#pragma once

#include <stdint.h>

/* Read the RTC once (taking its ports from PD_NOVA). */
void clock_init(void);
/* The reading: seconds since 1970 (0 if the RTC was unreadable), the TSC value at that moment,
   and the TSC frequency in Hz from the HIP. */
void clock_now(uint64_t *seconds, uint64_t *tsc, uint64_t *tsc_hz);
