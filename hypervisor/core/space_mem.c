/* SPDX-License-Identifier: MIT */
/* Memory space of a PD: host page-table mappings with NOVA permissions and cacheability. */

#include "core/space_mem.h"
#include "core/pd.h"
#include "core/preempt.h"
#include "core/protected.h"
#include "x86/cpu.h"
#include "x86/ept.h"
#include "x86/paging.h"
#include "x86/tlb.h"
#include "x86/vcpu.h"

#include <nova/caps.h>
#include <nova/status.h>
#include <stddef.h>

#define PTE_KERNEL_OWNED (1ull << 9)    /* software bit: UTCB/HIP, never delegated or replaced */
#define PTE_CACHE_BITS   (PTE_PWT | PTE_PCD | PTE_PAT)
#define CPUID_PDPE1GB    (1u << 26)     /* CPUID 0x80000001 EDX: 1 GiB pages */

static uint64_t phys_pages;
static unsigned max_level = 1;          /* largest leaf: 2 MiB, or 1 GiB where the CPU has it */

void space_mem_init(void)
{
    uint32_t r[4];
    cpuid(0x80000000, 0, r);
    unsigned bits = 36, top = r[0];
    if (top >= 0x80000008) {
        cpuid(0x80000008, 0, r);
        bits = r[0] & 0xff;
    }
    phys_pages = 1ull << (bits - 12);
    cpuid(0x80000001, 0, r);
    if (r[3] & CPUID_PDPE1GB)
        max_level = 2;
}

uint64_t space_mem_phys_pages(void)
{
    return phys_pages;
}

static unsigned pte_to_perms(uint64_t pte)
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

/* Leaf flags; a nested (guest) leaf is executable for either execute permission, and every
   nested access counts as a user access, so U is always set. On VMX the guest table is an EPT
   (readable whenever mapped: write-only is a misconfiguration there). */
static uint64_t perms_to_pte(unsigned perms, bool guest)
{
    if (guest && vcpu_backend() == VCPU_VMX)
        return ept_leaf_flags(perms);
    uint64_t f = PTE_U;
    unsigned exec = guest ? NOVA_PERM_MEM_XU | NOVA_PERM_MEM_XS : NOVA_PERM_MEM_XU;
    if (perms & NOVA_PERM_MEM_W)
        f |= PTE_W;
    if (!(perms & exec))
        f |= PTE_NX;
    return f;
}

/* What one step of a delegation maps: the source frame, its permissions and attributes. */
struct source {
    uint64_t pa, attr;
    unsigned perms, level;
};

/* The largest leaf (up to the remaining count) that maps the same way throughout. */
static struct source source_at(struct pd *spd, uint64_t *root, uint64_t s, uint64_t d, uint64_t left, unsigned ca)
{
    struct source src = {0};
    unsigned src_level = max_level;
    if (spd->is_nova) {
        src.pa = s << NOVA_PAGE_SHIFT;
        src.attr = paging_cache_bits(ca);
    } else {
        uint64_t pte = paging_lookup(spd->pml4, s << NOVA_PAGE_SHIFT, &src_level);
        src.pa = pte & PTE_ADDR;
        src.perms = pte_to_perms(pte);
        src.attr = pte & PTE_CACHE_BITS;
    }
    for (unsigned level = src_level < max_level ? src_level : max_level; level > 0; level--) {
        uint64_t pages = 1ull << (9 * level);
        if (left < pages || ((s | d) & (pages - 1)))
            continue;
        if (spd->is_nova && protected_range(s, pages))
            continue;
        if (paging_any_flag(root, d << NOVA_PAGE_SHIFT, level, PTE_KERNEL_OWNED))
            continue;
        src.level = level;
        break;
    }
    if (spd->is_nova)
        src.perms = src.level == 0 && protected_page(s) ? 0 : NOVA_PERM_MEM_ALL;
    return src;
}

unsigned space_mem_delegate(struct pd *spd, struct pd *dpd, uint64_t src, uint64_t dst, unsigned ord, unsigned pmm,
                            unsigned ca, bool guest, uint64_t *progress)
{
    uint64_t *root = guest ? dpd->gst.npt : dpd->pml4;
    uint64_t n = 1ull << ord, i = *progress;
    unsigned st = NOVA_SUCCESS, steps = 0;
    bool shrunk = false;
    while (i < n) {
        if (++steps % PREEMPT_STEPS == 0 && preempt_wanted()) {
            st = STATUS_PREEMPTED;
            break;
        }
        uint64_t va = (dst + i) << NOVA_PAGE_SHIFT;
        struct source s = source_at(spd, root, src + i, dst + i, n - i, ca);
        uint64_t pages = 1ull << (9 * s.level);
        if (s.level == 0 && (paging_lookup(root, va, NULL) & PTE_KERNEL_OWNED)) {
            i++;
            continue; /* the UTCB and HIP stay where the kernel put them */
        }
        unsigned perms = s.perms & pmm;
        uint64_t old = paging_lookup(root, va, NULL);
        uint64_t attr = guest && vcpu_backend() == VCPU_VMX ? 0 : s.attr; /* EPT: memory type in the leaf */
        int r = perms ? paging_map(root, va, s.pa, perms_to_pte(perms, guest) | attr, s.level, &dpd->quota)
                      : paging_unmap(root, va, s.level, &dpd->quota);
        if (r < 0) {
            st = NOVA_INS_MEM; /* a partial failure: what came before stays granted */
            break;
        }
        shrunk |= (old & PTE_P) != 0; /* replaced or removed: stale TLB entries may exist */
        i += pages;
    }
    *progress = i;
    if (shrunk && guest)
        __atomic_fetch_add(&dpd->gst.tlb_gen, 1, __ATOMIC_RELEASE); /* vCPUs flush before VMRUN */
    if (shrunk)
        tlb_shootdown(dpd); /* also interrupts vCPUs that run this PD's guest now */
    return st;
}

unsigned space_mem_source_page(struct pd *spd, uint64_t page, uint64_t *pa)
{
    if (spd->is_nova) {
        *pa = page << NOVA_PAGE_SHIFT;
        return protected_page(page) ? 0 : NOVA_PERM_MEM_ALL;
    }
    uint64_t pte = paging_lookup(spd->pml4, page << NOVA_PAGE_SHIFT, NULL); /* in 4 KiB form */
    *pa = pte & PTE_ADDR;
    return pte_to_perms(pte);
}

int space_mem_map_kernel_page(struct pd *pd, uint64_t va, uint64_t pa, int writable)
{
    return paging_map(pd->pml4, va, pa, PTE_U | PTE_NX | PTE_KERNEL_OWNED | (writable ? PTE_W : 0), 0, &pd->quota);
}
