/* SPDX-License-Identifier: MIT */
/* UTCB layouts: 512 message words (regular IPC) or the x86-64 architectural state (events). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define NOVA_UTCB_SIZE  4096U
#define NOVA_UTCB_WORDS 512U

/* Regular layout: message words, copied from word[0] upward. */
struct nova_utcb_regular {
    uint64_t word[NOVA_UTCB_WORDS]; /* 0x000 */
};

_Static_assert(sizeof(struct nova_utcb_regular) == NOVA_UTCB_SIZE, "regular UTCB size");

/* Segment register (also GDTR/IDTR, whose sel and ar are unused). */
struct nova_seg {
    uint16_t sel;   /* 0x0 */
    uint16_t ar;    /* 0x2: access rights, NOVA_SEG_AR_* */
    uint32_t limit; /* 0x4 */
    uint64_t base;  /* 0x8 */
} __attribute__((packed));

_Static_assert(sizeof(struct nova_seg) == 0x10, "segment size");
_Static_assert(offsetof(struct nova_seg, sel) == 0x0, "seg.sel");
_Static_assert(offsetof(struct nova_seg, ar) == 0x2, "seg.ar");
_Static_assert(offsetof(struct nova_seg, limit) == 0x4, "seg.limit");
_Static_assert(offsetof(struct nova_seg, base) == 0x8, "seg.base");

/*
 * Access rights: the VMX access-rights format with bits 16:12 moved down to
 * 12:8. Bits 11:0 equal the SVM VMCB attribute word.
 */
#define NOVA_SEG_AR_TYPE_MASK 0x000fU
#define NOVA_SEG_AR_S         0x0010U /* 1 = code/data, 0 = system */
#define NOVA_SEG_AR_DPL_SHIFT 5
#define NOVA_SEG_AR_DPL_MASK  0x0060U
#define NOVA_SEG_AR_P         0x0080U /* present */
#define NOVA_SEG_AR_AVL       0x0100U
#define NOVA_SEG_AR_L         0x0200U /* 64-bit code (CS only) */
#define NOVA_SEG_AR_DB        0x0400U /* 32-bit segment */
#define NOVA_SEG_AR_G         0x0800U /* 4 KiB granularity */
#define NOVA_SEG_AR_UNUSABLE  0x1000U
#define NOVA_SEG_AR_MASK      0x1fffU

#define NOVA_SEG_AR_LOW_MASK   0x00ffU /* same position in the VMX format */
#define NOVA_SEG_AR_HIGH_MASK  0x1f00U /* bits 16:12 in the VMX format */
#define NOVA_VMX_AR_HIGH_SHIFT 4

/* Convert between UTCB access rights and the VMCS access-rights field. */
static inline uint32_t nova_seg_ar_to_vmx(uint16_t ar)
{
    return (ar & NOVA_SEG_AR_LOW_MASK) |
           ((uint32_t)(ar & NOVA_SEG_AR_HIGH_MASK) << NOVA_VMX_AR_HIGH_SHIFT);
}

static inline uint16_t nova_seg_ar_from_vmx(uint32_t vmx)
{
    return (uint16_t)((vmx & NOVA_SEG_AR_LOW_MASK) |
                      ((vmx >> NOVA_VMX_AR_HIGH_SHIFT) & NOVA_SEG_AR_HIGH_MASK));
}

/* Interruption info (intr_info to inject, vect_info at exit). */
#define NOVA_INTR_INFO_VECTOR_MASK 0x000000ffU
#define NOVA_INTR_INFO_TYPE_SHIFT  8
#define NOVA_INTR_INFO_TYPE_MASK   0x00000700U
#define NOVA_INTR_INFO_TYPE(t)     ((uint32_t)(t) << NOVA_INTR_INFO_TYPE_SHIFT)
#define NOVA_INTR_INFO_E           0x00000800U /* deliver intr_error */
#define NOVA_INTR_INFO_I           0x00001000U /* request an interrupt window */
#define NOVA_INTR_INFO_N           0x00002000U /* request an NMI window */
#define NOVA_INTR_INFO_V           0x80000000U /* valid */

/* Values of the type field (unshifted). */
#define NOVA_INTR_TYPE_EXTINT      0
#define NOVA_INTR_TYPE_NMI         2
#define NOVA_INTR_TYPE_HW_EXC      3
#define NOVA_INTR_TYPE_SW_INT      4
#define NOVA_INTR_TYPE_PRIV_SW_EXC 5
#define NOVA_INTR_TYPE_SW_EXC      6
#define NOVA_INTR_TYPE_OTHER       7

/* Interruptibility state (VMX; on SVM only STI = the VMCB interrupt shadow). */
#define NOVA_INTR_STATE_STI    0x1U
#define NOVA_INTR_STATE_MOV_SS 0x2U
#define NOVA_INTR_STATE_SMI    0x4U
#define NOVA_INTR_STATE_NMI    0x8U

