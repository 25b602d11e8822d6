/* SPDX-License-Identifier: MIT */
/* Descriptor encodings: SCD (create_sc), DAD (assign_dev), ctrl_hw desc, assign_int MSI values. */
#pragma once

#include <stdint.h>

/*
 * Scheduling context descriptor (create_sc, RAX). Budget and priority must be
 * > 0; COS must be 0 unless COS is configured; out of range is BAD_PAR.
 */
#define NOVA_SCD_BUDGET_SHIFT 0
#define NOVA_SCD_BUDGET_MASK  0xffffULL /* milliseconds */
#define NOVA_SCD_PRIO_SHIFT   16
#define NOVA_SCD_PRIO_MASK    0x7fULL
#define NOVA_SCD_COS_SHIFT    23
#define NOVA_SCD_COS_MASK     0xffffULL
#define NOVA_SCD_RSVD_MASK    (~0ULL << 39) /* bits 63:39 must be 0 */
#define NOVA_SCD_PRIO_MAX     127U

static inline uint64_t nova_scd(unsigned budget_ms, unsigned prio, unsigned cos)
{
    return ((budget_ms & NOVA_SCD_BUDGET_MASK) << NOVA_SCD_BUDGET_SHIFT) |
           ((prio & NOVA_SCD_PRIO_MASK) << NOVA_SCD_PRIO_SHIFT) |
           ((cos & NOVA_SCD_COS_MASK) << NOVA_SCD_COS_SHIFT);
}

static inline unsigned nova_scd_budget(uint64_t scd)
{
    return (unsigned)((scd >> NOVA_SCD_BUDGET_SHIFT) & NOVA_SCD_BUDGET_MASK);
}

static inline unsigned nova_scd_prio(uint64_t scd)
{
    return (unsigned)((scd >> NOVA_SCD_PRIO_SHIFT) & NOVA_SCD_PRIO_MASK);
}

static inline unsigned nova_scd_cos(uint64_t scd)
{
    return (unsigned)((scd >> NOVA_SCD_COS_SHIFT) & NOVA_SCD_COS_MASK);
}

/*
 * Device assignment descriptor (assign_dev, RDX): a PCI requester ID. The
 * same bus/device/function encoding is the `dev` operand of assign_int.
 */
#define NOVA_DAD_FN_SHIFT  0
#define NOVA_DAD_FN_MASK   0x7ULL
#define NOVA_DAD_DEV_SHIFT 3
#define NOVA_DAD_DEV_MASK  0x1fULL
#define NOVA_DAD_BUS_SHIFT 8
#define NOVA_DAD_BUS_MASK  0xffULL
#define NOVA_DAD_BDF_MASK  0xffffULL /* bits 63:16 reserved */

static inline uint64_t nova_dad(unsigned bus, unsigned dev, unsigned fn)
{
    return ((bus & NOVA_DAD_BUS_MASK) << NOVA_DAD_BUS_SHIFT) |
           ((dev & NOVA_DAD_DEV_MASK) << NOVA_DAD_DEV_SHIFT) |
           ((fn & NOVA_DAD_FN_MASK) << NOVA_DAD_FN_SHIFT);
}

/* assign_dev RSI: IOMMU register page address [63:12], DMA access type [1:0]. */
#define NOVA_ASSIGN_DEV_ACC_MASK  0x3ULL
#define NOVA_ASSIGN_DEV_SMMU_MASK (~0xfffULL)

static inline uint64_t nova_assign_dev_smmu(uint64_t phys, unsigned acc)
{
    return (phys & NOVA_ASSIGN_DEV_SMMU_MASK) | (acc & NOVA_ASSIGN_DEV_ACC_MASK);
}

/*
 * ctrl_hw: OP is the 4-bit flags value of the identifier, desc its 56-bit
 * operand (RDI[63:8]). Root PD only (else BAD_HYP); other OPs are BAD_PAR.
 */
#define NOVA_CTRL_HW_SLEEP     0 /* ACPI S-state transition or reset */
#define NOVA_CTRL_HW_QOS_CFG   4 /* QOS configuration, once per CPU */
#define NOVA_CTRL_HW_CAT_L3    5 /* CAT/CDP L3 capacity bitmask */
#define NOVA_CTRL_HW_CAT_L2    6 /* CAT/CDP L2 capacity bitmask */
#define NOVA_CTRL_HW_MBA       7 /* MBA delay */
#define NOVA_CTRL_HW_DESC_MASK ((1ULL << 56) - 1)

