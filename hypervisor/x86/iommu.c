/* SPDX-License-Identifier: MIT */
/* DMA remapping units (Intel VT-d, AMD-Vi): the registry the ACPI parsers fill and assign_dev uses. */

#include "x86/iommu.h"
#include "core/console.h"
#include "core/memory.h"
#include "core/pd.h"
#include "core/space_dma.h"
#include "core/spinlock.h"
#include "x86/cpu.h"
#include "x86/dma_space.h"
#include "x86/paging.h"
#include "x86/tsc.h"

#include <nova/descriptors.h>
#include <nova/status.h>
#include <stddef.h>

#define DOMAINS       256u      /* domain IDs handed out (VT-d ND >= 2 has at least this many) */
#define MMIO_MAX_PAGES 128u
#define POLL_LIMIT_MS 100u      /* a unit that takes longer to answer is broken */
#define BDF_BUS(b)    ((unsigned)(b) >> 8)
#define BDF_DEV(b)    (((unsigned)(b) >> 3) & 0x1f)
#define BDF_FN(b)     ((unsigned)(b) & 0x7)

extern const struct iommu_ops vtd_ops, amdvi_ops;

static struct iommu_unit units[IOMMU_MAX_UNITS];
static unsigned nunits;
static bool any_active;
static struct spinlock lock, fault_lock;
static uint8_t did_used[DOMAINS / 8];

struct iommu_unit *iommu_add(enum iommu_kind kind, uint64_t base, uint16_t segment)
{
    for (unsigned i = 0; i < nunits; i++)
        if (units[i].base == base)
            return NULL; /* IVRS lists one IOMMU in several IVHD types: the first wins */
    if (nunits >= IOMMU_MAX_UNITS)
        return NULL;
    struct iommu_unit *u = &units[nunits++];
    *u = (struct iommu_unit){.kind = kind, .base = base, .segment = segment, .mmio_pages = 1,
                             .ops = kind == IOMMU_VTD ? &vtd_ops : &amdvi_ops};
    return u;
}

bool iommu_active(void)
{
    return any_active;
}

void iommu_init(bool disabled)
{
    for (unsigned i = 0; i < nunits; i++) {
        struct iommu_unit *u = &units[i];
        const char *kind = u->kind == IOMMU_VTD ? "VT-d" : "AMD-Vi";
        if (disabled) {
            kprintf("nova: IOMMU %s at %#lx left off (nosmmu)\n", kind, u->base);
            continue;
        }
        uint64_t pages = u->mmio_pages < MMIO_MAX_PAGES ? u->mmio_pages : MMIO_MAX_PAGES;
        for (uint64_t p = 0; p < pages; p++)
            if (!paging_kernel_uc(u->base + (p << PAGE_SHIFT)))
                break;
        u->regs = paging_kernel_uc(u->base);
        if (u->regs && (i == 0 || units[0].kind == u->kind) && u->ops->enable(u) == 0) {
            u->active = any_active = true;
            kprintf("nova: IOMMU %s at %#lx: DMA remapping on (%s, %u scopes)\n", kind, u->base,
                    u->all_devices ? "all devices" : "listed devices", u->nscopes);
            kprintf("nova: IOMMU %s at %#lx: interrupt remapping %s\n", kind, u->base,
                    u->intremap ? "on (MSIs checked against their requester)" : "off");
        } else {
            kprintf("nova: IOMMU %s at %#lx could not be enabled\n", kind, u->base);
        }
    }
}

void iommu_resume(void)
{
    for (unsigned i = 0; i < nunits; i++)
        if (units[i].active && units[i].ops->enable(&units[i]) < 0)
            kprintf("nova: IOMMU at %#lx did not come back after sleep\n", units[i].base);
}

bool iommu_protected_range(uint64_t first, uint64_t count)
{
    for (unsigned i = 0; i < nunits; i++) {
        uint64_t p = units[i].base >> PAGE_SHIFT, n = units[i].mmio_pages;
        if (first < p + n && p < first + count)
            return true;
    }
    return false;
}

/* Whether the unit translates for bdf: listed in its scope, or it takes every device on its
   segment that no other unit lists (INCLUDE_PCI_ALL). */
static bool listed(const struct iommu_unit *u, uint16_t bdf)
{
    for (unsigned i = 0; i < u->nscopes; i++)
        if (bdf >= u->scope[i].first && bdf <= u->scope[i].last)
            return true;
    return false;
}

