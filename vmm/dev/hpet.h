/* SPDX-License-Identifier: MIT */
/* HPET (IA-PC HPET specification 1.0a): a 100 MHz 64-bit main counter and three comparators. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "dev/vdev.h"

#define HPET_TIMERS         3
#define HPET_MMIO_SIZE      0x400
#define HPET_PERIOD_FS      10000000u   /* 10 ns: 100 MHz */
#define HPET_NS_PER_TICK    10u

/* General capabilities and ID, low half (also the ACPI HPET table's event timer block ID). */
#define HPET_CAP_REV            0x01u
#define HPET_CAP_NUM_TIM_SHIFT  8           /* number of timers - 1 */
#define HPET_CAP_COUNT_SIZE     (1u << 13)  /* 64-bit main counter */
#define HPET_CAP_LEG_RT         (1u << 15)
#define HPET_CAP_VENDOR_SHIFT   16
#define HPET_VENDOR             0x8086u
#define HPET_CAP_ID_LOW \
    (HPET_CAP_REV | (HPET_TIMERS - 1u) << HPET_CAP_NUM_TIM_SHIFT | HPET_CAP_COUNT_SIZE | HPET_CAP_LEG_RT | \
     HPET_VENDOR << HPET_CAP_VENDOR_SHIFT)

/* Register offsets. */
#define HPET_REG_CAP        0x000
#define HPET_REG_CONFIG     0x010
#define HPET_REG_ISR        0x020
#define HPET_REG_COUNTER    0x0f0
#define HPET_REG_TN_CONFIG(n)   (0x100 + 0x20 * (n))
#define HPET_REG_TN_CMP(n)      (0x108 + 0x20 * (n))
#define HPET_REG_TN_FSB(n)      (0x110 + 0x20 * (n))

/* General configuration. */
#define HPET_CFG_ENABLE     (1u << 0)
#define HPET_CFG_LEG_RT     (1u << 1)

/* Timer n configuration and capabilities. */
#define HPET_TN_INT_TYPE    (1u << 1)   /* 1 = level */
#define HPET_TN_INT_ENB     (1u << 2)
#define HPET_TN_TYPE        (1u << 3)   /* 1 = periodic */
#define HPET_TN_PER_INT_CAP (1u << 4)
#define HPET_TN_SIZE_CAP    (1u << 5)
#define HPET_TN_VAL_SET     (1u << 6)
#define HPET_TN_32MODE      (1u << 8)
#define HPET_TN_ROUTE_SHIFT 9
#define HPET_TN_ROUTE_MASK  (0x1fu << HPET_TN_ROUTE_SHIFT)
#define HPET_TN_FSB_EN      (1u << 14)
#define HPET_TN_FSB_CAP     (1u << 15)
/* IOAPIC pins every timer may be routed to (bits 63:32 of the register): 2 and 8 (the legacy
   lines) and 20-23. Pin 2 is driven as GSI 0, the line the VMM connects to IOAPIC pin 2. */
#define HPET_ROUTE_CAP      ((1u << 2) | (1u << 8) | (0xfu << 20))

struct hpet_timer {
    struct hpet *hpet;
    unsigned index;
    uint64_t config;        /* writable bits of Tn_CONF (capabilities are added on read) */
    uint64_t cmp;           /* comparator (the accumulator in periodic mode) */
    uint64_t period;        /* periodic increment: the last value written to the comparator */
    uint64_t target;        /* main counter value at which the armed vtimer fires */
    bool wrap;              /* the armed event is a 32-bit wrap, not a comparator match */
    struct vtimer vt;
};

struct hpet {
    struct vm *vm;
    uint64_t config;        /* general configuration */
    uint64_t isr;           /* general interrupt status */
    uint64_t counter;       /* main counter while halted; its value at base_ns while running */
    uint64_t base_ns;
    uint32_t lines;         /* GSIs currently asserted (level-triggered timers) */
    bool logged_width, logged_counter, logged_route, logged_period;
    struct hpet_timer timer[HPET_TIMERS];
};

/* Reset state and 1 KiB of MMIO at base. */
void hpet_init(struct hpet *h, struct vm *vm, uint64_t base);
/* Whether legacy replacement routing is on: the PIT must then not drive GSI 0 and the RTC not
   GSI 8 (the HPET's timers 0 and 1 own them). */
bool hpet_legacy_enabled(const struct hpet *h);
