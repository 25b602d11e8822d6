/* SPDX-License-Identifier: MIT */
/* I/O APICs: global system interrupts (GSIs) routed to a vector on one CPU. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Map every IOAPIC of the MADT and mask all its inputs; returns the number of GSIs. */
unsigned ioapic_init(void);
/* Program a GSI: vector, destination APIC ID, level/edge, active-low/high, masked or not. */
void ioapic_route(unsigned gsi, uint8_t vector, uint32_t apic_id, bool level, bool active_low, bool masked);
void ioapic_mask(unsigned gsi, bool masked);
/* After a sleep state that reset the IOAPICs: program every pin again as it was. */
void ioapic_resume(void);
