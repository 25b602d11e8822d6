/* SPDX-License-Identifier: MIT */
/* The PC's 8254 interval timer (ports 0x40-0x43) and port B (0x61: channel 2's gate and OUT, refresh toggle). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "dev/vdev.h"

#define I8254_HZ 1193182u

/* One counter. Its counting element is computed from time (input clock ticks since the VM started),
   never ticked. */
struct i8254_channel {
    uint8_t mode;               /* as written (0-7; 6 and 7 work as 2 and 3) */
    uint8_t access;             /* 1 LSB, 2 MSB, 3 LSB then MSB */
    bool bcd;
    bool write_msb;             /* access 3: the next count byte written is the MSB */
    bool read_msb;              /* access 3: the next live count byte read is the MSB */
    uint8_t write_lsb;          /* access 3: the LSB written first */
    uint8_t latch_state;        /* latched count bytes left to read: 0 none, 1 LSB, 2 MSB, 3 LSB then MSB */
    uint16_t latch;             /* the latched count as read (BCD digits in BCD mode) */
    bool status_latched;
    uint8_t status;
    bool gate;
    bool has_count;             /* a count was written since the control word */
    bool null_count;            /* the count written has not reached the counting element yet */
    bool running;               /* the counting element counts from start_tick */
    bool done;                  /* modes 0 and 4: terminal count passed in an earlier run (gate pauses) */
    bool reload_pending;        /* modes 2 and 3: reload becomes the period when the current one ends */
    uint32_t reload;            /* the count register: 1..65536 (1..10000 in BCD) */
    uint32_t ce;                /* counting element at start_tick (1..modulus); the period in modes 2 and 3 */
    uint32_t frozen;            /* counting element while not counting (0..modulus - 1) */
    uint64_t start_tick;
};

struct i8254 {
    struct vm *vm;
    struct i8254_channel ch[3];
    bool speaker;               /* port 0x61 bit 1, stored only */
    bool irq_level;             /* what GSI 0 was last driven to */
    uint64_t edge_tick;         /* the tick of channel 0's next edge, when timer is armed */
    struct vtimer timer;        /* fires at channel 0's next edge */
};

/* Claim ports 0x40-0x43 and 0x61; power-on: every counter as after control word 0x30 (mode 0,
   LSB then MSB, no count: OUT low, not counting), channel 2's gate low, GSI 0 low. Channel 0
   drives GSI 0 (vdev_irq_set / vdev_irq_pulse) from its own timer; nothing else needs calling. */
void i8254_init(struct i8254 *pit, struct vm *vm);
