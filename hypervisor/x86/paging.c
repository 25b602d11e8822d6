/* SPDX-License-Identifier: MIT */
/* x86-64 4-level page tables: the kernel half shared by every space, user halves per PD. */

#include "x86/paging.h"
#include "core/memory.h"
#include "core/pmm.h"
#include "core/quota.h"
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

/* Walk to the leaf table for va, allocating missing levels when asked. */
static uint64_t *walk(const uint64_t *pml4, uint64_t va, int alloc, struct quota *q)
{
    uint64_t *table = (uint64_t *)pml4;
    for (int shift = 39; shift > 12; shift -= 9) {
        uint64_t *e = &table[(va >> shift) & (PT_ENTRIES - 1)];
        if (!(*e & PTE_P)) {
            if (!alloc)
                return NULL;
            uint64_t *next = quota_page_alloc(q, 0);
            if (!next)
                return NULL;
            *e = virt_to_phys(next) | PTE_P | PTE_W | PTE_U;
        }
        table = phys_to_virt(*e & PTE_ADDR);
    }
    return &table[(va >> 12) & (PT_ENTRIES - 1)];
}

int paging_map(uint64_t *pml4, uint64_t va, uint64_t pa, uint64_t pte_flags, struct quota *q)
{
    uint64_t *pte = walk(pml4, va, 1, q);
    if (!pte)
        return -1;
    *pte = (pa & PTE_ADDR) | pte_flags | PTE_P;
    invlpg(va);
    return 0;
}

uint64_t paging_lookup(const uint64_t *pml4, uint64_t va)
{
    uint64_t *pte = walk(pml4, va, 0, NULL);
    return pte ? *pte : 0;
}

void paging_unmap(uint64_t *pml4, uint64_t va)
{
    uint64_t *pte = walk(pml4, va, 0, NULL);
    if (pte && *pte) {
        *pte = 0;
        invlpg(va);
    }
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
