/* SPDX-License-Identifier: MIT */
/* VT-d interrupt remapping: one table entry per interrupt index, each naming the one requester
   (bus/device/function) whose MSIs it delivers; compatibility-format interrupts stay allowed. */

#include "x86/vtd.h"
#include "core/console.h"
#include "core/memory.h"
#include "core/pmm.h"

#include <nova/selectors.h>

#define IRT_ENTRIES     (PAGE_SIZE / sizeof(struct vtd_entry))
#define IRTA_S_256      7ull            /* 2^(S + 1) entries */
#define IRTE_P          (1ull << 0)
#define IRTE_FPD        (1ull << 1)     /* fault processing disable: not set, faults are logged */
#define IRTE_VECTOR(v)  ((uint64_t)(v) << 16)
#define IRTE_DST_XAPIC(id) ((uint64_t)(id) << 40)  /* physical mode, fixed delivery, edge */
#define IRTE_SID(b)     ((uint64_t)(b))
#define IRTE_SQ_ALL     (0ull << 16)    /* compare all 16 bits of the requester ID */
#define IRTE_SVT_SID    (1ull << 18)    /* verify the requester ID against SID/SQ */

_Static_assert(IRT_ENTRIES == 256, "a one-page table holds 256 entries");
_Static_assert(NOVA_INT_VECTORS <= IRT_ENTRIES, "one entry per interrupt index");

/* Table pointer, global entry-cache invalidation, CFI (the IOAPIC's interrupts stay in
   compatibility format), then remapping on. Needs QI: entry-cache invalidation has no register. */
bool vtd_irt_enable(struct iommu_unit *u)
{
    struct vtd *v = u->drv;
    const char *why = NULL;
    if (!(v->ecap & ECAP_IR))
        return false; /* iommu_init says remapping is off */
    if (!v->qi)
        why = "no queued invalidation";
    else if (!v->irt && !(v->irt = page_alloc(0)))
        why = "out of memory";
    if (why)
        goto fail;
    for (unsigned i = 0; i < IRT_ENTRIES; i += 4)
        vtd_sync(&v->irt[i]);
    vtd_wr64(u, REG_IRTA, virt_to_phys(v->irt) | IRTA_S_256);
    if (!vtd_command(u, GCMD_SIRTP, GSTS_IRTPS))
        why = "table pointer not taken";
    else if (!vtd_qi_run(u, QI_IEC, 0))
        why = "entry cache not invalidated";
    else if (!vtd_command(u, GCMD_CFI, GSTS_CFIS))
        /* QEMU 7.2 ignores CFI (it lets compatibility format through anyway): go on */
        kprintf("nova: IOMMU VT-d at %#lx: CFI not confirmed (GSTS %#x)\n", u->base, vtd_rd32(u, REG_GSTS));
    if (!why && !vtd_command(u, GCMD_IRE, GSTS_IRES))
        why = "not enabled";
    if (!why)
        return true;
fail:
    kprintf("nova: IOMMU VT-d at %#lx: interrupt remapping failed (%s)\n", u->base, why);
    return false;
}

/* Entry index: the interrupt goes to vector on the CPU with apic_id, and only when requester bdf
   sends it; anyone else's message with this handle is blocked (and recorded as a fault). */
int vtd_irt_set(struct iommu_unit *u, unsigned index, uint16_t bdf, uint8_t apic_id, uint8_t vector)
{
    struct vtd *v = u->drv;
    if (!v->irt || index >= IRT_ENTRIES)
        return -1;
    struct vtd_entry *e = &v->irt[index];
    vtd_irt_clear(u, index); /* not present while it changes */
    e->hi = IRTE_SID(bdf) | IRTE_SQ_ALL | IRTE_SVT_SID;
    e->lo = IRTE_P | IRTE_VECTOR(vector) | IRTE_DST_XAPIC(apic_id);
    vtd_sync(e);
    return vtd_qi_run(u, QI_IEC | QI_IEC_ONE | QI_IEC_IIDX(index), 0) ? 0 : -1;
}

void vtd_irt_clear(struct iommu_unit *u, unsigned index)
{
    struct vtd *v = u->drv;
    if (!v->irt || index >= IRT_ENTRIES || !(v->irt[index].lo & IRTE_P))
        return;
    v->irt[index].lo = 0;
    vtd_sync(&v->irt[index]);
    vtd_qi_run(u, QI_IEC | QI_IEC_ONE | QI_IEC_IIDX(index), 0);
}
