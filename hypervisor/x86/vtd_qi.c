/* SPDX-License-Identifier: MIT */
/* VT-d queued invalidation: a one-page ring of 128-bit descriptors, each batch closed by a wait
   descriptor whose status write tells the kernel the unit is done. */

#include "x86/vtd.h"
#include "core/console.h"
#include "core/memory.h"
#include "core/pmm.h"

#define QUEUE_ENTRIES   (PAGE_SIZE / sizeof(struct vtd_entry))
#define IQA_QS_1PAGE    0ull            /* queue size 2^0 pages, 128-bit descriptors (DW = 0) */
#define IQT_SHIFT       4               /* IQH/IQT hold the descriptor offset in bytes */
#define FSTS_IQE        (1u << 4)       /* invalidation queue error */
#define QI_DONE         1u

_Static_assert(QUEUE_ENTRIES == 256, "a one-page queue holds 256 descriptors");

bool vtd_qi_enable(struct iommu_unit *u)
{
    struct vtd *v = u->drv;
    if (!(v->ecap & ECAP_QI))
        return false;
    if (!v->queue) {
        v->queue = page_alloc(0);
        v->qdone = page_alloc(0);
        if (!v->queue || !v->qdone)
            return false;
    }
    /* Off first (after S3 or a warm boot it may be on), then tail 0 and the new base. */
    vtd_command_off(u, GCMD_QIE, GSTS_QIES);
    v->qtail = 0;
    vtd_wr64(u, REG_IQT, 0);
    vtd_wr64(u, REG_IQA, virt_to_phys(v->queue) | IQA_QS_1PAGE);
    if (vtd_command(u, GCMD_QIE, GSTS_QIES))
        return true;
    kprintf("nova: IOMMU VT-d at %#lx: queued invalidation did not start (GSTS %#x)\n", u->base,
            vtd_rd32(u, REG_GSTS));
    return false;
}

static void queue(struct vtd *v, uint64_t lo, uint64_t hi)
{
    struct vtd_entry *d = &v->queue[v->qtail];
    d->lo = lo;
    d->hi = hi;
    vtd_sync(d);
    v->qtail = (v->qtail + 1) % QUEUE_ENTRIES;
}

bool vtd_qi_run(struct iommu_unit *u, uint64_t lo, uint64_t hi)
{
    struct vtd *v = u->drv;
    *v->qdone = 0;
    queue(v, lo, hi);
    queue(v, QI_WAIT | QI_WAIT_SW | QI_WAIT_DATA(QI_DONE), virt_to_phys((void *)v->qdone));
    vtd_wr64(u, REG_IQT, (uint64_t)v->qtail << IQT_SHIFT);
    uint64_t end = iommu_deadline();
    while (__atomic_load_n(v->qdone, __ATOMIC_ACQUIRE) != QI_DONE) {
        if (vtd_rd32(u, REG_FSTS) & FSTS_IQE) {
            kprintf("nova: IOMMU VT-d at %#lx: invalidation descriptor %#lx rejected\n", u->base, lo);
            vtd_wr32(u, REG_FSTS, FSTS_IQE); /* a kernel bug: the queue stops here */
            return false;
        }
        if (iommu_expired(end)) {
            kprintf("nova: IOMMU VT-d at %#lx: invalidation queue stuck\n", u->base);
            return false;
        }
        __builtin_ia32_pause();
    }
    return true;
}
