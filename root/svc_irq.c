/* SPDX-License-Identifier: MIT */
/* The interrupt service: a GSI or a PCI device's MSI routed to one client's CPU, its semaphore
   delegated with the down right only; masked and taken back when the client ends. */

#include "drivers.h"
#include "console.h"
#include "sel.h"

#include <hc.h>
#include <lock.h>
#include <nova/descriptors.h>
#include <nova/hypercall.h>
#include <nova/selectors.h>

#define DRAIN_DEADLINE 1ull   /* a TSC value long past: sm_down does not wait */
#define GSI_FLAGS     (NOVA_ASSIGN_INT_T | NOVA_ASSIGN_INT_P)

struct irq {
    struct client *owner;  /* NULL when free */
    unsigned slot;         /* its selector in the owner's space: SVC_SEL_IRQ + slot */
    unsigned bdf;          /* the MSI's requester */
    bool taken;            /* the semaphore is at SEL_DRV_IRQS + index in our space */
};

/* GSIs the root keeps (identity routing until ACPI lands). */
static const struct {
    unsigned gsi;
    const char *what;
} kept[] = {
    {0, "the PIT"}, {2, "the PIC cascade"}, {4, "COM1"}, {8, "the RTC"}, {9, "the ACPI SCI"},
};

_Static_assert(SVC_IRQ_MAX <= 32, "free_slot keeps a client's slots in 32 bits");
_Static_assert(SVC_SEL_IRQ > SVC_SEL_CALL, "interrupt selectors above the service portal");

static struct irq irqs[NOVA_INT_VECTORS];
static unsigned pins, msis;
static struct lock irq_lock;

void svc_irq_init(const struct nova_hip *hip, uint64_t sel)
{
    lock_init(&irq_lock, sel);
    pins = hip->int_pin < NOVA_INT_VECTORS ? hip->int_pin : NOVA_INT_VECTORS;
    msis = hip->int_msi < NOVA_INT_VECTORS - pins ? hip->int_msi : NOVA_INT_VECTORS - pins;
}

static unsigned assign(unsigned index, unsigned flags, unsigned cpu, unsigned bdf, uint64_t *addr, uint64_t *data)
{
    struct hc_out o = {0, 0};
    unsigned st = hc_raw(nova_hc_id(NOVA_ASSIGN_INT, flags, SEL_DRV_IRQS + index), cpu, bdf, 0, 0, &o);
    *addr = o.rsi;
    *data = o.rdx;
    return st;
}

/* A free slot of c's interrupt selectors, or SVC_IRQ_MAX. */
static unsigned free_slot(const struct client *c)
{
    uint32_t used = 0;
    for (unsigned i = 0; i < pins + msis; i++)
        if (irqs[i].owner == c)
            used |= 1u << irqs[i].slot;
    unsigned s = 0;
    while (s < SVC_IRQ_MAX && (used & (1u << s)))
        s++;
    return s;
}

/* Route interrupt index to c's CPU and give c its semaphore; SVC_OK or why not. */
static unsigned route(struct client *c, unsigned index, unsigned flags, unsigned bdf, uint64_t *addr,
                      uint64_t *data)
{
    struct irq *q = &irqs[index];
    unsigned slot = free_slot(c);
    if (slot == SVC_IRQ_MAX)
        return SVC_E_FULL;
    if (!q->taken)
        q->taken = hc_ctrl_pd(NOVA_SEL_PD_NOVA, NOVA_SEL_PD_ROOT, NOVA_SEL_INT_BASE + index, SEL_DRV_IRQS + index,
                              0, NOVA_PERM_SM_INT, NOVA_SPC_OBJ, 0, 0) == NOVA_SUCCESS;
    if (!q->taken || assign(index, flags | NOVA_ASSIGN_INT_M, c->cpu, bdf, addr, data) != NOVA_SUCCESS)
        return SVC_E_DENIED;
    /* The new owner starts at zero: drop what arrived for an earlier one while it stays masked.
       The down must run on the CPU it is routed to: c's handler thread, this one, runs there. */
    hc_sm_down(SEL_DRV_IRQS + index, 1, DRAIN_DEADLINE);
    assign(index, flags, c->cpu, bdf, addr, data);
    if (hc_ctrl_pd(NOVA_SEL_PD_ROOT, c->sel + CS_PD, SEL_DRV_IRQS + index, SVC_SEL_IRQ + slot, 0,
                   NOVA_PERM_SM_CTRL_DN, NOVA_SPC_OBJ, 0, 0) != NOVA_SUCCESS) {
        assign(index, NOVA_ASSIGN_INT_M, c->cpu, bdf, addr, data);
        return SVC_E_DENIED;
    }
    *q = (struct irq){c, slot, bdf, true};
    return SVC_OK;
}

