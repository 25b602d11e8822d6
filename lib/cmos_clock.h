/* SPDX-License-Identifier: MIT */
/* The host's CMOS RTC: its registers, and the wall clock the root task serves as SVC_TIME. */
#pragma once

#include <stdint.h>

/* Take the RTC's ports from PD_NOVA and read it: seconds since 1970-01-01 00:00:00 UTC (the RTC is
   taken to hold UTC); 0 if unreadable. */
uint64_t cmos_clock_read(void);

#define CMOS_INDEX 0x70  /* the index and data ports (the caller holds them) */
#define CMOS_DATA  0x71
/* CMOS register reg; the caller must hold ports CMOS_INDEX and CMOS_DATA. */
uint8_t cmos_read(uint8_t reg);
void cmos_write(uint8_t reg, uint8_t value);
