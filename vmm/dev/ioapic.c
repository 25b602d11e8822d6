/* SPDX-License-Identifier: MIT */
/* The I/O APIC: indirect register access, the redirection table and delivery as MSIs. */

#include "dev/ioapic.h"

#include <string.h>

#define REG_IOREGSEL 0x00
#define REG_IOWIN    0x10
#define REG_EOI      0x40

#define IDX_ID      0x00
#define IDX_VERSION 0x01
#define IDX_ARB     0x02
#define IDX_RTE     0x10

#define ID_SHIFT 24
#define ID_MASK  0xfu
/* Bits the guest may write: vector, delivery mode, destination mode, polarity, trigger, mask;
   and the destination byte of the high half. */
#define RTE_LOW_RW  (IOAPIC_RTE_VECTOR | 7ull << IOAPIC_RTE_MODE_SHIFT | IOAPIC_RTE_LOGICAL | \
                     IOAPIC_RTE_POLARITY | IOAPIC_RTE_LEVEL | IOAPIC_RTE_MASK)
#define RTE_HIGH_RW (0xffull << IOAPIC_RTE_DEST_SHIFT)

static const struct vdev_ops ioapic_ops = {ioapic_mmio_read, ioapic_mmio_write};

static unsigned rte_mode(uint64_t rte)
{
    return (rte >> IOAPIC_RTE_MODE_SHIFT) & 7;
}

/* NMI, INIT and ExtINT are always edge-triggered, whatever the trigger bit says (datasheet). */
static bool rte_level(uint64_t rte)
{
    unsigned mode = rte_mode(rte);
    return (rte & IOAPIC_RTE_LEVEL) && (mode == IOAPIC_DM_FIXED || mode == IOAPIC_DM_LOWEST);
}

/* Send pin's entry as an MSI; level entries then wait for the EOI (remote IRR). */
static void deliver(struct ioapic *io, unsigned pin)
{
    uint64_t rte = io->rte[pin];
    unsigned mode = rte_mode(rte);
    if (mode == IOAPIC_DM_SMI || mode == 3 || mode == 6) {
        if (!io->logged_mode)
            vdev_log(io->vm, "ioapic: pin %u: delivery mode %u not supported, dropped", pin, mode);
        io->logged_mode = true;
        return;
    }
    bool level = rte_level(rte);
    uint64_t address = 0xfee00000ull | (rte >> IOAPIC_RTE_DEST_SHIFT) << 12 | ((rte & IOAPIC_RTE_LOGICAL) ? 4 : 0);
    uint32_t data = (uint32_t)(rte & IOAPIC_RTE_VECTOR) | mode << 8 | 1u << 14 | (level ? 1u << 15 : 0);
    if (level)
        io->rte[pin] |= IOAPIC_RTE_RIRR;
    vdev_msi(io->vm, address, data);
}

/* Deliver a level entry whose line is asserted if nothing holds it back. */
static void service_level(struct ioapic *io, unsigned pin)
{
    uint64_t rte = io->rte[pin];
    if (io->line[pin] && rte_level(rte) && !(rte & (IOAPIC_RTE_MASK | IOAPIC_RTE_RIRR)))
        deliver(io, pin);
}

void ioapic_reset(struct ioapic *io)
{
    io->regsel = 0;
    for (unsigned i = 0; i < IOAPIC_PINS; i++)
        io->rte[i] = IOAPIC_RTE_MASK;
}

void ioapic_init(struct ioapic *io, struct vm *vm, uint64_t base, unsigned id)
{
    memset(io, 0, sizeof(*io));
    io->vm = vm;
    io->base = base;
    io->id = id & ID_MASK;
    ioapic_reset(io);
    if (vdev_mmio_register(vm, base, IOAPIC_MMIO_SIZE, &ioapic_ops, io) < 0)
        vdev_log(vm, "ioapic: cannot claim MMIO at %#llx", (unsigned long long)base);
}

