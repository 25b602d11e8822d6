/* SPDX-License-Identifier: MIT */
/* The host's wall clock, from the root task (the guest's RTC counts on from there). */
#pragma once

#include <stdint.h>

/* Seconds since 1970-01-01 00:00:00 UTC (the RTC is taken to hold UTC); 0 if unreadable. */
uint64_t host_wallclock(void);
