/* SPDX-License-Identifier: MIT */
/* The AMD SVM virtual machine control block (APM vol. 2, appendix B): control area and save area. */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct vmcb_seg {
    uint16_t sel;
    uint16_t attrib;            /* 12 bits: type, S, DPL, P, AVL, L, DB, G */
    uint32_t limit;
    uint64_t base;
} __attribute__((packed));
_Static_assert(sizeof(struct vmcb_seg) == 16, "vmcb segment");

struct vmcb {
    /* control area */
    uint16_t cr_read, cr_write;         /* 0x000 */
    uint16_t dr_read, dr_write;         /* 0x004 */
    uint32_t exceptions;                /* 0x008 */
    uint32_t misc1;                     /* 0x00c: exits 0x60..0x7f */
    uint32_t misc2;                     /* 0x010: exits 0x80..0x9f */
    uint8_t reserved0[0x3c - 0x14];
    uint16_t pause_threshold, pause_count; /* 0x03c */
    uint64_t iopm_pa;                   /* 0x040 */
    uint64_t msrpm_pa;                  /* 0x048 */
    uint64_t tsc_offset;                /* 0x050 */
    uint32_t asid;                      /* 0x058 */
    uint8_t tlb_control;                /* 0x05c */
    uint8_t reserved1[3];
    uint32_t int_ctl;                   /* 0x060 */
    uint32_t int_vector;                /* 0x064 */
    uint64_t int_shadow;                /* 0x068 */
    uint64_t exitcode;                  /* 0x070 */
    uint64_t exitinfo1;                 /* 0x078 */
    uint64_t exitinfo2;                 /* 0x080 */
    uint32_t exitintinfo;               /* 0x088 */
    uint32_t exitintinfo_err;           /* 0x08c */
    uint64_t np_enable;                 /* 0x090 */
    uint8_t reserved2[0xa8 - 0x98];
    uint32_t eventinj;                  /* 0x0a8 */
    uint32_t eventinj_err;              /* 0x0ac */
    uint64_t n_cr3;                     /* 0x0b0 */
    uint64_t lbr_virt;                  /* 0x0b8 */
    uint64_t clean;                     /* 0x0c0 */
    uint64_t nrip;                      /* 0x0c8 */
    uint8_t reserved3[0x400 - 0xd0];
    /* save area */
    struct vmcb_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr; /* 0x400 */
    uint8_t reserved4[0x4cb - 0x4a0];
    uint8_t cpl;                        /* 0x4cb */
    uint32_t reserved5;
    uint64_t efer;                      /* 0x4d0 */
    uint8_t reserved6[0x548 - 0x4d8];
    uint64_t cr4, cr3, cr0, dr7, dr6, rflags, rip; /* 0x548 */
    uint8_t reserved7[0x5d8 - 0x580];
    uint64_t rsp;                       /* 0x5d8 */
    uint8_t reserved8[0x5f8 - 0x5e0];
    uint64_t rax;                       /* 0x5f8 */
    uint64_t star, lstar, cstar, sfmask, kernel_gs_base; /* 0x600 */
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;   /* 0x628 */
    uint64_t cr2;                       /* 0x640 */
    uint8_t reserved9[0x668 - 0x648];
    uint64_t g_pat;                     /* 0x668 */
    uint8_t reserved10[0x1000 - 0x670];
} __attribute__((packed));

