/* SPDX-License-Identifier: MIT */
/* DMA space of a PD: the one IOMMU page table that DMA_HST and DMA_GST delegations fill. */
#pragma once

#include <stdint.h>

struct pd;

/* The PD's DMA table, created (charged to its quota) on first use; NULL when out of memory. */
uint64_t *space_dma_root(struct pd *pd);
/* ctrl_pd MEM with a DMA access type: source pages as for CPU_HST, destination = I/O virtual
   page numbers; R and W become DMA read and write, X is ignored. Resumes at *progress. */
unsigned space_dma_delegate(struct pd *spd, struct pd *dpd, uint64_t src, uint64_t dst, unsigned ord, unsigned pmm,
                            uint64_t *progress);
/* The PD died and no device uses its table any more: free it. */
void space_dma_destroy(struct pd *pd);
