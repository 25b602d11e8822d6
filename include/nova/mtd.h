/* SPDX-License-Identifier: MIT */
/* Message transfer descriptors: regular (word count) and architectural (state groups). */
#pragma once

#include <stdint.h>

/*
 * Regular MTD (ipc_call, ipc_reply from a thread): bits 8:0 hold the number
 * of message words minus one, so 1..512 words move; bits 31:9 are ignored.
 */
#define NOVA_MTD_WORDS_MASK 0x1ffU
#define NOVA_MTD_WORDS(n)   (((uint32_t)(n)-1) & NOVA_MTD_WORDS_MASK)

/* Number of message words a regular MTD transfers. */
static inline unsigned nova_mtd_words(uint32_t mtd)
{
    return (mtd & NOVA_MTD_WORDS_MASK) + 1;
}

/*
 * Architectural MTD (events, and ipc_reply to an event; set per portal with
 * ctrl_pt). r = copied into the UTCB at the event, w = written back at
 * ipc_reply. Host exceptions use only POISON, GPR_*, RFLAGS, RIP and QUAL.
 */
#define NOVA_MTD_POISON    (1U << 0)  /* w:  kill the thread / vCPU */
#define NOVA_MTD_GPR_0_7   (1U << 1)  /* rw: rax .. rdi (incl. rsp) */
#define NOVA_MTD_GPR_8_15  (1U << 2)  /* rw: r8 .. r15 */
#define NOVA_MTD_RFLAGS    (1U << 3)  /* rw: rflags (sanitised for threads) */
#define NOVA_MTD_RIP       (1U << 4)  /* rw: rip; vCPU also inst_len (rw), inst_info (r) */
#define NOVA_MTD_STA       (1U << 5)  /* rw: intr_state, actv_state */
#define NOVA_MTD_QUAL      (1U << 6)  /* r:  qual[0..2] (thread: error code, CR2) */
#define NOVA_MTD_CTRL      (1U << 7)  /* w:  exec controls, CR0/CR4 masks, exc_bitmap, pfec */
#define NOVA_MTD_TPR       (1U << 8)  /* w:  tpr_threshold */
#define NOVA_MTD_INJ       (1U << 9)  /* w: intr_info/error; r: also vect_info/error */
#define NOVA_MTD_CS_SS     (1U << 10) /* rw */
#define NOVA_MTD_DS_ES     (1U << 11) /* rw */
#define NOVA_MTD_FS_GS     (1U << 12) /* rw */
#define NOVA_MTD_TR        (1U << 13) /* rw */
#define NOVA_MTD_LDTR      (1U << 14) /* rw */
#define NOVA_MTD_GDTR      (1U << 15) /* rw */
#define NOVA_MTD_IDTR      (1U << 16) /* rw */
#define NOVA_MTD_PDPTE     (1U << 17) /* rw: pdpte[0..3] */
#define NOVA_MTD_CR        (1U << 18) /* rw: cr0, cr2, cr3, cr4, cr8 */
#define NOVA_MTD_DR        (1U << 19) /* rw: dr7 */
#define NOVA_MTD_XSAVE     (1U << 20) /* rw: xcr0, xss */
#define NOVA_MTD_SYSENTER  (1U << 21) /* rw: sysenter_cs/esp/eip */
#define NOVA_MTD_PAT       (1U << 22) /* rw */
#define NOVA_MTD_EFER      (1U << 23) /* rw */
#define NOVA_MTD_SYSCALL   (1U << 24) /* rw: star, lstar, fmask */
#define NOVA_MTD_KERNEL_GS (1U << 25) /* rw: kernel_gs_base */
#define NOVA_MTD_TLB       (1U << 30) /* w:  flush the vCPU's guest TLB */
#define NOVA_MTD_FPU       (1U << 31) /* defined, never acted upon */

/* All defined architectural bits (26..29 are reserved). */
#define NOVA_MTD_ARCH_MASK (((1U << 26) - 1) | NOVA_MTD_TLB | NOVA_MTD_FPU)

/* The groups a thread's host exception can move. */
#define NOVA_MTD_HST_MASK                                                                          \
    (NOVA_MTD_POISON | NOVA_MTD_GPR_0_7 | NOVA_MTD_GPR_8_15 | NOVA_MTD_RFLAGS | NOVA_MTD_RIP |     \
     NOVA_MTD_QUAL)
