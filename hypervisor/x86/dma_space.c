/* SPDX-License-Identifier: MIT */
/* Per-PD DMA page table: one generic walker, entries encoded by the active IOMMU driver. */

#include "x86/dma_space.h"
#include "core/memory.h"
#include "core/quota.h"

#define DMA_ENTRIES     512u
#define DMA_INDEX_BITS  9u
#define DMA_ADDR        0x000ffffffffff000ull

static const struct dma_format *fmt;
static unsigned top_level;
static bool need_clflush; /* a unit walks tables without snooping the caches */

void dma_space_setup(const struct dma_format *f, unsigned levels, bool flush_cache)
{
    fmt = f;
    top_level = levels;
    need_clflush = flush_cache;
}

bool dma_space_ready(void)
{
    return fmt != 0;
}

uint64_t dma_space_pages(void)
{
    return fmt ? 1ull << (DMA_INDEX_BITS * top_level) : 0;
}

static void sync(volatile uint64_t *e)
{
    if (need_clflush)
        __asm__ volatile("clflush %0" : "+m"(*e));
}

uint64_t *dma_space_create(struct quota *q)
{
    return quota_page_alloc(q, 0);
}

static unsigned index_at(uint64_t page, unsigned level)
{
    return (unsigned)(page >> (DMA_INDEX_BITS * (level - 1))) & (DMA_ENTRIES - 1);
}

/* The last-level entry for page; tables on the way are created when q is given. */
static uint64_t *walk(uint64_t *root, uint64_t page, bool alloc, struct quota *q)
{
    uint64_t *t = root;
    for (unsigned l = top_level; l > 1; l--) {
        uint64_t *e = &t[index_at(page, l)];
        if (!*e) {
            if (!alloc)
                return 0;
            uint64_t *next = quota_page_alloc(q, 0);
            if (!next)
                return 0;
            if (need_clflush)
                for (unsigned i = 0; i < DMA_ENTRIES; i += 8)
                    sync(&next[i]);
            *e = fmt->table(virt_to_phys(next), l - 1);
            sync(e);
        }
        t = phys_to_virt(*e & DMA_ADDR);
    }
    return &t[index_at(page, 1)];
}

int dma_space_set(uint64_t *root, uint64_t page, uint64_t pa, unsigned perms, struct quota *q)
{
    uint64_t *e = walk(root, page, perms != 0, q);
    if (!e)
        return perms ? -1 : 0;
    uint64_t old = *e;
    __atomic_store_n(e, perms ? fmt->leaf(pa & DMA_ADDR, perms) : 0, __ATOMIC_RELEASE);
    sync(e);
    return old != 0;
}

uint64_t dma_space_lookup(const uint64_t *root, uint64_t page, unsigned *perms)
{
    uint64_t *e = walk((uint64_t *)root, page, false, 0);
    *perms = e && *e ? fmt->perms(*e) : 0;
    return e && *e ? *e & DMA_ADDR : 0;
}

static void free_level(uint64_t *t, unsigned level, struct quota *q)
{
    if (level > 1)
        for (unsigned i = 0; i < DMA_ENTRIES; i++)
            if (t[i])
                free_level(phys_to_virt(t[i] & DMA_ADDR), level - 1, q);
    quota_page_free(q, t, 0);
}

void dma_space_destroy(uint64_t *root, struct quota *q)
{
    if (root)
        free_level(root, top_level, q);
}
