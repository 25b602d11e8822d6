/* SPDX-License-Identifier: MIT */
/* x86-64 4-level page tables: the kernel half shared by every space, user halves per PD. */

#include "x86/paging.h"
#include "core/memory.h"
#include "core/pmm.h"
#include "core/quota.h"
#include "x86/cpu.h"

#include <nova/caps.h>
#include <stdbool.h>
#include <string.h>

#define MSR_PAT      0x277
/* PAT entries, index = PAT:PCD:PWT. Memory types: UC 0, WC 1, WT 4, WP 5, WB 6, UC- 7. */
#define PAT_VALUE    0x0007050100070406ull   /* WB WT UC- UC WC WP UC- UC */
#define GIB          (1ull << 30)
#define MIB2         (1ull << 21)

extern uint64_t boot_pdpt_low[PT_ENTRIES];

uint64_t paging_cache_bits(unsigned ca)
{
    switch (ca) {
    case NOVA_CA_WT: return PTE_PWT;
    case NOVA_CA_UC: return PTE_PCD | PTE_PWT;
    case NOVA_CA_WC: return PTE_PAT;
    case NOVA_CA_WP: return PTE_PAT | PTE_PWT;
    default: return 0; /* WB */
    }
}

void paging_init(uint64_t phys_end)
{
    /* The boot tables map 4 GiB; add 2 MiB pages for RAM above that, up to one PML4 slot. */
    if (phys_end > DIRECT_MAP_SIZE)
        phys_end = DIRECT_MAP_SIZE;
    for (uint64_t gib = 4; gib * GIB < phys_end; gib++) {
        uint64_t *pd = page_alloc(0);
        if (!pd)
            break;
        for (unsigned i = 0; i < PT_ENTRIES; i++)
            pd[i] = (gib * GIB + i * MIB2) | PTE_P | PTE_W | PTE_PS | PTE_NX;
        boot_pdpt_low[gib] = virt_to_phys(pd) | PTE_P | PTE_W;
    }
    boot_pml4[0] = 0; /* no identity map once we run in the high half */
    paging_init_cpu();
}

void paging_init_cpu(void)
{
    wrmsr(MSR_PAT, PAT_VALUE);
    set_cr4(get_cr4() | CR4_PGE);
    set_cr3(virt_to_phys(boot_pml4));
}

uint64_t *paging_create(struct quota *q)
{
    uint64_t *pml4 = quota_page_alloc(q, 0);
    if (pml4)
        memcpy(pml4 + PML4_USER_SLOTS, boot_pml4 + PML4_USER_SLOTS, PML4_USER_SLOTS * sizeof(uint64_t));
    return pml4;
}

#define PTE_PAT_LARGE (1ull << 12)    /* PAT bit in a 2 MiB or 1 GiB leaf */
#define LEVEL_SHIFT(l) (12 + 9 * (l))

static unsigned index_at(uint64_t va, unsigned level)
{
    return (va >> LEVEL_SHIFT(level)) & (PT_ENTRIES - 1);
}

static bool is_leaf(uint64_t e, unsigned level)
{
    return (e & PTE_P) && (level == 0 || (e & PTE_PS));
}

/* Leaf entry of the given level from 4 KiB-format flags, and back. */
static uint64_t leaf_make(uint64_t pa, uint64_t flags, unsigned level)
{
    if (level == 0)
        return (pa & PTE_ADDR) | flags | PTE_P;
    uint64_t pat = flags & PTE_PAT ? PTE_PAT_LARGE : 0;
    return (pa & PTE_ADDR) | (flags & ~PTE_PAT) | pat | PTE_PS | PTE_P;
}

static uint64_t leaf_as_4k(uint64_t e, unsigned level, uint64_t va)
{
    if (level == 0)
        return e;
    uint64_t size = 1ull << LEVEL_SHIFT(level), pat = e & PTE_PAT_LARGE ? PTE_PAT : 0;
    uint64_t base = e & PTE_ADDR & ~(size - 1) & ~PTE_PAT_LARGE;
    return (base + (va & (size - 1) & ~0xfffull)) | (e & ~PTE_ADDR & ~PTE_PS & ~PTE_PAT_LARGE) | pat;
}

/* Release a page table of the given level (0: a PT, whose entries map pages) and every table below it. */
static void free_table(uint64_t *table, unsigned level, struct quota *q)
{
    if (level > 0)
        for (unsigned i = 0; i < PT_ENTRIES; i++)
            if ((table[i] & PTE_P) && !(table[i] & PTE_PS))
                free_table(phys_to_virt(table[i] & PTE_ADDR), level - 1, q);
    quota_page_free(q, table, 0);
}

/* Replace a large leaf by a table of the next smaller size with the same translation. */
static int split(uint64_t *e, unsigned level, struct quota *q)
{
    uint64_t *t = quota_page_alloc(q, 0);
    if (!t)
        return -1;
    uint64_t size = 1ull << LEVEL_SHIFT(level - 1);
    for (unsigned i = 0; i < PT_ENTRIES; i++) {
        uint64_t small = leaf_as_4k(*e, level, i * size);
        t[i] = leaf_make(small & PTE_ADDR, small & ~PTE_ADDR & ~PTE_P, level - 1);
    }
    *e = virt_to_phys(t) | PTE_P | PTE_W | PTE_U;
    return 0;
}

