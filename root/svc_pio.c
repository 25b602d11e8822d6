/* SPDX-License-Identifier: MIT */
/* The I/O port service: port ranges delegated to one client at a time, never the root's own. */

#include "drivers.h"
#include "console.h"

#include <hc.h>
#include <lock.h>
#include <nova/descriptors.h>
#include <nova/selectors.h>

#define PORTS       0x10000u   /* the I/O address space */
#define PIO_RANGES  32         /* ranges held by all clients together */
#define PIO_ORDER_MAX 16

struct pio_range {
    unsigned base, count;
    const char *what;          /* kept[] only */
    struct client *owner;      /* held[] only; NULL when free */
};

/* Ports the root keeps for itself (or for the hypervisor's and QEMU's use). */
static const struct pio_range kept[] = {
    {0x0020, 2, "the PIC", 0},          {0x00a0, 2, "the PIC", 0},
    {0x04d0, 2, "the PIC's ELCR", 0},   {0x0040, 4, "the PIT", 0},
    {0x0061, 1, "the PIT gate", 0},     {0x0070, 8, "the CMOS", 0},
    {0x00b2, 2, "APM/SMI", 0},          {0x00f4, 4, "the QEMU exit port", 0},
    {0x03f8, 8, "COM1", 0},             {0x0cf8, 8, "PCI configuration", 0},
    {0x0600, 0x80, "the ACPI PM registers (q35)", 0},
    {0xb000, 0x40, "the ACPI PM registers (PIIX4)", 0},
};

static struct pio_range held[PIO_RANGES];
static struct lock pio_lock;

void svc_pio_init(uint64_t sel)
{
    lock_init(&pio_lock, sel);
}

static bool overlap(const struct pio_range *r, unsigned base, unsigned count)
{
    return base < r->base + r->count && r->base < base + count;
}

/* Delegate [base, base + count) from PD_NOVA to pd with permissions pmm (0 takes them back), in
   naturally aligned pieces as ctrl_pd wants them. */
static unsigned pio_delegate(uint64_t pd, unsigned base, unsigned count, unsigned pmm)
{
    unsigned st = NOVA_SUCCESS;
    for (unsigned end = base + count; base < end && st == NOVA_SUCCESS;) {
        unsigned ord = 0;
        while (ord < PIO_ORDER_MAX && !(base & (1u << ord)) && base + (2u << ord) <= end)
            ord++;
        st = hc_ctrl_pd(NOVA_SEL_PD_NOVA, pd, base, base, ord, pmm, NOVA_SPC_PIO, NOVA_ACC_CPU_HST, 0);
        base += 1u << ord;
    }
    return st;
}

/* Why c cannot have the range (what), or SVC_OK and a free slot in *slot. */
static unsigned pio_check(unsigned base, unsigned count, const char **what, struct pio_range **slot)
{
    for (unsigned i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
        if (overlap(&kept[i], base, count)) {
            *what = kept[i].what;
            return SVC_E_DENIED;
        }
    *slot = 0;
    for (unsigned i = 0; i < PIO_RANGES; i++) {
        if (held[i].owner && overlap(&held[i], base, count)) {
            *what = held[i].owner->name;
            return SVC_E_BUSY;
        }
        if (!held[i].owner && !*slot)
            *slot = &held[i];
    }
    return *slot ? SVC_OK : SVC_E_FULL;
}

unsigned svc_pio_call(struct client *c, uint64_t *w, unsigned words)
{
    if (words < 3 || w[2] == 0 || w[1] >= PORTS || w[2] > PORTS - w[1]) {
        w[0] = SVC_E_REQUEST;
        return 1;
    }
    unsigned base = (unsigned)w[1], count = (unsigned)w[2], last = base + count - 1;
    const char *what = "";
    struct pio_range *slot = 0;
    lock_take(&pio_lock);
    unsigned st = pio_check(base, count, &what, &slot);
    if (st == SVC_OK && pio_delegate(c->sel + CS_PD, base, count, NOVA_PERM_PIO_A) != NOVA_SUCCESS) {
        pio_delegate(c->sel + CS_PD, base, count, 0);
        st = SVC_E_DENIED;
        what = 0;
    }
    if (st == SVC_OK)
        *slot = (struct pio_range){base, count, 0, c};
    lock_give(&pio_lock);

    if (st == SVC_OK)
        say("root: %s: ports %#x-%#x granted\n", c->name, base, last);
    else if (st == SVC_E_BUSY)
        say("root: %s: ports %#x-%#x refused: held by %s\n", c->name, base, last, what);
    else if (st == SVC_E_DENIED && !what)
        say("root: %s: ports %#x-%#x refused: PD_NOVA does not give them\n", c->name, base, last);
    else if (st == SVC_E_DENIED)
        say("root: %s: ports %#x-%#x refused: the root keeps %s\n", c->name, base, last, what);
    else
        say("root: %s: ports %#x-%#x refused: the root's table of %u ranges is full\n", c->name, base, last,
            PIO_RANGES);
    w[0] = st;
    return 1;
}

void svc_pio_release(struct client *c)
{
    lock_take(&pio_lock);
    for (unsigned i = 0; i < PIO_RANGES; i++)
        if (held[i].owner == c) {
            pio_delegate(c->sel + CS_PD, held[i].base, held[i].count, 0);
            held[i].owner = 0;
        }
    lock_give(&pio_lock);
}