#define VMCB_AT(f, off) _Static_assert(offsetof(struct vmcb, f) == (off), "vmcb." #f)
VMCB_AT(exceptions, 0x008);
VMCB_AT(misc1, 0x00c);
VMCB_AT(iopm_pa, 0x040);
VMCB_AT(asid, 0x058);
VMCB_AT(int_ctl, 0x060);
VMCB_AT(exitcode, 0x070);
VMCB_AT(exitintinfo, 0x088);
VMCB_AT(np_enable, 0x090);
VMCB_AT(eventinj, 0x0a8);
VMCB_AT(n_cr3, 0x0b0);
VMCB_AT(nrip, 0x0c8);
VMCB_AT(es, 0x400);
VMCB_AT(cs, 0x410);
VMCB_AT(gdtr, 0x460);
VMCB_AT(tr, 0x490);
VMCB_AT(cpl, 0x4cb);
VMCB_AT(efer, 0x4d0);
VMCB_AT(cr4, 0x548);
VMCB_AT(rip, 0x578);
VMCB_AT(rsp, 0x5d8);
VMCB_AT(rax, 0x5f8);
VMCB_AT(star, 0x600);
VMCB_AT(kernel_gs_base, 0x620);
VMCB_AT(sysenter_cs, 0x628);
VMCB_AT(cr2, 0x640);
VMCB_AT(g_pat, 0x668);
_Static_assert(sizeof(struct vmcb) == 0x1000, "vmcb size");

/* misc1: bit k = exit 0x60 + k; misc2: bit k = exit 0x80 + k. */
#define SVM_MISC1(code)     (1u << ((code) - 0x60))
#define SVM_MISC2(code)     (1u << ((code) - 0x80))
/* Exits the kernel always takes: the ones it handles itself (INTR, NMI, SMI, INIT), the ones that
   would give the guest the host's resources or stop it for good (CPUID, HLT, INVLPGA, IOIO, MSR,
   SHUTDOWN) and the SVM instructions (spec/qemu-tcg-svm.md section 8). */
#define SVM_FORCED_MISC1 (SVM_MISC1(0x60) | SVM_MISC1(0x61) | SVM_MISC1(0x62) | SVM_MISC1(0x63) | SVM_MISC1(0x72) | \
                          SVM_MISC1(0x78) | SVM_MISC1(0x7a) | SVM_MISC1(0x7b) | SVM_MISC1(0x7c) | SVM_MISC1(0x7f))
#define SVM_FORCED_MISC2 (SVM_MISC2(0x80) | SVM_MISC2(0x81) | SVM_MISC2(0x82) | SVM_MISC2(0x83) | SVM_MISC2(0x84) | \
                          SVM_MISC2(0x85) | SVM_MISC2(0x86) | SVM_MISC2(0x8d))
/* int_ctl */
#define SVM_INT_V_TPR_MASK  0xfu
#define SVM_INT_V_IRQ       (1u << 8)
#define SVM_INT_V_PRIO(p)   ((uint32_t)(p) << 16)
#define SVM_INT_V_IGN_TPR   (1u << 20)
#define SVM_INT_V_INTR_MASKING (1u << 24)
/* EVENTINJ / EXITINTINFO */
#define SVM_EVT_VECTOR_MASK 0xffu
#define SVM_EVT_TYPE_SHIFT  8
#define SVM_EVT_TYPE_MASK   (7u << 8)
#define SVM_EVT_TYPE_INTR   0u
#define SVM_EVT_TYPE_NMI    2u
#define SVM_EVT_TYPE_EXC    3u
#define SVM_EVT_TYPE_SOFT   4u
#define SVM_EVT_EV          (1u << 11)
#define SVM_EVT_V           (1u << 31)
/* segment attributes: P is bit 7 */
#define SVM_ATTR_P          0x0080u
#define SVM_ATTR_MASK       0x0fffu
/* MSRs */
#define MSR_VM_HSAVE_PA     0xc0010117
#define EFER_SVME           (1ull << 12)
#define EFER_LME            (1ull << 8)
#define EFER_LMA            (1ull << 10)
/* bitmap sizes */
#define SVM_IOPM_ORDER      2           /* 12 KiB used, 16 KiB allocated */
#define SVM_IOPM_BYTES      (12 * 1024)
#define SVM_MSRPM_ORDER     1           /* 8 KiB */
#define SVM_MSRPM_BYTES     (8 * 1024)
