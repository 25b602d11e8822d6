/* SPDX-License-Identifier: MIT */
/* Guest page-table walker (Intel SDM vol. 3, ch. 4): 32-bit, PAE, 4-level and 5-level paging. */

#include "cpu/paging.h"

#include <stddef.h>

#define PTE_P   (1ull << 0)
#define PTE_RW  (1ull << 1)
#define PTE_US  (1ull << 2)
#define PTE_PS  (1ull << 7)
#define PTE_NX  (1ull << 63)

/* One walk: the request and the rights accumulated over the levels. */
struct walk {
    const struct x86_paging *p;
    uint64_t linear;
    unsigned access;
    struct x86_fault *f;
    unsigned maxphy;
    bool rw, us, nx;
};

static uint64_t bits(unsigned hi, unsigned lo)
{
    return ((hi >= 63 ? ~0ull : (1ull << (hi + 1)) - 1)) & ~((1ull << lo) - 1);
}

/* Fill a #PF; P, RSVD come from `why`, W/U/I-D from the access. */
static int page_fault(struct walk *w, uint32_t why)
{
    const struct x86_paging *p = w->p;
    uint32_t ec = why | (w->access & (X86_ACC_WRITE | X86_ACC_USER));
    bool id_reported = (p->cr4 & X86_CR4_SMEP) || ((p->cr4 & X86_CR4_PAE) && (p->efer & X86_EFER_NXE));
    if ((w->access & X86_ACC_FETCH) && id_reported)
        ec |= X86_PFEC_ID;
    w->f->vector = X86_VEC_PF;
    w->f->error_code = ec;
    w->f->addr = w->linear;
    return X86_WALK_PF;
}

static int read_entry(struct walk *w, uint64_t addr, unsigned size, uint64_t *e)
{
    *e = 0;
    if (w->p->read_phys(w->p->opaque, addr, e, size) != 0) {
        w->f->vector = X86_VEC_PF;
        w->f->error_code = 0;
        w->f->addr = addr;
        return X86_WALK_EPHYS;
    }
    if (size == 4)
        *e &= 0xffffffffull;
    return 0;
}

/* Accumulate an entry's rights: writable/user only if every level allows it, NX if any sets it. */
static void accumulate(struct walk *w, uint64_t e, bool nxe)
{
    w->rw = w->rw && (e & PTE_RW);
    w->us = w->us && (e & PTE_US);
    w->nx = w->nx || (nxe && (e & PTE_NX));
}

/* Rights check at the leaf; on success *gpa = frame | offset. */
static int finish(struct walk *w, uint64_t frame, uint64_t page_mask, uint64_t *gpa)
{
    const struct x86_paging *p = w->p;
    bool user = w->access & X86_ACC_USER;
    bool denied = user && !w->us;
    if ((w->access & X86_ACC_WRITE) && !w->rw && (user || (p->cr0 & X86_CR0_WP)))
        denied = true;
    if (w->access & X86_ACC_FETCH) {
        if (w->nx || (!user && w->us && (p->cr4 & X86_CR4_SMEP)))
            denied = true;
    }
    if (denied)
        return page_fault(w, X86_PFEC_P);
    *gpa = (frame & ~page_mask) | (w->linear & page_mask);
    return X86_WALK_OK;
}

/* 32-bit paging: 4-byte entries, 4 MiB pages with CR4.PSE (PSE-36 high address bits 20:13). */
static int walk32(struct walk *w, uint64_t *gpa)
{
    const struct x86_paging *p = w->p;
    uint64_t pde, pte;
    int r = read_entry(w, (p->cr3 & 0xfffff000ull) + ((w->linear >> 22) & 0x3ff) * 4, 4, &pde);
    if (r)
        return r;
    if (!(pde & PTE_P))
        return page_fault(w, 0);
    accumulate(w, pde, false);
    if ((pde & PTE_PS) && (p->cr4 & X86_CR4_PSE)) {
        unsigned hi = w->maxphy > 40 ? 40 : w->maxphy; /* PSE-36 holds address bits 39:32 */
        uint64_t rsvd = bits(21, 13 + (hi - 32));
        if (pde & rsvd)
            return page_fault(w, X86_PFEC_P | X86_PFEC_RSVD);
        uint64_t frame = (pde & 0xffc00000ull) | (((pde >> 13) & 0xff) << 32);
        return finish(w, frame, 0x3fffff, gpa);
    }
    r = read_entry(w, (pde & 0xfffff000ull) + ((w->linear >> 12) & 0x3ff) * 4, 4, &pte);
    if (r)
        return r;
    if (!(pte & PTE_P))
        return page_fault(w, 0);
    accumulate(w, pte, false);
    return finish(w, pte & 0xfffff000ull, 0xfff, gpa);
}

