/* SPDX-License-Identifier: MIT */
/* Buddy allocator for the kernel's page pool (the .kmem part of the image). */
#pragma once

#include <stddef.h>

#define PMM_MAX_ORDER 10 /* largest block: 4 MiB */

void pmm_init(void *start, void *end);
/* Returns a zeroed, naturally sized block of 2^order pages, or NULL when the pool is exhausted. */
void *page_alloc(unsigned order);
void page_free(void *p, unsigned order);
size_t pmm_free_pages(void);
size_t pmm_total_pages(void);
