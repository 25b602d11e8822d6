/* SPDX-License-Identifier: MIT */
/* DMA remapping units (Intel VT-d, AMD-Vi): the registry the ACPI parsers fill and assign_dev uses. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct pd;

#define IOMMU_MAX_UNITS  8
#define IOMMU_MAX_SCOPES 32
#define IOMMU_VEC_FAULT  0xfb   /* fault/event interrupt (a free LVT-range vector) */

enum iommu_kind { IOMMU_VTD, IOMMU_AMDVI };

/* A device range a unit translates for: BDFs first..last on its segment. */
struct iommu_scope {
    uint16_t first, last;
};

struct iommu_unit;

/* What a driver does with its unit; every call runs under the registry's lock. */
struct iommu_ops {
    /* Reset and program the unit (tables, fault reporting), translation on; 0 or -1. */
    int (*enable)(struct iommu_unit *u);
    /* Point the device's context/device-table entry at pd's DMA table (NULL: block it). */
    int (*attach)(struct iommu_unit *u, uint16_t bdf, struct pd *pd);
    /* Detach every device that uses domain did; returns how many. */
    unsigned (*detach_domain)(struct iommu_unit *u, uint16_t did);
    /* Drop cached translations of domain did. */
    void (*flush_domain)(struct iommu_unit *u, uint16_t did);
    /* Interrupt remapping entry index: vector on apic_id, from requester bdf only; 0 or -1. */
    int (*irq_remap)(struct iommu_unit *u, unsigned index, uint16_t bdf, uint8_t apic_id, uint8_t vector);
    /* Interrupt remapping entry index given to nobody: its MSIs are blocked. */
    void (*irq_drop)(struct iommu_unit *u, unsigned index);
    /* Read, log and clear the fault/event records. */
    void (*faults)(struct iommu_unit *u);
};

struct iommu_unit {
    enum iommu_kind kind;
    uint64_t base;              /* register page (physical) */
    uint64_t mmio_pages;        /* pages of registers, protected from PD_NOVA */
    uint16_t segment;
    uint16_t self_bdf;          /* AMD-Vi: the IOMMU's own requester ID */
    uint16_t ioapic_bdf;        /* AMD-Vi: the IOAPIC's requester ID (IVHD special entry) */
    bool has_ioapic;            /* AMD-Vi: IVHD names an IOAPIC: interrupt remapping usable */
    bool all_devices;           /* VT-d INCLUDE_PCI_ALL / AMD-Vi: select all */
    bool active;                /* driven by the kernel: translation on */
    bool intremap;              /* interrupt remapping on (set by the driver's enable) */
    unsigned nscopes;
    struct iommu_scope scope[IOMMU_MAX_SCOPES];
    const struct iommu_ops *ops;
    volatile uint8_t *regs;
    void *drv;                  /* the driver's state (root/device table, command buffer) */
};

/* ACPI parsers: add a unit (NULL when the table is full). */
struct iommu_unit *iommu_add(enum iommu_kind kind, uint64_t base, uint16_t segment);
/* Bring up every unit found, unless disabled (nosmmu); the HIP's IOMMU bit. */
void iommu_init(bool disabled);
bool iommu_active(void);
/* Whether any page of [first, first + count) holds IOMMU registers. */
bool iommu_protected_range(uint64_t first, uint64_t count);
/* assign_dev after the capability checks: BAD_DEV / BAD_PAR / SUCCESS (spec 5.5.3). */
unsigned iommu_assign(uint64_t reg_page, uint16_t bdf, struct pd *pd);
/* An MSI of requester bdf for interrupt index, delivered as vector on apic_id: true when the
   unit that translates for bdf remaps interrupts; *msi_addr is then the address the device must
   use with data = index (VT-d: remappable format, handle 0 + sub-handle; AMD-Vi: the plain base
   address, the index in the data). False: the device sends the compatibility format. */
bool iommu_irq_remap(uint16_t bdf, unsigned index, uint8_t apic_id, uint8_t vector, uint64_t *msi_addr);
/* pd's DMA table changed: drop stale IOTLB entries on every unit. */
void iommu_flush_pd(struct pd *pd);
/* pd dies: every device assigned to it is blocked, its domain ID released. */
void iommu_detach_pd(struct pd *pd);
/* Fault interrupt (and polling): log every recorded fault. */
void iommu_faults(void);
/* After S3: program every active unit again. */
void iommu_resume(void);
/* Time limit for a driver's busy wait on its unit. */
uint64_t iommu_deadline(void);
bool iommu_expired(uint64_t deadline);
/* "bb:dd.f" of a requester ID, for log lines. */
void iommu_log_fault(uint16_t bdf, bool write, uint64_t addr, const char *why);
