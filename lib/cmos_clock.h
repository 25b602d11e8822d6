/* SPDX-License-Identifier: MIT */
/* The host's wall clock from its CMOS RTC, for the root task (which serves it as SVC_TIME). */
#pragma once

#include <stdint.h>

/* Take the RTC's ports from PD_NOVA and read it: seconds since 1970-01-01 00:00:00 UTC (the RTC is
   taken to hold UTC); 0 if unreadable. */
uint64_t cmos_clock_read(void);
