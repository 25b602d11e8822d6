/* SPDX-License-Identifier: MIT */
/* Memory space of a PD: host page-table mappings with NOVA permissions and cacheability. */

#include "core/space_mem.h"
#include "core/pd.h"
#include "core/protected.h"
#include "x86/cpu.h"
#include "x86/paging.h"

#include <nova/caps.h>
#include <nova/status.h>

#define PTE_KERNEL_OWNED (1ull << 9)    /* software bit: UTCB/HIP, never delegated or replaced */
#define PTE_CACHE_BITS   (PTE_PWT | PTE_PCD | PTE_PAT)

static uint64_t phys_pages;

void space_mem_init(void)
{
    uint32_t r[4];
    cpuid(0x80000000, 0, r);
    unsigned bits = 36;
    if (r[0] >= 0x80000008) {
        cpuid(0x80000008, 0, r);
        bits = r[0] & 0xff;
    }
    phys_pages = 1ull << (bits - 12);
}

uint64_t space_mem_phys_pages(void)
{
    return phys_pages;
}

static uint64_t pte_to_perms(uint64_t pte)
{
    if (!(pte & PTE_P) || (pte & PTE_KERNEL_OWNED))
        return 0;
    unsigned p = NOVA_PERM_MEM_R;
    if (pte & PTE_W)
        p |= NOVA_PERM_MEM_W;
    if (!(pte & PTE_NX))
        p |= NOVA_PERM_MEM_XU;
    return p;
}

static uint64_t perms_to_pte(unsigned perms)
{
    uint64_t f = PTE_U;
    if (perms & NOVA_PERM_MEM_W)
        f |= PTE_W;
    if (!(perms & NOVA_PERM_MEM_XU))
        f |= PTE_NX;
    return f;
}

unsigned space_mem_delegate(struct pd *spd, struct pd *dpd, uint64_t src, uint64_t dst, unsigned ord, unsigned pmm,
                            unsigned ca)
{
    for (uint64_t i = 0; i < (1ull << ord); i++) {
        uint64_t va = (dst + i) << NOVA_PAGE_SHIFT, pa, attr, perms;
        if (paging_lookup(dpd->pml4, va) & PTE_KERNEL_OWNED)
            continue; /* the UTCB and HIP stay where the kernel put them */
        if (spd->is_nova) {
            pa = (src + i) << NOVA_PAGE_SHIFT;
            perms = protected_page(src + i) ? 0 : NOVA_PERM_MEM_ALL;
            attr = paging_cache_bits(ca);
        } else {
            uint64_t pte = paging_lookup(spd->pml4, (src + i) << NOVA_PAGE_SHIFT);
            pa = pte & PTE_ADDR;
            perms = pte_to_perms(pte);
            attr = pte & PTE_CACHE_BITS;
        }
        perms &= pmm;
        if (!perms) {
            paging_unmap(dpd->pml4, va);
            continue;
        }
        if (paging_map(dpd->pml4, va, pa, perms_to_pte((unsigned)perms) | attr, &dpd->quota) < 0)
            return NOVA_INS_MEM;
    }
    return NOVA_SUCCESS;
}

int space_mem_map_kernel_page(struct pd *pd, uint64_t va, uint64_t pa, int writable)
{
    return paging_map(pd->pml4, va, pa, PTE_U | PTE_NX | PTE_KERNEL_OWNED | (writable ? PTE_W : 0), &pd->quota);
}