/* The entry for va at `level`; tables are created (and large pages split) on the way when
   alloc is set. Without alloc, a larger leaf on the way is returned instead (*found = its level). */
static uint64_t *walk(const uint64_t *pml4, uint64_t va, unsigned level, bool alloc, struct quota *q,
                      unsigned *found)
{
    uint64_t *table = (uint64_t *)pml4;
    for (unsigned l = 3; l > level; l--) {
        uint64_t *e = &table[index_at(va, l)];
        if (is_leaf(*e, l)) {
            if (!alloc) {
                *found = l;
                return e;
            }
            if (split(e, l, q) < 0)
                return NULL;
        } else if (!(*e & PTE_P)) {
            if (!alloc)
                return NULL;
            uint64_t *next = quota_page_alloc(q, 0);
            if (!next)
                return NULL;
            *e = virt_to_phys(next) | PTE_P | PTE_W | PTE_U;
        }
        table = phys_to_virt(*e & PTE_ADDR);
    }
    *found = level;
    return &table[index_at(va, level)];
}

int paging_map(uint64_t *pml4, uint64_t va, uint64_t pa, uint64_t pte_flags, unsigned level, struct quota *q)
{
    unsigned found;
    uint64_t *e = walk(pml4, va, level, true, q, &found);
    if (!e)
        return -1;
    if (level > 0 && (*e & PTE_P) && !(*e & PTE_PS))
        free_table(phys_to_virt(*e & PTE_ADDR), level - 1, q);
    *e = leaf_make(pa, pte_flags, level);
    return 0;
}

uint64_t paging_lookup(const uint64_t *pml4, uint64_t va, unsigned *level)
{
    unsigned found = 0;
    uint64_t *e = walk(pml4, va, 0, false, NULL, &found);
    if (level)
        *level = found;
    return e && (*e & PTE_P) ? leaf_as_4k(*e, found, va) : 0;
}

int paging_unmap(uint64_t *pml4, uint64_t va, unsigned level, struct quota *q)
{
    unsigned found;
    uint64_t *e = walk(pml4, va, level, false, NULL, &found);
    if (!e || !(*e & PTE_P))
        return 0;
    if (found > level) { /* a larger page covers va: keep the rest of it */
        e = walk(pml4, va, level, true, q, &found);
        if (!e)
            return -1;
    }
    if (level > 0 && !(*e & PTE_PS))
        free_table(phys_to_virt(*e & PTE_ADDR), level - 1, q);
    *e = 0;
    return 1;
}

void paging_destroy(uint64_t *pml4, struct quota *q, struct quota *pml4_acct)
{
    for (unsigned i = 0; i < PML4_USER_SLOTS; i++)
        if (pml4[i] & PTE_P)
            free_table(phys_to_virt(pml4[i] & PTE_ADDR), 2, q);
    quota_page_free(pml4_acct, pml4, 0);
}

bool paging_any_flag(const uint64_t *pml4, uint64_t va, unsigned level, uint64_t flag)
{
    unsigned found;
    uint64_t *e = walk(pml4, va, level, false, NULL, &found);
    if (!e || !(*e & PTE_P))
        return false;
    if (is_leaf(*e, found))
        return *e & flag;
    /* a table below the requested size: look at every entry */
    uint64_t size = 1ull << LEVEL_SHIFT(level - 1);
    for (unsigned i = 0; i < PT_ENTRIES; i++)
        if (paging_any_flag(pml4, (va & ~((size << 9) - 1)) + i * size, level - 1, flag))
            return true;
    return false;
}

void *paging_kernel_uc(uint64_t phys)
{
    uint64_t va = (uint64_t)phys_to_virt(phys);
    uint64_t *pdpte = &boot_pdpt_low[(va >> 30) & (PT_ENTRIES - 1)];
    if (!(*pdpte & PTE_P))
        return NULL;
    uint64_t *pd = phys_to_virt(*pdpte & PTE_ADDR);
    uint64_t *pde = &pd[(va >> 21) & (PT_ENTRIES - 1)];
    if (*pde & PTE_PS) { /* split the 2 MiB page into 4 KiB pages with the same attributes */
        uint64_t *pt = page_alloc(0);
        if (!pt)
            return NULL;
        uint64_t base = *pde & PTE_ADDR & ~(MIB2 - 1), attr = *pde & (PTE_W | PTE_NX | PTE_PWT | PTE_PCD);
        for (unsigned i = 0; i < PT_ENTRIES; i++)
            pt[i] = (base + i * PAGE_SIZE) | attr | PTE_P;
        *pde = virt_to_phys(pt) | PTE_P | PTE_W;
    }
    uint64_t *pt = phys_to_virt(*pde & PTE_ADDR);
    pt[(va >> 12) & (PT_ENTRIES - 1)] |= PTE_PCD | PTE_PWT | PTE_NX;
    set_cr3(get_cr3()); /* flush, including the split large page */
    return (void *)va;
}

void paging_identity_low(int on)
{
    boot_pml4[0] = on ? boot_pml4[DIRECT_MAP_SLOT] : 0;
    set_cr3(get_cr3());
}