static bool in_scope(const struct iommu_unit *u, uint16_t bdf)
{
    if (listed(u, bdf))
        return true;
    if (!u->all_devices)
        return false;
    for (unsigned i = 0; i < nunits; i++)
        if (&units[i] != u && units[i].segment == u->segment && !units[i].all_devices && listed(&units[i], bdf))
            return false;
    return true;
}

static uint16_t did_alloc(void)
{
    for (unsigned d = 1; d < DOMAINS; d++)
        if (!(did_used[d / 8] & (1u << (d % 8)))) {
            did_used[d / 8] |= (uint8_t)(1u << (d % 8));
            return (uint16_t)d;
        }
    return 0;
}

unsigned iommu_assign(uint64_t reg_page, uint16_t bdf, struct pd *pd)
{
    struct iommu_unit *u = NULL;
    for (unsigned i = 0; i < nunits; i++)
        if (units[i].active && units[i].base >> PAGE_SHIFT == reg_page)
            u = &units[i];
    if (!u)
        return NOVA_BAD_DEV;
    if (!in_scope(u, bdf))
        return NOVA_BAD_PAR;
    if (!space_dma_root(pd))
        return NOVA_INS_MEM;
    unsigned st = NOVA_SUCCESS;
    spin_lock(&lock);
    if (__atomic_load_n(&pd->dead, __ATOMIC_ACQUIRE))
        st = NOVA_BAD_CAP;
    else if (!pd->dma_did && !(pd->dma_did = did_alloc()))
        st = NOVA_INS_MEM;
    else if (u->ops->attach(u, bdf, pd) < 0)
        st = NOVA_INS_MEM;
    spin_unlock(&lock);
    iommu_faults();
    return st;
}

bool iommu_irq_remap(uint16_t bdf, unsigned index, uint8_t apic_id, uint8_t vector, uint64_t *msi_addr)
{
    bool remapped = false;
    spin_lock(&lock);
    for (unsigned i = 0; i < nunits; i++) {
        struct iommu_unit *u = &units[i];
        if (!u->active || !u->intremap)
            continue;
        if (!in_scope(u, bdf)) { /* the index's old requester loses it here too */
            u->ops->irq_drop(u, index);
            continue;
        }
        if (u->ops->irq_remap(u, index, bdf, apic_id, vector) < 0) {
            u->ops->irq_drop(u, index);
            continue;
        }
        remapped = true;
        *msi_addr = u->kind == IOMMU_VTD ? NOVA_MSI_ADDR_REMAP : NOVA_MSI_ADDR_BASE;
    }
    spin_unlock(&lock);
    return remapped;
}

void iommu_flush_pd(struct pd *pd)
{
    spin_lock(&lock);
    uint16_t did = pd->dma_did;
    for (unsigned i = 0; did && i < nunits; i++)
        if (units[i].active)
            units[i].ops->flush_domain(&units[i], did);
    spin_unlock(&lock);
    iommu_faults();
}

void iommu_detach_pd(struct pd *pd)
{
    spin_lock(&lock);
    uint16_t did = pd->dma_did;
    if (did) {
        for (unsigned i = 0; i < nunits; i++)
            if (units[i].active)
                units[i].ops->detach_domain(&units[i], did);
        did_used[did / 8] &= (uint8_t)~(1u << (did % 8));
        pd->dma_did = 0;
    }
    spin_unlock(&lock);
}

void iommu_faults(void)
{
    if (!any_active)
        return;
    spin_lock(&fault_lock);
    for (unsigned i = 0; i < nunits; i++)
        if (units[i].active)
            units[i].ops->faults(&units[i]);
    spin_unlock(&fault_lock);
}

uint64_t iommu_deadline(void)
{
    return rdtsc() + tsc_hz / 1000 * POLL_LIMIT_MS;
}

bool iommu_expired(uint64_t deadline)
{
    return rdtsc() > deadline;
}

void iommu_log_fault(uint16_t bdf, bool write, uint64_t addr, const char *why)
{
    kprintf("nova: DMA fault: %02x:%02x.%x %s %#lx (%s)\n", BDF_BUS(bdf), BDF_DEV(bdf), BDF_FN(bdf),
            write ? "write" : "read", addr, why);
}