static unsigned irq_gsi(struct client *c, uint64_t gsi, uint64_t flags, uint64_t *w)
{
    if (gsi >= pins || (flags & ~(uint64_t)GSI_FLAGS)) {
        w[0] = SVC_E_REQUEST;
        return 1;
    }
    unsigned g = (unsigned)gsi, st = SVC_OK;
    const char *why = "";
    uint64_t addr, data;
    for (unsigned i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
        if (kept[i].gsi == g) {
            st = SVC_E_DENIED;
            why = kept[i].what;
        }
    lock_take(&irq_lock);
    if (st == SVC_OK && irqs[g].owner) {
        st = SVC_E_BUSY;
        why = irqs[g].owner->name;
    }
    if (st == SVC_OK)
        st = route(c, g, (unsigned)flags, 0, &addr, &data);
    unsigned slot = irqs[g].slot;
    lock_give(&irq_lock);

    if (st == SVC_OK)
        say("root: %s: gsi %u routed to cpu %u (selector %#x)\n", c->name, g, c->cpu, SVC_SEL_IRQ + slot);
    else if (st == SVC_E_BUSY)
        say("root: %s: gsi %u refused: held by %s\n", c->name, g, why);
    else if (*why)
        say("root: %s: gsi %u refused: the root keeps it (%s)\n", c->name, g, why);
    else
        say("root: %s: gsi %u refused: %s\n", c->name, g,
            st == SVC_E_FULL ? "it holds as many interrupts as it may" : "the hypervisor does not route it");
    w[0] = st;
    w[1] = SVC_SEL_IRQ + slot;
    return 2;
}

static unsigned irq_msi(struct client *c, uint64_t bdf, uint64_t *w)
{
    if (bdf > SVC_PCI_BDF_MAX) {
        w[0] = SVC_E_REQUEST;
        return 1;
    }
    unsigned b = (unsigned)bdf, st = svc_pci_owns(c, b) ? SVC_E_FULL : SVC_E_DENIED, index = pins + msis;
    uint64_t addr = 0, data = 0;
    lock_take(&irq_lock);
    for (unsigned i = pins; i < pins + msis && st == SVC_E_FULL; i++)
        if (!irqs[i].owner) {
            index = i;
            st = route(c, i, 0, b, &addr, &data);
        }
    unsigned slot = index < pins + msis ? irqs[index].slot : 0;
    lock_give(&irq_lock);

    unsigned bus = SVC_PCI_BUS(b), dev = SVC_PCI_DEV(b), fn = SVC_PCI_FN(b);
    if (st == SVC_OK)
        say("root: %s: msi of %02x:%02x.%u routed to cpu %u (selector %#x, address %#lx, data %#lx)\n", c->name,
            bus, dev, fn, c->cpu, SVC_SEL_IRQ + slot, addr, data);
    else
        say("root: %s: msi of %02x:%02x.%u refused: %s\n", c->name, bus, dev, fn,
            st == SVC_E_DENIED ? "not its device" : "no free vector, or it holds as many interrupts as it may");
    w[0] = st;
    w[1] = SVC_SEL_IRQ + slot;
    w[2] = addr;
    w[3] = data;
    return 4;
}

unsigned svc_irq_call(struct client *c, uint64_t *w, unsigned words)
{
    if (words >= 4 && w[1] == SVC_IRQ_GSI)
        return irq_gsi(c, w[2], w[3], w);
    if (words >= 3 && w[1] == SVC_IRQ_MSI)
        return irq_msi(c, w[2], w);
    w[0] = SVC_E_REQUEST;
    return 1;
}

void svc_irq_release(struct client *c)
{
    uint64_t addr, data;
    lock_take(&irq_lock);
    for (unsigned i = 0; i < pins + msis; i++)
        if (irqs[i].owner == c) {
            assign(i, NOVA_ASSIGN_INT_M, c->cpu, irqs[i].bdf, &addr, &data);
            irqs[i].owner = 0;
        }
    lock_give(&irq_lock);
}
