/* SPDX-License-Identifier: MIT */
/* x86-64 4-level page tables: the kernel half shared by every space, user halves per PD. */

#include "x86/paging.h"
#include "core/memory.h"
#include "core/pmm.h"
#include "x86/cpu.h"

#include <nova/caps.h>
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
    wrmsr(MSR_PAT, PAT_VALUE);
    boot_pml4[0] = 0; /* no identity map once we run in the high half */
    set_cr4(get_cr4() | CR4_PGE);
    set_cr3(virt_to_phys(boot_pml4));
}

uint64_t *paging_create(void)
{
    uint64_t *pml4 = page_alloc(0);
    if (pml4)
        memcpy(pml4 + PML4_USER_SLOTS, boot_pml4 + PML4_USER_SLOTS, PML4_USER_SLOTS * sizeof(uint64_t));
    return pml4;
}

/* Walk to the leaf table for va, allocating missing levels when asked. */
static uint64_t *walk(const uint64_t *pml4, uint64_t va, int alloc)
{
    uint64_t *table = (uint64_t *)pml4;
    for (int shift = 39; shift > 12; shift -= 9) {
        uint64_t *e = &table[(va >> shift) & (PT_ENTRIES - 1)];
        if (!(*e & PTE_P)) {
            if (!alloc)
                return NULL;
            uint64_t *next = page_alloc(0);
            if (!next)
                return NULL;
            *e = virt_to_phys(next) | PTE_P | PTE_W | PTE_U;
        }
        table = phys_to_virt(*e & PTE_ADDR);
    }
    return &table[(va >> 12) & (PT_ENTRIES - 1)];
}

int paging_map(uint64_t *pml4, uint64_t va, uint64_t pa, uint64_t pte_flags)
{
    uint64_t *pte = walk(pml4, va, 1);
    if (!pte)
        return -1;
    *pte = (pa & PTE_ADDR) | pte_flags | PTE_P;
    invlpg(va);
    return 0;
}

uint64_t paging_lookup(const uint64_t *pml4, uint64_t va)
{
    uint64_t *pte = walk(pml4, va, 0);
    return pte ? *pte : 0;
}

void paging_unmap(uint64_t *pml4, uint64_t va)
{
    uint64_t *pte = walk(pml4, va, 0);
    if (pte && *pte) {
        *pte = 0;
        invlpg(va);
    }
}
