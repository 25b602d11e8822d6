/* SPDX-License-Identifier: MIT */
/* The few static ACPI facts the kernel needs: RSDP, protected I/O ports (FADT), APIC MMIO (MADT). */
#pragma once

#include <stdint.h>

#include "x86/smp_layout.h"

#include <stdbool.h>

#define ACPI_MAX_IOAPICS 8

struct acpi_facts {
    uint64_t rsdp;              /* physical, ~0 when absent */
    uint16_t smi_cmd;           /* 0 when absent */
    uint16_t pm_cnt_port[3];    /* PM1a_CNT, PM1b_CNT, PM2_CNT (0 when absent or not I/O) */
    uint8_t pm_cnt_len[3];
    uint16_t pm1_evt_port[2];   /* PM1a_EVT, PM1b_EVT: status then enable (0 when absent) */
    uint64_t facs;              /* physical address of the FACS (waking vector), 0 when absent */
    uint64_t lapic;             /* MADT local APIC address */
    unsigned nioapic;
    uint64_t ioapic[ACPI_MAX_IOAPICS];
    uint32_t ioapic_gsi_base[ACPI_MAX_IOAPICS];
    unsigned niso;              /* interrupt source overrides: ISA IRQ -> GSI, polarity, trigger */
    struct acpi_iso {
        uint8_t irq;
        uint32_t gsi;
        uint16_t flags;         /* MPS INTI flags: polarity bits 1:0, trigger bits 3:2 */
    } iso[16];
    uint8_t reset_space;        /* FADT reset register (GAS): 1 = I/O, 0 = memory */
    uint64_t reset_addr;
    uint8_t reset_value;
    bool reset_supported;
    unsigned ncpus;             /* enabled local APICs in the MADT */
    uint32_t apic_id[MAX_CPUS];
};

extern struct acpi_facts acpi;

static inline uint16_t acpi_rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t acpi_rd32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static inline uint64_t acpi_rd64(const uint8_t *p) { return acpi_rd32(p) | (uint64_t)acpi_rd32(p + 4) << 32; }

/* Remapping units from the DMAR (Intel VT-d) and IVRS (AMD-Vi) tables of `len` bytes. */
void dmar_parse(const uint8_t *t, uint32_t len);
void ivrs_parse(const uint8_t *t, uint32_t len);

/* Find and parse the tables; `hint` is an RSDP address from the boot loader or ~0. */
void acpi_tables_init(uint64_t hint);
