/* SPDX-License-Identifier: MIT */
/* Guest page-table walker: linear to guest-physical for every x86 paging mode, with #PF error codes. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Access kinds, with the values of the #PF error-code bits they set. */
#define X86_ACC_WRITE 0x02u
#define X86_ACC_USER  0x04u /* CPL 3 */
#define X86_ACC_FETCH 0x10u

/* #PF error-code bits. */
#define X86_PFEC_P    0x01u /* 0: not present; 1: protection or reserved-bit violation */
#define X86_PFEC_W    0x02u
#define X86_PFEC_U    0x04u
#define X86_PFEC_RSVD 0x08u
#define X86_PFEC_ID   0x10u

#define X86_VEC_GP 13u
#define X86_VEC_PF 14u

/* Control-register bits the walker looks at. */
#define X86_CR0_WP   (1ull << 16)
#define X86_CR0_PG   (1ull << 31)
#define X86_CR4_PSE  (1ull << 4)
#define X86_CR4_PAE  (1ull << 5)
#define X86_CR4_LA57 (1ull << 12)
#define X86_CR4_SMEP (1ull << 20)
#define X86_EFER_LMA (1ull << 10)
#define X86_EFER_NXE (1ull << 11)

/* Results of x86_walk. */
#define X86_WALK_OK    0
#define X86_WALK_PF    (-1) /* page fault: inject #PF with fault->error_code, CR2 = fault->addr */
#define X86_WALK_GP    (-2) /* non-canonical address in long mode: #GP(0) (or #SS for stack accesses) */
#define X86_WALK_EPHYS (-3) /* read_phys failed on a paging-structure address: not guest RAM */

struct x86_paging {
    uint64_t cr0, cr3, cr4, efer;  /* efer.LMA selects 4/5-level paging (with CR0.PG and CR4.PAE) */
    unsigned maxphyaddr;           /* the guest's physical address width; 0 means 52 */
    void *opaque;
    /* Read size (4 or 8) bytes of guest-physical memory, little-endian; 0 or -1. */
    int (*read_phys)(void *opaque, uint64_t gpa, uint64_t *value, unsigned size);
};

struct x86_fault {
    uint8_t vector;      /* X86_VEC_PF or X86_VEC_GP */
    uint32_t error_code; /* X86_PFEC_* for #PF, 0 for #GP */
    uint64_t addr;       /* the faulting linear address (CR2 for #PF) */
};

/* Translate `linear` for an access of kind `access` (X86_ACC_* bits). Returns X86_WALK_OK with
   *gpa, or an error with *fault filled (for X86_WALK_EPHYS fault->addr is the table address).
   Checks present, R/W (CR0.WP for supervisor writes), U/S, NX (EFER.NXE), SMEP and reserved
   bits. Not modelled: accessed/dirty bits are never set (the VMM walks only to fetch and emulate
   MMIO instructions), SMAP, protection keys, and the PDPTE cache of PAE paging (PDPTEs are read
   from memory at CR3 on every walk). Paging off gives gpa = linear mod 2^32. */
int x86_walk(const struct x86_paging *p, uint64_t linear, unsigned access, uint64_t *gpa,
             struct x86_fault *fault);
