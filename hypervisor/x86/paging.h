/* SPDX-License-Identifier: MIT */
/* x86-64 4-level page tables: the kernel half shared by every space, user halves per PD. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct quota;

#define PTE_P       (1ull << 0)
#define PTE_W       (1ull << 1)
#define PTE_U       (1ull << 2)
#define PTE_PWT     (1ull << 3)
#define PTE_PCD     (1ull << 4)
#define PTE_PS      (1ull << 7)
#define PTE_PAT     (1ull << 7)     /* in a 4 KiB leaf */
#define PTE_G       (1ull << 8)
#define PTE_NX      (1ull << 63)
#define PTE_ADDR    0x000ffffffffff000ull
#define PT_ENTRIES  512
#define PML4_USER_SLOTS 256         /* slots 0..255 map user space, 256..511 the kernel */

extern uint64_t boot_pml4[PT_ENTRIES];

/* Extend the direct map to cover [0, phys_end), program PAT, drop the boot identity map. */
void paging_init(uint64_t phys_end);
/* Per-CPU part: PAT, global pages, the kernel page table. */
void paging_init_cpu(void);
/* A fresh PML4 with an empty user half and the shared kernel half; NULL when out of memory. */
uint64_t *paging_create(struct quota *q);
/* Levels of leaf size: 0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB. Flags are always given in 4 KiB form.
   Map one leaf; tables on the way are allocated (charged to q), a larger page on the way is
   split, and a table the new leaf replaces is freed. Returns 0, or -1 when out of memory. */
int paging_map(uint64_t *pml4, uint64_t va, uint64_t pa, uint64_t pte_flags, unsigned level, struct quota *q);
/* The translation of va as a 4 KiB entry (0 if unmapped); *level gets the size of its leaf. */
uint64_t paging_lookup(const uint64_t *pml4, uint64_t va, unsigned *level);
/* Remove the mapping of the level-sized region at va (a larger page around it is split).
   Returns 1 if something was mapped there, 0 if not, -1 when a split ran out of memory. */
int paging_unmap(uint64_t *pml4, uint64_t va, unsigned level, struct quota *q);
/* Free the user half's tables (charged to q) and the PML4 itself (charged to pml4_acct). */
void paging_destroy(uint64_t *pml4, struct quota *q, struct quota *pml4_acct);
/* Whether any leaf inside the level-sized region at va carries flag (a software bit). */
bool paging_any_flag(const uint64_t *pml4, uint64_t va, unsigned level, uint64_t flag);
/* The direct-map address of a device page, remapped uncacheable (a 2 MiB page is split). */
void *paging_kernel_uc(uint64_t phys);
/* Map the first 2 MiB identically while APs start (their trampoline runs there); 0 removes it. */
void paging_identity_low(int on);
/* PTE cacheability bits for a NOVA cacheability attribute (see the PAT layout in paging.c). */
uint64_t paging_cache_bits(unsigned ca);