/* Reserved bits of a 64-bit entry at the level translating bits shift+8..shift. */
static uint64_t reserved64(const struct walk *w, unsigned shift, uint64_t e, bool nxe)
{
    uint64_t rsvd = w->maxphy < 52 ? bits(51, w->maxphy) : 0;
    if (!nxe)
        rsvd |= PTE_NX;
    if (shift >= 39)
        rsvd |= PTE_PS;
    else if (shift == 30 && (e & PTE_PS))
        rsvd |= bits(29, 13);
    else if (shift == 21 && (e & PTE_PS))
        rsvd |= bits(20, 13);
    return rsvd;
}

/* Walk 8-byte tables from `table` for the levels from `shift` down to 12 (PAE, 4- and 5-level). */
static int walk64(struct walk *w, uint64_t table, unsigned shift, uint64_t *gpa)
{
    bool nxe = w->p->efer & X86_EFER_NXE;
    uint64_t addr_mask = bits(w->maxphy - 1, 12);
    for (;; shift -= 9) {
        uint64_t e;
        int r = read_entry(w, table + ((w->linear >> shift) & 511) * 8, 8, &e);
        if (r)
            return r;
        if (!(e & PTE_P))
            return page_fault(w, 0);
        if (e & reserved64(w, shift, e, nxe))
            return page_fault(w, X86_PFEC_P | X86_PFEC_RSVD);
        accumulate(w, e, nxe);
        if (shift == 12 || ((shift == 21 || shift == 30) && (e & PTE_PS)))
            return finish(w, e & addr_mask, (1ull << shift) - 1, gpa);
        table = e & addr_mask;
    }
}

/* PAE paging: four PDPTEs at CR3 bits 31:5, which carry no rights and reserve bits 2:1, 8:5, 63. */
static int walk_pae(struct walk *w, uint64_t *gpa)
{
    uint64_t pdpte;
    int r = read_entry(w, (w->p->cr3 & 0xffffffe0ull) + ((w->linear >> 30) & 3) * 8, 8, &pdpte);
    if (r)
        return r;
    if (!(pdpte & PTE_P))
        return page_fault(w, 0);
    uint64_t rsvd = bits(2, 1) | bits(8, 5) | PTE_NX | (w->maxphy < 52 ? bits(51, w->maxphy) : 0);
    if (pdpte & rsvd)
        return page_fault(w, X86_PFEC_P | X86_PFEC_RSVD);
    return walk64(w, pdpte & bits(w->maxphy - 1, 12), 21, gpa);
}

/* Bits 63..va_bits-1 must all equal bit va_bits-1. */
static bool canonical(uint64_t linear, unsigned va_bits)
{
    int64_t s = (int64_t)(linear << (64 - va_bits)) >> (64 - va_bits);
    return (uint64_t)s == linear;
}

int x86_walk(const struct x86_paging *p, uint64_t linear, unsigned access, uint64_t *gpa,
             struct x86_fault *fault)
{
    struct walk w = { .p = p, .linear = linear, .access = access, .f = fault, .rw = true, .us = true };
    w.maxphy = p->maxphyaddr ? p->maxphyaddr : 52;
    if (w.maxphy < 32 || w.maxphy > 52)
        w.maxphy = 52;
    bool lma = (p->efer & X86_EFER_LMA) && (p->cr0 & X86_CR0_PG);
    if (!lma)
        w.linear = linear &= 0xffffffffull;
    if (!(p->cr0 & X86_CR0_PG)) {
        *gpa = linear;
        return X86_WALK_OK;
    }
    if (!(p->cr4 & X86_CR4_PAE))
        return walk32(&w, gpa);
    if (!lma)
        return walk_pae(&w, gpa);
    bool la57 = p->cr4 & X86_CR4_LA57;
    if (!canonical(linear, la57 ? 57 : 48)) {
        fault->vector = X86_VEC_GP;
        fault->error_code = 0;
        fault->addr = linear;
        return X86_WALK_GP;
    }
    return walk64(&w, p->cr3 & bits(w.maxphy - 1, 12), la57 ? 48 : 39, gpa);
}