/* Activity state (VMX; always ACTIVE on SVM). */
#define NOVA_ACTV_STATE_ACTIVE    0
#define NOVA_ACTV_STATE_HLT       1
#define NOVA_ACTV_STATE_SHUTDOWN  2
#define NOVA_ACTV_STATE_WAIT_SIPI 3

/* Architectural layout (x86-64). Which groups move is chosen by the MTD. */
struct nova_utcb_arch {
    uint64_t rax;            /* 0x000 */
    uint64_t rcx;            /* 0x008 */
    uint64_t rdx;            /* 0x010 */
    uint64_t rbx;            /* 0x018 */
    uint64_t rsp;            /* 0x020 */
    uint64_t rbp;            /* 0x028 */
    uint64_t rsi;            /* 0x030 */
    uint64_t rdi;            /* 0x038 */
    uint64_t r8;             /* 0x040 */
    uint64_t r9;             /* 0x048 */
    uint64_t r10;            /* 0x050 */
    uint64_t r11;            /* 0x058 */
    uint64_t r12;            /* 0x060 */
    uint64_t r13;            /* 0x068 */
    uint64_t r14;            /* 0x070 */
    uint64_t r15;            /* 0x078 */
    uint64_t rflags;         /* 0x080 */
    uint64_t rip;            /* 0x088 */
    uint32_t inst_len;       /* 0x090 */
    uint32_t inst_info;      /* 0x094 */
    uint32_t intr_state;     /* 0x098: interruptibility */
    uint32_t actv_state;     /* 0x09c: activity */
    uint64_t qual[3];        /* 0x0a0: exit qualification, linear, physical */
    uint64_t reserved;       /* 0x0b8 */
    uint32_t ctrl_pri;       /* 0x0c0: primary exec controls */
    uint32_t ctrl_sec;       /* 0x0c4: secondary exec controls */
    uint64_t ctrl_ter;       /* 0x0c8: tertiary exec controls */
    uint64_t cr0_mask;       /* 0x0d0: CR0 intercept mask */
    uint64_t cr4_mask;       /* 0x0d8: CR4 intercept mask */
    uint32_t exc_bitmap;     /* 0x0e0 */
    uint32_t pfec_mask;      /* 0x0e4 */
    uint32_t pfec_match;     /* 0x0e8 */
    uint32_t tpr_threshold;  /* 0x0ec */
    uint32_t intr_info;      /* 0x0f0: NOVA_INTR_INFO_* */
    uint32_t intr_error;     /* 0x0f4 */
    uint32_t vect_info;      /* 0x0f8: IDT vectoring info */
    uint32_t vect_error;     /* 0x0fc */
    struct nova_seg cs;      /* 0x100 */
    struct nova_seg ss;      /* 0x110 */
    struct nova_seg ds;      /* 0x120 */
    struct nova_seg es;      /* 0x130 */
    struct nova_seg fs;      /* 0x140 */
    struct nova_seg gs;      /* 0x150 */
    struct nova_seg tr;      /* 0x160 */
    struct nova_seg ldtr;    /* 0x170 */
    struct nova_seg gdtr;    /* 0x180 */
    struct nova_seg idtr;    /* 0x190 */
    uint64_t pdpte[4];       /* 0x1a0 */
    uint64_t cr0;            /* 0x1c0 */
    uint64_t cr2;            /* 0x1c8 */
    uint64_t cr3;            /* 0x1d0 */
    uint64_t cr4;            /* 0x1d8 */
    uint64_t cr8;            /* 0x1e0 */
    uint64_t dr7;            /* 0x1e8 */
    uint64_t xcr0;           /* 0x1f0 */
    uint64_t xss;            /* 0x1f8 */
    uint64_t sysenter_cs;    /* 0x200 */
    uint64_t sysenter_esp;   /* 0x208 */
    uint64_t sysenter_eip;   /* 0x210 */
    uint64_t pat;            /* 0x218 */
    uint64_t efer;           /* 0x220 */
    uint64_t star;           /* 0x228 */
    uint64_t lstar;          /* 0x230 */
    uint64_t fmask;          /* 0x238 */
    uint64_t kernel_gs_base; /* 0x240 */
} __attribute__((packed));

#define NOVA_UTCB_ARCH_SIZE 0x248U

