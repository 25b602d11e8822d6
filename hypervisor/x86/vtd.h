/* SPDX-License-Identifier: MIT */
/* Intel VT-d driver internals shared by vtd.c (DMA remapping), vtd_qi.c and vtd_irt.c. */
#pragma once

#include "x86/iommu.h"

/* Register offsets (VT-d 3.x, chapter 11). */
#define REG_CAP     0x08
#define REG_ECAP    0x10
#define REG_GCMD    0x18
#define REG_GSTS    0x1c
#define REG_FSTS    0x34
#define REG_IQH     0x80
#define REG_IQT     0x88
#define REG_IQA     0x90
#define REG_IRTA    0xb8

#define GCMD_QIE    (1u << 26)
#define GCMD_IRE    (1u << 25)
#define GCMD_SIRTP  (1u << 24)
#define GCMD_CFI    (1u << 23)
#define GSTS_QIES   (1u << 26)
#define GSTS_IRES   (1u << 25)
#define GSTS_IRTPS  (1u << 24)
#define GSTS_CFIS   (1u << 23)
#define GSTS_KEEP   0x96ffffffu /* status bits that mirror persistent commands */

#define ECAP_QI     (1ull << 1)
#define ECAP_IR     (1ull << 3)

/* Invalidation descriptors (VT-d 3.x, 6.5.2), 128-bit form: type in bits 3:0. */
#define QI_CC           0x1ull          /* context-cache invalidate */
#define QI_IOTLB        0x2ull          /* IOTLB invalidate */
#define QI_IEC          0x4ull          /* interrupt entry cache invalidate */
#define QI_WAIT         0x5ull          /* invalidation wait */
#define QI_GRAN(g)      ((uint64_t)(g) << 4)    /* CC/IOTLB: 1 global, 2 domain */
#define QI_DID(d)       ((uint64_t)(d) << 16)
#define QI_IOTLB_DW     (1ull << 6)     /* drain writes */
#define QI_IOTLB_DR     (1ull << 7)     /* drain reads */
#define QI_IEC_ONE      (1ull << 4)     /* G = 1: the one entry at IIDX, else all */
#define QI_IEC_IIDX(i)  ((uint64_t)(i) << 32)
#define QI_WAIT_SW      (1ull << 5)     /* write the status data to the address */
#define QI_WAIT_DATA(d) ((uint64_t)(d) << 32)

/* A root or context entry, or a 128-bit descriptor: two 64-bit words. */
struct vtd_entry {
    uint64_t lo, hi;
};
_Static_assert(sizeof(struct vtd_entry) == 16, "VT-d root/context entry is 128 bits");

struct vtd {
    struct vtd_entry *root;     /* 256 root entries, one per bus */
    uint64_t cap, ecap;
    uint64_t ctx_aw;
    struct vtd_entry *queue;    /* invalidation queue (one page), NULL: register-based */
    volatile uint32_t *qdone;   /* where wait descriptors write their status */
    unsigned qtail;             /* next free descriptor */
    bool qi;                    /* queued invalidation on: registers CCMD/IOTLB are off limits */
    struct vtd_entry *irt;      /* interrupt remapping table, NULL: remapping off */
};

static inline uint32_t vtd_rd32(struct iommu_unit *u, unsigned off)
{
    return *(volatile uint32_t *)(u->regs + off);
}

static inline uint64_t vtd_rd64(struct iommu_unit *u, unsigned off)
{
    return *(volatile uint64_t *)(u->regs + off);
}

static inline void vtd_wr32(struct iommu_unit *u, unsigned off, uint32_t v)
{
    *(volatile uint32_t *)(u->regs + off) = v;
}

static inline void vtd_wr64(struct iommu_unit *u, unsigned off, uint64_t v)
{
    *(volatile uint64_t *)(u->regs + off) = v;
}

/* Write a line of a table the unit reads back to memory (units without coherency). */
static inline void vtd_sync(const void *p)
{
    __asm__ volatile("clflush (%0)" ::"r"(p) : "memory");
}

/* Wait until (register & mask) == want; false after a generous time limit. */
bool vtd_poll32(struct iommu_unit *u, unsigned off, uint32_t mask, uint32_t want);
/* A persistent command in GCMD (cmd set: on; 0 with status: off), keeping the others. */
bool vtd_command(struct iommu_unit *u, uint32_t cmd, uint32_t status);
bool vtd_command_off(struct iommu_unit *u, uint32_t cmd, uint32_t status);

/* Queued invalidation (vtd_qi.c): on when the unit has it; false when it does not. */
bool vtd_qi_enable(struct iommu_unit *u);
/* Queue one descriptor and a wait descriptor; return when the unit has done both. */
bool vtd_qi_run(struct iommu_unit *u, uint64_t lo, uint64_t hi);

/* Interrupt remapping (vtd_irt.c): table, CFI and IRE on, when the unit has IR and QI. */
bool vtd_irt_enable(struct iommu_unit *u);
/* Entry index not present: every MSI with its handle is blocked. */
void vtd_irt_clear(struct iommu_unit *u, unsigned index);
int vtd_irt_set(struct iommu_unit *u, unsigned index, uint16_t bdf, uint8_t apic_id, uint8_t vector);
