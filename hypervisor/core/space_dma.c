/* SPDX-License-Identifier: MIT */
/* DMA space of a PD: the one IOMMU page table that DMA_HST and DMA_GST delegations fill. */

#include "core/space_dma.h"
#include "core/pd.h"
#include "core/preempt.h"
#include "core/space_mem.h"
#include "x86/dma_space.h"
#include "x86/iommu.h"

#include <nova/caps.h>
#include <nova/status.h>
#include <stddef.h>

uint64_t *space_dma_root(struct pd *pd)
{
    uint64_t *root = __atomic_load_n(&pd->dma, __ATOMIC_ACQUIRE);
    if (root)
        return root;
    uint64_t *fresh = dma_space_create(&pd->quota);
    if (!fresh)
        return NULL;
    if (!__atomic_compare_exchange_n(&pd->dma, &root, fresh, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        dma_space_destroy(fresh, &pd->quota); /* another CPU was first */
        return root;
    }
    return fresh;
}

static unsigned dma_perms(unsigned mem_perms)
{
    return (mem_perms & NOVA_PERM_MEM_R ? DMA_R : 0) | (mem_perms & NOVA_PERM_MEM_W ? DMA_W : 0);
}

unsigned space_dma_delegate(struct pd *spd, struct pd *dpd, uint64_t src, uint64_t dst, unsigned ord, unsigned pmm,
                            uint64_t *progress)
{
    uint64_t *root = space_dma_root(dpd);
    if (!root)
        return NOVA_INS_MEM;
    uint64_t n = 1ull << ord, i = *progress;
    unsigned st = NOVA_SUCCESS, steps = 0;
    bool changed = false;
    while (i < n) {
        if (++steps % PREEMPT_STEPS == 0 && preempt_wanted()) {
            st = STATUS_PREEMPTED;
            break;
        }
        uint64_t pa;
        unsigned perms = dma_perms(space_mem_source_page(spd, src + i, &pa) & pmm);
        spin_lock(&dpd->dma_lock);
        int r = dma_space_set(root, dst + i, pa, perms, &dpd->quota);
        spin_unlock(&dpd->dma_lock);
        if (r < 0) {
            st = NOVA_INS_MEM; /* what came before stays granted */
            break;
        }
        changed |= r > 0 || perms;
        i++;
    }
    *progress = i;
    if (changed)
        iommu_flush_pd(dpd);
    return st;
}

void space_dma_destroy(struct pd *pd)
{
    dma_space_destroy(pd->dma, &pd->quota);
    pd->dma = NULL;
}
