/* SPDX-License-Identifier: MIT */
/* The host's wall clock, from the root task's time service (it reads the CMOS RTC at boot). */

#include "core/hostclock.h"

#include <client.h>
#include <hc.h>

uint64_t host_wallclock(void)
{
    uint64_t wall, tsc, hz;
    if (client_time(&wall, &tsc, &hz) != SVC_OK || !wall || !hz)
        return 0;
    return wall + (rdtsc_now() - tsc) / hz;
}
