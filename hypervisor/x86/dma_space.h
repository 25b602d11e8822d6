/* SPDX-License-Identifier: MIT */
/* Per-PD DMA page table: one generic walker, entries encoded by the active IOMMU driver. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct quota;

#define DMA_R 1u    /* device may read */
#define DMA_W 2u    /* device may write */

/* The entry format of the driver that owns the tables (VT-d second level, AMD-Vi I/O tables). */
struct dma_format {
    /* Entry pointing at a table of level `level` (1 = the last table). */
    uint64_t (*table)(uint64_t pa, unsigned level);
    /* 4 KiB leaf with DMA_R/DMA_W. */
    uint64_t (*leaf)(uint64_t pa, unsigned perms);
    /* DMA_R/DMA_W of a leaf. */
    unsigned (*perms)(uint64_t leaf);
};

/* Set once at boot by the IOMMU driver; levels = 3 (39-bit) or 4 (48-bit) I/O addresses. */
void dma_space_setup(const struct dma_format *f, unsigned levels, bool flush_cache);
bool dma_space_ready(void);
/* Pages of I/O virtual address space a DMA table covers. */
uint64_t dma_space_pages(void);
/* A fresh top-level table charged to q, or NULL. */
uint64_t *dma_space_create(struct quota *q);
/* Map (perms != 0) or unmap one 4 KiB I/O page; 1 if an old translation was replaced or
   removed, 0 if not, -1 when out of memory. */
int dma_space_set(uint64_t *root, uint64_t iova_page, uint64_t pa, unsigned perms, struct quota *q);
/* The leaf's physical address and perms (0 when unmapped). */
uint64_t dma_space_lookup(const uint64_t *root, uint64_t iova_page, unsigned *perms);
/* Free every table (charged to q). */
void dma_space_destroy(uint64_t *root, struct quota *q);
