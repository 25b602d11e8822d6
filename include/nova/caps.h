/* SPDX-License-Identifier: MIT */
/* Capability permissions and space/access/cacheability types (ctrl_pd operands: hypercall.h). */
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
