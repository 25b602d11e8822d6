/* SPDX-License-Identifier: MIT */
/* Interrupt semaphores (spec 6.1.2, 5.5.2): one per vector 0x20..0xf8, pins first, then MSIs. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define IRQ_VECTOR_BASE 0x20

struct sm;

struct irq {
    struct sm *sm;
    unsigned index;             /* selector 1024 + index in PD_NOVA; vector IRQ_VECTOR_BASE + index */
    bool pin;                   /* an IOAPIC input (GSI = index), else an MSI */
    bool assigned, masked, level, active_low, guest;
    unsigned cpu;               /* where it is delivered */
    uint16_t dev;               /* MSI requester (authorised only where remapping exists) */
};

extern unsigned irq_pins, irq_msis;

/* Create the interrupt semaphores and put them into PD_NOVA's object space. */
void irq_init(void);
/* An interrupt vector fired on this CPU. */
void irq_handle(unsigned vector);
/* ctrl_sm down on an interrupt semaphore is about to run on cpu: BAD_CPU if it is routed
   elsewhere; unmasks a level-triggered pin that the last interrupt masked. */
unsigned irq_before_down(struct irq *irq, unsigned cpu);
/* assign_int: flags are the M/T/P/G bits; returns the status and the MSI address/data. */
unsigned irq_assign(struct irq *irq, unsigned flags, unsigned cpu, uint16_t dev, uint64_t *msi_addr,
                    uint64_t *msi_data);
