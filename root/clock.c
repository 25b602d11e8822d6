/* SPDX-License-Identifier: MIT */
/* SVC_TIME: the wall clock the root read from the CMOS RTC at boot, with the TSC it belongs to. */

#include "clock.h"

#include <cmos_clock.h>
#include <hc.h>
#include <nova/hip.h>

static uint64_t wall, wall_tsc;

void clock_init(void)
{
    wall_tsc = rdtsc_now();
    wall = cmos_clock_read();
}

void clock_now(uint64_t *seconds, uint64_t *tsc, uint64_t *tsc_hz)
{
    *seconds = wall;
    *tsc = wall_tsc;
    *tsc_hz = ((const struct nova_hip *)NOVA_HIP_VADDR)->stc_freq;
}
