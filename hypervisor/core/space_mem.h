/* SPDX-License-Identifier: MIT */
/* Memory space of a PD: host page-table mappings with NOVA permissions and cacheability. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct pd;

/* Number of physical page frames the platform can address (PHYS_NUM). */
uint64_t space_mem_phys_pages(void);
void space_mem_init(void);
/* ctrl_pd MEM with CPU_HST access, in the largest pages source and alignment allow; resumes at
   *progress and leaves it where it stopped (STATUS_PREEMPTED at a preemption point). */
unsigned space_mem_delegate(struct pd *spd, struct pd *dpd, uint64_t src, uint64_t dst, unsigned ord, unsigned pmm,
                            unsigned ca, bool guest, uint64_t *progress);
/* One page of spd's memory as a source of delegation: its frame and NOVA permissions (0 when
   unmapped, kernel-owned or protected). */
unsigned space_mem_source_page(struct pd *spd, uint64_t page, uint64_t *pa);
/* Map a kernel-owned page (HIP, UTCB) into pd; such pages are never delegated further. */
int space_mem_map_kernel_page(struct pd *pd, uint64_t va, uint64_t pa, int writable);
