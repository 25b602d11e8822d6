/* SPDX-License-Identifier: MIT */
/* The I/O APIC (82093AA register model, version 0x20 with the EOI register): 24 pins to MSIs. */
#pragma once

#include "dev/vdev.h"

#define IOAPIC_PINS      24u
#define IOAPIC_MMIO_SIZE 0x1000u    /* the 4 KiB page; IOREGSEL 0x00, IOWIN 0x10, EOI 0x40 */
#define IOAPIC_VERSION   0x00170020u /* 24 entries (max index 0x17), version 0x20 */

/* Redirection entry fields (bits 31:0 unless noted). */
#define IOAPIC_RTE_VECTOR   0xffull
#define IOAPIC_RTE_MODE_SHIFT 8
#define IOAPIC_RTE_LOGICAL  (1ull << 11)
#define IOAPIC_RTE_STATUS   (1ull << 12) /* delivery status, read-only (always idle here) */
#define IOAPIC_RTE_POLARITY (1ull << 13) /* stored only: see ioapic_set_irq */
#define IOAPIC_RTE_RIRR     (1ull << 14) /* remote IRR, read-only */
#define IOAPIC_RTE_LEVEL    (1ull << 15)
#define IOAPIC_RTE_MASK     (1ull << 16)
#define IOAPIC_RTE_DEST_SHIFT 56

/* Delivery modes (bits 10:8). */
enum {
    IOAPIC_DM_FIXED = 0, IOAPIC_DM_LOWEST = 1, IOAPIC_DM_SMI = 2, IOAPIC_DM_NMI = 4,
    IOAPIC_DM_INIT = 5, IOAPIC_DM_EXTINT = 7,
};

struct ioapic {
    struct vm *vm;
    uint64_t base;
    uint32_t id;                    /* the ID register's 4-bit ID (bits 27:24) */
    uint32_t regsel;                /* IOREGSEL: the index IOWIN reaches */
    uint64_t rte[IOAPIC_PINS];      /* redirection table */
    bool line[IOAPIC_PINS];         /* input levels, true = asserted */
    bool logged_access, logged_mode;
};

/* Put the IOAPIC at power-on state and claim [base, base + IOAPIC_MMIO_SIZE). */
void ioapic_init(struct ioapic *io, struct vm *vm, uint64_t base, unsigned id);
/* Machine reset: every entry masked and zero, IOREGSEL 0; the ID and the input lines stay. */
void ioapic_reset(struct ioapic *io);
/* Drive pin's input. level is in asserted terms (true = the device requests an interrupt), so the
   VMM does not apply the entry's polarity bit: it is stored for the guest to read back only.
   Edge entries deliver on a rising edge while unmasked; an edge while masked is lost (82093AA:
   edges on a masked pin are neither delivered nor held pending). Level entries deliver while the
   line is asserted, unmasked and remote IRR is clear, then set remote IRR. */
void ioapic_set_irq(struct ioapic *io, unsigned pin, bool level);
/* A local APIC ended a level-triggered interrupt with this vector (vdev_eoi): clear remote IRR of
   the level entries with this vector and deliver again if their line is still asserted. */
void ioapic_eoi(struct ioapic *io, unsigned vector);

/* The register block, for the VMM core's own dispatch if it does not use vdev_mmio_register. */
uint64_t ioapic_mmio_read(void *dev, uint64_t offset, unsigned size);
void ioapic_mmio_write(void *dev, uint64_t offset, unsigned size, uint64_t value);