void ioapic_set_irq(struct ioapic *io, unsigned pin, bool level)
{
    if (pin >= IOAPIC_PINS)
        return;
    bool rising = level && !io->line[pin];
    io->line[pin] = level;
    uint64_t rte = io->rte[pin];
    if (rte_level(rte))
        service_level(io, pin);
    else if (rising && !(rte & IOAPIC_RTE_MASK))
        deliver(io, pin);
}

void ioapic_eoi(struct ioapic *io, unsigned vector)
{
    for (unsigned pin = 0; pin < IOAPIC_PINS; pin++) {
        uint64_t rte = io->rte[pin];
        if ((rte & IOAPIC_RTE_RIRR) && rte_level(rte) && (rte & IOAPIC_RTE_VECTOR) == (vector & 0xff)) {
            io->rte[pin] &= ~IOAPIC_RTE_RIRR;
            service_level(io, pin);
        }
    }
}

static uint32_t reg_read(struct ioapic *io, uint32_t index)
{
    switch (index) {
    case IDX_ID:
    case IDX_ARB:   /* the arbitration ID follows the ID */
        return io->id << ID_SHIFT;
    case IDX_VERSION:
        return IOAPIC_VERSION;
    }
    if (index >= IDX_RTE && index < IDX_RTE + 2 * IOAPIC_PINS) {
        uint64_t rte = io->rte[(index - IDX_RTE) / 2];
        return (uint32_t)(index & 1 ? rte >> 32 : rte);
    }
    return 0;
}

static void rte_write(struct ioapic *io, unsigned pin, bool high, uint32_t value)
{
    uint64_t rte = io->rte[pin];
    if (high) {
        rte = (rte & ~RTE_HIGH_RW) | ((uint64_t)value << 32 & RTE_HIGH_RW);
    } else {
        rte = (rte & ~RTE_LOW_RW) | (value & RTE_LOW_RW);
        /* Remote IRR means nothing for edge entries; Linux clears a stuck one by switching to edge. */
        if (!(rte & IOAPIC_RTE_LEVEL))
            rte &= ~IOAPIC_RTE_RIRR;
    }
    io->rte[pin] = rte;
    service_level(io, pin); /* unmasking an asserted level pin delivers */
}

static void reg_write(struct ioapic *io, uint32_t index, uint32_t value)
{
    if (index == IDX_ID)
        io->id = (value >> ID_SHIFT) & ID_MASK;
    else if (index >= IDX_RTE && index < IDX_RTE + 2 * IOAPIC_PINS)
        rte_write(io, (index - IDX_RTE) / 2, index & 1, value);
    /* version, arbitration and unknown indexes are read-only / ignored */
}

static bool bad_access(struct ioapic *io, uint64_t offset, unsigned size)
{
    if (size == 4 && (offset == REG_IOREGSEL || offset == REG_IOWIN || offset == REG_EOI))
        return false;
    if (!io->logged_access)
        vdev_log(io->vm, "ioapic: ignored %u-byte access at offset %#llx", size, (unsigned long long)offset);
    io->logged_access = true;
    return true;
}

uint64_t ioapic_mmio_read(void *dev, uint64_t offset, unsigned size)
{
    struct ioapic *io = dev;
    if (bad_access(io, offset, size))
        return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
    if (offset == REG_IOREGSEL)
        return io->regsel;
    if (offset == REG_IOWIN)
        return reg_read(io, io->regsel);
    return 0; /* the EOI register is write-only */
}

void ioapic_mmio_write(void *dev, uint64_t offset, unsigned size, uint64_t value)
{
    struct ioapic *io = dev;
    if (bad_access(io, offset, size))
        return;
    if (offset == REG_IOREGSEL)
        io->regsel = (uint32_t)value & 0xff;
    else if (offset == REG_IOWIN)
        reg_write(io, io->regsel, (uint32_t)value);
    else
        ioapic_eoi(io, (uint32_t)value & 0xff);
}
