/* SPDX-License-Identifier: MIT */
/* Hypercall numbers, the RDI identifier format, per-call flags and register usage (x86-64). */
#pragma once

#include <stdint.h>

/*
 * A hypercall is a `syscall` with the identifier in RDI:
 *
 *   RDI[3:0]   hypercall number (enum nova_hypercall)
 *   RDI[7:4]   four per-call flags; "flag n" is RDI bit 4+n
 *   RDI[63:8]  first operand: an object selector, or the desc of ctrl_hw
 *
 * On return RDI[7:0] holds the status (enum nova_status, the rest of RDI is
 * zero), RCX holds the caller's RIP + 2 and R11 holds 0x202 (the RFLAGS value
 * after sysret). RCX and R11 are always clobbered; every other GPR is kept
 * unless the table below names it as an output. Our kernel writes SUCCESS
 * into RDI also for a successful ipc_call (the spec wins over NOVA 22.26.0).
 *
 *  nr  call        flags    RDI[63:8] RSI             RDX              RAX        R8
 *  0x0 ipc_call    T        PT        mtd
 *  0x1 ipc_reply   -        ignored   mtd                                              (*)
 *  0x2 create_pd   -        new sel   owner PD
 *  0x3 create_ec   T V F    new sel   owner PD        utcb[63:12]|cpu  sp         evt
 *  0x4 create_sc   -        new sel   owner PD        EC               SCD
 *  0x5 create_pt   -        new sel   owner PD        EC (local)       portal IP
 *  0x6 create_sm   -        new sel   owner PD        initial count
 *  0x7 ctrl_pd     -        src PD    dst PD          src operand      dst operand  (below)
 *  0x8 ctrl_ec     S        EC
 *  0x9 ctrl_sc     -        SC
 *  0xa ctrl_pt     -        PT        PID             arch MTD
 *  0xb ctrl_sm     DOWN Z   SM        deadline (STC ticks, 0 = none; down only)
 *  0xc ctrl_hw     OP[3:0]  desc                                    (descriptors.h)
 *  0xd assign_int  M T P G  SM        cpu             dev (BDF)
 *  0xe assign_dev  -        PD        smmu[63:12]|acc DAD
 *  0xf reserved                                                     (always BAD_HYP)
 *
 * Outputs besides the status:
 *  ipc_call    RSI = the mtd the callee passed to ipc_reply
 *  ctrl_sc     RSI = consumed time in STC ticks
 *  assign_int  RSI = msi_addr[31:0], RDX = msi_data[15:0] (both 0 for a pin)
 *
 * (*) ipc_reply sends the reply (a regular mtd to a calling thread, an
 * architectural mtd to an EC whose event this was) and waits; the next call
 * into this EC resumes it at the portal IP with RDI = portal ID, RSI = mtd and
 * RSP as it was at ipc_reply (for the first message: the sp given to create_ec).
 */

enum nova_hypercall {
    NOVA_IPC_CALL = 0x0,
    NOVA_IPC_REPLY,
    NOVA_CREATE_PD,
    NOVA_CREATE_EC,
    NOVA_CREATE_SC,
    NOVA_CREATE_PT,
    NOVA_CREATE_SM,
    NOVA_CTRL_PD,
    NOVA_CTRL_EC,
    NOVA_CTRL_SC,
    NOVA_CTRL_PT,
    NOVA_CTRL_SM,
    NOVA_CTRL_HW,
    NOVA_ASSIGN_INT,
    NOVA_ASSIGN_DEV,
    NOVA_HC_RESERVED = 0xf,
};

#define NOVA_HC_COUNT 16

/* Identifier fields in RDI. */
#define NOVA_HC_NR_MASK     0xfUL
#define NOVA_HC_FLAGS_SHIFT 4
#define NOVA_HC_FLAGS_MASK  0xfUL /* the 4-bit flags value, after shifting */
#define NOVA_HC_FLAG(n)     (1UL << (4 + (n)))
#define NOVA_HC_SEL_SHIFT   8

_Static_assert(NOVA_ASSIGN_DEV == 0xe, "hypercall numbering");
_Static_assert(NOVA_HC_RESERVED + 1 == NOVA_HC_COUNT, "hypercall table size");

/* Flag values (4-bit, passed as `flags` to nova_hc_id). */
#define NOVA_IPC_CALL_T   0x1U /* fail with TIMEOUT instead of helping a busy callee */
#define NOVA_CREATE_EC_T  0x1U /* thread: global EC; vCPU: TSC offsetting */
#define NOVA_CREATE_EC_V  0x2U /* create a vCPU instead of a thread */
#define NOVA_CREATE_EC_F  0x4U /* the EC may use the FPU */
#define NOVA_CTRL_EC_S    0x1U /* strong recall: wait for the target to enter the kernel */
#define NOVA_CTRL_SM_DOWN 0x1U /* 0 = up, 1 = down */
#define NOVA_CTRL_SM_ZERO 0x2U /* on down: clear the counter instead of decrementing */
#define NOVA_ASSIGN_INT_M 0x1U /* masked */
#define NOVA_ASSIGN_INT_T 0x2U /* level-triggered (else edge) */
#define NOVA_ASSIGN_INT_P 0x4U /* active-low (else active-high) */
#define NOVA_ASSIGN_INT_G 0x8U /* guest-owned (else host-owned) */

/* create_ec RDX: page-aligned UTCB address in [63:12], CPU number in [11:0]. */
#define NOVA_CREATE_EC_CPU_MASK  0xfffUL
#define NOVA_CREATE_EC_UTCB_MASK (~0xfffUL)

