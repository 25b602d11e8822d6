/* SPDX-License-Identifier: MIT */
/* Capability permissions, space/access/cacheability types and the ctrl_pd operands. */
#pragma once

#include <stdint.h>

#define NOVA_PAGE_SHIFT 12
#define NOVA_PAGE_SIZE  (1UL << NOVA_PAGE_SHIFT)

/* Every capability carries 5 permission bits; their meaning depends on the type. */
#define NOVA_PERM_MASK 0x1fU

/* PD object capability */
#define NOVA_PERM_PD_CTRL     0x01U /* ctrl_pd */
#define NOVA_PERM_PD_PD       0x02U /* create_pd */
#define NOVA_PERM_PD_EC_PT_SM 0x04U /* create_ec, create_pt and create_sm (one bit) */
#define NOVA_PERM_PD_SC       0x08U /* create_sc */
#define NOVA_PERM_PD_ASSIGN   0x10U /* assign_dev */
#define NOVA_PERM_PD_ALL      0x1fU

/* EC object capability (bit 1 and bit 4 undefined) */
#define NOVA_PERM_EC_CTRL    0x01U /* ctrl_ec */
#define NOVA_PERM_EC_BIND_PT 0x04U /* create_pt may bind a portal to it */
#define NOVA_PERM_EC_BIND_SC 0x08U /* create_sc may bind an SC to it */
#define NOVA_PERM_EC_ALL     0x0dU

/* SC object capability */
#define NOVA_PERM_SC_CTRL 0x01U /* ctrl_sc */
#define NOVA_PERM_SC_ALL  0x01U

/* PT object capability */
#define NOVA_PERM_PT_CTRL  0x01U /* ctrl_pt */
#define NOVA_PERM_PT_CALL  0x02U /* ipc_call */
#define NOVA_PERM_PT_EVENT 0x04U /* event delivery through this portal */
#define NOVA_PERM_PT_ALL   0x07U

/* SM object capability */
#define NOVA_PERM_SM_CTRL_UP 0x01U /* ctrl_sm up */
#define NOVA_PERM_SM_CTRL_DN 0x02U /* ctrl_sm down */
#define NOVA_PERM_SM_ASSIGN  0x10U /* assign_int (interrupt semaphores only) */
#define NOVA_PERM_SM_ALL     0x03U /* what a new (non-interrupt) SM gets */
#define NOVA_PERM_SM_INT     (NOVA_PERM_SM_CTRL_DN | NOVA_PERM_SM_ASSIGN)

/* Memory capability */
#define NOVA_PERM_MEM_R   0x01U
#define NOVA_PERM_MEM_W   0x02U
#define NOVA_PERM_MEM_XU  0x04U /* executable in user mode */
#define NOVA_PERM_MEM_XS  0x08U /* executable in supervisor mode */
#define NOVA_PERM_MEM_ALL 0x0fU

/* I/O port capability */
#define NOVA_PERM_PIO_A   0x01U /* IN/OUT allowed */
#define NOVA_PERM_PIO_ALL 0x01U

/* MSR capability */
#define NOVA_PERM_MSR_R   0x01U /* RDMSR */
#define NOVA_PERM_MSR_W   0x02U /* WRMSR */
#define NOVA_PERM_MSR_ALL 0x03U

/* Space types (ctrl_pd spc) */
#define NOVA_SPC_OBJ 0
#define NOVA_SPC_MEM 1
#define NOVA_SPC_PIO 2
#define NOVA_SPC_MSR 3

/*
 * Access types (ctrl_pd acc, assign_dev acc). Valid combinations:
 * OBJ: acc ignored; MEM: all four (DMA_HST and DMA_GST select the PD's
 * DMA table); PIO: CPU_HST, CPU_GST; MSR: CPU_GST only.
 */
#define NOVA_ACC_CPU_HST 0
#define NOVA_ACC_CPU_GST 1
#define NOVA_ACC_DMA_HST 2
#define NOVA_ACC_DMA_GST 3

/* Cacheability (ctrl_pd ca; used only when the source is PD_NOVA memory) */
#define NOVA_CA_WB 0
#define NOVA_CA_WT 1
#define NOVA_CA_WC 2
#define NOVA_CA_UC 3
#define NOVA_CA_WP 4

/* Shareability (ctrl_pd sh): must be 0 on x86 */
#define NOVA_SH_UNUSED 0

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
