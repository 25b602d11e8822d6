/* SPDX-License-Identifier: MIT */
/* The PC's MC146818 real-time clock and CMOS RAM at ports 0x70 (index) and 0x71 (data), on GSI 8. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "dev/vdev.h"

#define MC146818_CMOS_SIZE 128

struct mc146818 {
    struct vm *vm;
    uint8_t index;                  /* port 0x70 bits 6:0 */
    bool nmi_masked;                /* port 0x70 bit 7: stored, no effect */
    uint8_t reg_a, reg_b, reg_c;
    bool irq_level;
    /* Time registers 0-9 and the century (0x32) live here only while the clock is held (SET or
       divider reset); alarms at 1, 3, 5 and the RAM at 0x0e-0x7f always. */
    uint8_t cmos[MC146818_CMOS_SIZE];
    int64_t base_ns;                /* the divider chain's origin: seconds end at base_ns + k * 1 s */
    int64_t epoch0;                 /* clock time (seconds since 1970) at base_ns */
    uint8_t wday_adj;               /* day of week as the guest set it, relative to the computed one */
    uint64_t pf_tick;               /* periodic tick index PF was last brought up to date with */
    struct vtimer update_timer, periodic_timer;
};

/* Reset the clock to the host's wall-clock time (register A 0x26, B 0x02: BCD, 24-hour), claim
   ports 0x70-0x71 and start the once-a-second update cycle. */
void mc146818_init(struct mc146818 *rtc, struct vm *vm);
/* Fill a CMOS RAM byte before boot (index 0x0e-0x7f except 0x32, the century; others are ignored). */
void mc146818_set_cmos(struct mc146818 *rtc, unsigned index, uint8_t value);