/* Build the RDI identifier; flags is the 4-bit value, sel the operand. */
static inline uint64_t nova_hc_id(unsigned nr, unsigned flags, uint64_t sel)
{
    return (sel << NOVA_HC_SEL_SHIFT) | ((flags & NOVA_HC_FLAGS_MASK) << NOVA_HC_FLAGS_SHIFT) |
           (nr & NOVA_HC_NR_MASK);
}

/* Decode an RDI identifier (kernel side). */
static inline unsigned nova_hc_nr(uint64_t rdi)
{
    return (unsigned)(rdi & NOVA_HC_NR_MASK);
}

static inline unsigned nova_hc_flags(uint64_t rdi)
{
    return (unsigned)((rdi >> NOVA_HC_FLAGS_SHIFT) & NOVA_HC_FLAGS_MASK);
}

static inline uint64_t nova_hc_sel(uint64_t rdi)
{
    return rdi >> NOVA_HC_SEL_SHIFT;
}

/* create_ec RDX operand from a UTCB address (low 12 bits dropped) and a CPU. */
static inline uint64_t nova_create_ec_utcb_cpu(uint64_t utcb, unsigned cpu)
{
    return (utcb & NOVA_CREATE_EC_UTCB_MASK) | (cpu & NOVA_CREATE_EC_CPU_MASK);
}

/*
 * ctrl_pd operands. Mask values apply after shifting right by the shift.
 *   RDX (source):      [63:12] base selector, [6:2] ord, [1:0] spc
 *   RAX (destination): [63:12] base selector, [11:10] sh, [9:7] ca, [6:2] pmm, [1:0] acc
 * The range is 2^ord selectors; both bases must be 2^ord aligned. For MEM the
 * selectors are page numbers (physical when the source is PD_NOVA).
 */
#define NOVA_CTRL_PD_SEL_SHIFT 12
#define NOVA_CTRL_PD_ORD_SHIFT 2
#define NOVA_CTRL_PD_ORD_MASK  0x1fU
#define NOVA_CTRL_PD_SPC_SHIFT 0
#define NOVA_CTRL_PD_SPC_MASK  0x3U
#define NOVA_CTRL_PD_SH_SHIFT  10
#define NOVA_CTRL_PD_SH_MASK   0x3U
#define NOVA_CTRL_PD_CA_SHIFT  7
#define NOVA_CTRL_PD_CA_MASK   0x7U
#define NOVA_CTRL_PD_PMM_SHIFT 2
#define NOVA_CTRL_PD_PMM_MASK  0x1fU
#define NOVA_CTRL_PD_ACC_SHIFT 0
#define NOVA_CTRL_PD_ACC_MASK  0x3U

/* Source operand (RDX). */
static inline uint64_t nova_ctrl_pd_src(uint64_t sel, unsigned ord, unsigned spc)
{
    return (sel << NOVA_CTRL_PD_SEL_SHIFT) |
           ((uint64_t)(ord & NOVA_CTRL_PD_ORD_MASK) << NOVA_CTRL_PD_ORD_SHIFT) |
           ((uint64_t)(spc & NOVA_CTRL_PD_SPC_MASK) << NOVA_CTRL_PD_SPC_SHIFT);
}

/* Destination operand (RAX). */
static inline uint64_t nova_ctrl_pd_dst(uint64_t sel, unsigned sh, unsigned ca, unsigned pmm,
                                        unsigned acc)
{
    return (sel << NOVA_CTRL_PD_SEL_SHIFT) |
           ((uint64_t)(sh & NOVA_CTRL_PD_SH_MASK) << NOVA_CTRL_PD_SH_SHIFT) |
           ((uint64_t)(ca & NOVA_CTRL_PD_CA_MASK) << NOVA_CTRL_PD_CA_SHIFT) |
           ((uint64_t)(pmm & NOVA_CTRL_PD_PMM_MASK) << NOVA_CTRL_PD_PMM_SHIFT) |
           ((uint64_t)(acc & NOVA_CTRL_PD_ACC_MASK) << NOVA_CTRL_PD_ACC_SHIFT);
}

/* Field extraction, for either operand. */
static inline uint64_t nova_ctrl_pd_sel(uint64_t op)
{
    return op >> NOVA_CTRL_PD_SEL_SHIFT;
}

static inline unsigned nova_ctrl_pd_ord(uint64_t op)
{
    return (unsigned)(op >> NOVA_CTRL_PD_ORD_SHIFT) & NOVA_CTRL_PD_ORD_MASK;
}

static inline unsigned nova_ctrl_pd_spc(uint64_t op)
{
    return (unsigned)(op >> NOVA_CTRL_PD_SPC_SHIFT) & NOVA_CTRL_PD_SPC_MASK;
}

static inline unsigned nova_ctrl_pd_sh(uint64_t op)
{
    return (unsigned)(op >> NOVA_CTRL_PD_SH_SHIFT) & NOVA_CTRL_PD_SH_MASK;
}

static inline unsigned nova_ctrl_pd_ca(uint64_t op)
{
    return (unsigned)(op >> NOVA_CTRL_PD_CA_SHIFT) & NOVA_CTRL_PD_CA_MASK;
}

static inline unsigned nova_ctrl_pd_pmm(uint64_t op)
{
    return (unsigned)(op >> NOVA_CTRL_PD_PMM_SHIFT) & NOVA_CTRL_PD_PMM_MASK;
}

static inline unsigned nova_ctrl_pd_acc(uint64_t op)
{
    return (unsigned)(op >> NOVA_CTRL_PD_ACC_SHIFT) & NOVA_CTRL_PD_ACC_MASK;
}
