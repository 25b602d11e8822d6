/* SPDX-License-Identifier: MIT */
/* I/O APICs: global system interrupts (GSIs) routed to a vector on one CPU. */

#include "x86/ioapic.h"
#include "core/spinlock.h"
#include "x86/acpi_tables.h"
#include "x86/paging.h"

/* Registers (82093AA datasheet): index at 0x00, data window at 0x10. */
#define IOREGSEL        0x00
#define IOWIN           0x10
#define IOAPIC_VER      0x01
#define IOAPIC_RTE(n)   (0x10 + 2 * (n))
#define RTE_ACTIVE_LOW  (1u << 13)
#define RTE_LEVEL       (1u << 15)
#define RTE_MASKED      (1u << 16)

static struct ioapic {
    volatile uint32_t *mmio;
    unsigned gsi_base, pins;
    struct spinlock lock;
    uint32_t rte_low[240];      /* what we programmed, so mask changes keep the rest */
    uint32_t rte_high[240];     /* and the destinations, for ioapic_resume */
} ioapics[ACPI_MAX_IOAPICS];
static unsigned nioapic;

static uint32_t rd(struct ioapic *a, uint32_t reg)
{
    a->mmio[IOREGSEL / 4] = reg;
    return a->mmio[IOWIN / 4];
}

static void wr(struct ioapic *a, uint32_t reg, uint32_t v)
{
    a->mmio[IOREGSEL / 4] = reg;
    a->mmio[IOWIN / 4] = v;
}

static struct ioapic *find(unsigned gsi, unsigned *pin)
{
    for (unsigned i = 0; i < nioapic; i++)
        if (gsi >= ioapics[i].gsi_base && gsi - ioapics[i].gsi_base < ioapics[i].pins) {
            *pin = gsi - ioapics[i].gsi_base;
            return &ioapics[i];
        }
    return 0;
}

unsigned ioapic_init(void)
{
    unsigned gsis = 0;
    for (unsigned i = 0; i < acpi.nioapic; i++) {
        struct ioapic *a = &ioapics[nioapic];
        a->mmio = paging_kernel_uc(acpi.ioapic[i]);
        if (!a->mmio)
            continue;
        a->gsi_base = acpi.ioapic_gsi_base[i];
        a->pins = ((rd(a, IOAPIC_VER) >> 16) & 0xff) + 1;
        if (a->pins > 240)
            a->pins = 240;
        for (unsigned p = 0; p < a->pins; p++) {
            a->rte_low[p] = RTE_MASKED;
            wr(a, IOAPIC_RTE(p) + 1, 0);
            wr(a, IOAPIC_RTE(p), RTE_MASKED);
        }
        if (a->gsi_base + a->pins > gsis)
            gsis = a->gsi_base + a->pins;
        nioapic++;
    }
    return gsis;
}

void ioapic_route(unsigned gsi, uint8_t vector, uint32_t apic_id, bool level, bool active_low, bool masked)
{
    unsigned pin;
    struct ioapic *a = find(gsi, &pin);
    if (!a)
        return;
    uint32_t low = vector | (level ? RTE_LEVEL : 0) | (active_low ? RTE_ACTIVE_LOW : 0) | (masked ? RTE_MASKED : 0);
    spin_lock(&a->lock);
    wr(a, IOAPIC_RTE(pin), RTE_MASKED);
    wr(a, IOAPIC_RTE(pin) + 1, apic_id << 24);
    wr(a, IOAPIC_RTE(pin), low);
    a->rte_low[pin] = low;
    a->rte_high[pin] = apic_id << 24;
    spin_unlock(&a->lock);
}

void ioapic_mask(unsigned gsi, bool masked)
{
    unsigned pin;
    struct ioapic *a = find(gsi, &pin);
    if (!a)
        return;
    spin_lock(&a->lock);
    uint32_t low = masked ? a->rte_low[pin] | RTE_MASKED : a->rte_low[pin] & ~RTE_MASKED;
    a->rte_low[pin] = low;
    wr(a, IOAPIC_RTE(pin), low);
    spin_unlock(&a->lock);
}

void ioapic_resume(void)
{
    for (unsigned i = 0; i < nioapic; i++) {
        struct ioapic *a = &ioapics[i];
        for (unsigned p = 0; p < a->pins; p++) {
            wr(a, IOAPIC_RTE(p), RTE_MASKED);
            wr(a, IOAPIC_RTE(p) + 1, a->rte_high[p]);
            wr(a, IOAPIC_RTE(p), a->rte_low[p]);
        }
    }
}