#define NOVA_UTCB_ARCH_AT(f, off)                                                                  \
    _Static_assert(offsetof(struct nova_utcb_arch, f) == (off), "utcb_arch." #f)

NOVA_UTCB_ARCH_AT(rax, 0x000);
NOVA_UTCB_ARCH_AT(rcx, 0x008);
NOVA_UTCB_ARCH_AT(rdx, 0x010);
NOVA_UTCB_ARCH_AT(rbx, 0x018);
NOVA_UTCB_ARCH_AT(rsp, 0x020);
NOVA_UTCB_ARCH_AT(rbp, 0x028);
NOVA_UTCB_ARCH_AT(rsi, 0x030);
NOVA_UTCB_ARCH_AT(rdi, 0x038);
NOVA_UTCB_ARCH_AT(r8, 0x040);
NOVA_UTCB_ARCH_AT(r9, 0x048);
NOVA_UTCB_ARCH_AT(r10, 0x050);
NOVA_UTCB_ARCH_AT(r11, 0x058);
NOVA_UTCB_ARCH_AT(r12, 0x060);
NOVA_UTCB_ARCH_AT(r13, 0x068);
NOVA_UTCB_ARCH_AT(r14, 0x070);
NOVA_UTCB_ARCH_AT(r15, 0x078);
NOVA_UTCB_ARCH_AT(rflags, 0x080);
NOVA_UTCB_ARCH_AT(rip, 0x088);
NOVA_UTCB_ARCH_AT(inst_len, 0x090);
NOVA_UTCB_ARCH_AT(inst_info, 0x094);
NOVA_UTCB_ARCH_AT(intr_state, 0x098);
NOVA_UTCB_ARCH_AT(actv_state, 0x09c);
NOVA_UTCB_ARCH_AT(qual, 0x0a0);
NOVA_UTCB_ARCH_AT(reserved, 0x0b8);
NOVA_UTCB_ARCH_AT(ctrl_pri, 0x0c0);
NOVA_UTCB_ARCH_AT(ctrl_sec, 0x0c4);
NOVA_UTCB_ARCH_AT(ctrl_ter, 0x0c8);
NOVA_UTCB_ARCH_AT(cr0_mask, 0x0d0);
NOVA_UTCB_ARCH_AT(cr4_mask, 0x0d8);
NOVA_UTCB_ARCH_AT(exc_bitmap, 0x0e0);
NOVA_UTCB_ARCH_AT(pfec_mask, 0x0e4);
NOVA_UTCB_ARCH_AT(pfec_match, 0x0e8);
NOVA_UTCB_ARCH_AT(tpr_threshold, 0x0ec);
NOVA_UTCB_ARCH_AT(intr_info, 0x0f0);
NOVA_UTCB_ARCH_AT(intr_error, 0x0f4);
NOVA_UTCB_ARCH_AT(vect_info, 0x0f8);
NOVA_UTCB_ARCH_AT(vect_error, 0x0fc);
NOVA_UTCB_ARCH_AT(cs, 0x100);
NOVA_UTCB_ARCH_AT(ss, 0x110);
NOVA_UTCB_ARCH_AT(ds, 0x120);
NOVA_UTCB_ARCH_AT(es, 0x130);
NOVA_UTCB_ARCH_AT(fs, 0x140);
NOVA_UTCB_ARCH_AT(gs, 0x150);
NOVA_UTCB_ARCH_AT(tr, 0x160);
NOVA_UTCB_ARCH_AT(ldtr, 0x170);
NOVA_UTCB_ARCH_AT(gdtr, 0x180);
NOVA_UTCB_ARCH_AT(idtr, 0x190);
NOVA_UTCB_ARCH_AT(pdpte, 0x1a0);
NOVA_UTCB_ARCH_AT(cr0, 0x1c0);
NOVA_UTCB_ARCH_AT(cr2, 0x1c8);
NOVA_UTCB_ARCH_AT(cr3, 0x1d0);
NOVA_UTCB_ARCH_AT(cr4, 0x1d8);
NOVA_UTCB_ARCH_AT(cr8, 0x1e0);
NOVA_UTCB_ARCH_AT(dr7, 0x1e8);
NOVA_UTCB_ARCH_AT(xcr0, 0x1f0);
NOVA_UTCB_ARCH_AT(xss, 0x1f8);
NOVA_UTCB_ARCH_AT(sysenter_cs, 0x200);
NOVA_UTCB_ARCH_AT(sysenter_esp, 0x208);
NOVA_UTCB_ARCH_AT(sysenter_eip, 0x210);
NOVA_UTCB_ARCH_AT(pat, 0x218);
NOVA_UTCB_ARCH_AT(efer, 0x220);
NOVA_UTCB_ARCH_AT(star, 0x228);
NOVA_UTCB_ARCH_AT(lstar, 0x230);
NOVA_UTCB_ARCH_AT(fmask, 0x238);
NOVA_UTCB_ARCH_AT(kernel_gs_base, 0x240);
_Static_assert(sizeof(struct nova_utcb_arch) == NOVA_UTCB_ARCH_SIZE, "arch UTCB size");

#undef NOVA_UTCB_ARCH_AT

/* One UTCB page, seen in either layout. */
union nova_utcb {
    struct nova_utcb_regular regular;
    struct nova_utcb_arch arch;
};

_Static_assert(sizeof(union nova_utcb) == NOVA_UTCB_SIZE, "UTCB size");
