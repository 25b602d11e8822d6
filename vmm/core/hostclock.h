/* SPDX-License-Identifier: MIT */
/* The host's wall clock, read once from its CMOS RTC (the guest's RTC counts on from there). */
#pragma once

#include <stdint.h>

/* Seconds since 1970-01-01 00:00:00 UTC (the RTC is taken to hold UTC); 0 if unreadable. */
uint64_t host_wallclock(void);
/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