/*
 * OP 0 desc: [2:0] S, [5:3] SLP_TYPa (_Sx[0]), [8:6] SLP_TYPb (_Sx[1]).
 * S 1..3 are shallow (the call returns on wakeup), 4..5 deep, 7 = platform
 * reset with both SLP_TYP values 0.
 */
#define NOVA_SLEEP_S_SHIFT       0
#define NOVA_SLEEP_S_MASK        0x7ULL
#define NOVA_SLEEP_TYPA_SHIFT    3
#define NOVA_SLEEP_TYPA_MASK     0x7ULL
#define NOVA_SLEEP_TYPB_SHIFT    6
#define NOVA_SLEEP_TYPB_MASK     0x7ULL
#define NOVA_SLEEP_S_MAX_SHALLOW 3U
#define NOVA_SLEEP_RESET         7U

static inline uint64_t nova_ctrl_hw_sleep(unsigned s, unsigned slp_typa, unsigned slp_typb)
{
    return ((s & NOVA_SLEEP_S_MASK) << NOVA_SLEEP_S_SHIFT) |
           ((slp_typa & NOVA_SLEEP_TYPA_MASK) << NOVA_SLEEP_TYPA_SHIFT) |
           ((slp_typb & NOVA_SLEEP_TYPB_MASK) << NOVA_SLEEP_TYPB_SHIFT);
}

/* OP 4 desc: CDP enables; all other bits of desc[7:0] must be 0. */
#define NOVA_QOS_CDP_L3     (1ULL << 1)
#define NOVA_QOS_CDP_L2     (1ULL << 2)
#define NOVA_QOS_VALID_MASK (NOVA_QOS_CDP_L3 | NOVA_QOS_CDP_L2)

/*
 * OP 5/6 desc: [15:0] N, [47:16] contiguous capacity bitmask, [55:48] reserved.
 * N = COS without CDP; with CDP, COS<<1 (data) or (COS<<1)+1 (code).
 */
#define NOVA_CAT_N_SHIFT   0
#define NOVA_CAT_N_MASK    0xffffULL
#define NOVA_CAT_CBM_SHIFT 16
#define NOVA_CAT_CBM_MASK  0xffffffffULL

static inline uint64_t nova_ctrl_hw_cat(unsigned n, uint32_t cbm)
{
    return ((n & NOVA_CAT_N_MASK) << NOVA_CAT_N_SHIFT) |
           ((cbm & NOVA_CAT_CBM_MASK) << NOVA_CAT_CBM_SHIFT);
}

/* OP 7 desc: [15:0] COS, [31:16] delay, [55:32] reserved. */
#define NOVA_MBA_COS_SHIFT   0
#define NOVA_MBA_COS_MASK    0xffffULL
#define NOVA_MBA_DELAY_SHIFT 16
#define NOVA_MBA_DELAY_MASK  0xffffULL

static inline uint64_t nova_ctrl_hw_mba(unsigned cos, unsigned delay)
{
    return ((cos & NOVA_MBA_COS_MASK) << NOVA_MBA_COS_SHIFT) |
           ((delay & NOVA_MBA_DELAY_MASK) << NOVA_MBA_DELAY_SHIFT);
}

/*
 * assign_int returns msi_addr in RSI and msi_data in RDX for an MSI
 * (both 0 for an IOAPIC pin):
 *  - without interrupt remapping: addr = 0xfee00000 | APIC ID << 12,
 *    data = IDT vector = NOVA_MSI_VECTOR_BASE + interrupt index;
 *  - with VT-d remapping: addr = 0xfee00018 (remappable format, SHV),
 *    data = interrupt index (the sub-handle).
 * The device driver programs both values into the device unchanged.
 */
#define NOVA_MSI_ADDR_BASE       0xfee00000U
#define NOVA_MSI_ADDR_DEST_SHIFT 12
#define NOVA_MSI_ADDR_DEST_MASK  0x000ff000U
#define NOVA_MSI_ADDR_IR_SHV     (1U << 3)   /* remappable: sub-handle valid */
#define NOVA_MSI_ADDR_IR_FORMAT  (1U << 4)   /* remappable format */
#define NOVA_MSI_ADDR_REMAP      0xfee00018U /* remappable format with SHV */
#define NOVA_MSI_DATA_MASK       0xffffU
#define NOVA_MSI_VECTOR_BASE     0x20U /* IDT vector of interrupt index 0 */

_Static_assert(NOVA_MSI_ADDR_REMAP ==
                   (NOVA_MSI_ADDR_BASE | NOVA_MSI_ADDR_IR_FORMAT | NOVA_MSI_ADDR_IR_SHV),
               "remappable MSI address");
