/* SPDX-License-Identifier: MIT */
/* The guest machine's fixed addresses, ports and interrupt lines, shared by the device models,
   the ACPI tables (vmm/acpi/tables.c) and the DSDT (vmm/acpi/dsdt.asl repeats these values as
   literals; tests/unit/acpi_tables.c checks that the compiled AML agrees). */
#pragma once

/* Local and I/O APICs (MADT). */
#define LAYOUT_LAPIC_BASE       0xfee00000u
#define LAYOUT_IOAPIC_BASE      0xfec00000u
#define LAYOUT_IOAPIC_ID        0
#define LAYOUT_IOAPIC_PINS      24
#define LAYOUT_MAX_CPUS         255         /* xAPIC IDs 0..n-1, one MADT entry each */

/* HPET: 1 KiB of registers. */
#define LAYOUT_HPET_BASE        0xfed00000u
#define LAYOUT_HPET_SIZE        0x400u
#define LAYOUT_HPET_MIN_TICK    100         /* counter ticks (1 us at 100 MHz) */

/* ACPI fixed-hardware PM block (I/O ports). */
#define LAYOUT_PM_BASE          0x600u
#define LAYOUT_PM1A_EVT         (LAYOUT_PM_BASE + 0x0)  /* PM1_STS (2 bytes), PM1_EN (2 bytes) */
#define LAYOUT_PM1A_EVT_LEN     4
#define LAYOUT_PM1A_CNT         (LAYOUT_PM_BASE + 0x4)
#define LAYOUT_PM1A_CNT_LEN     2
#define LAYOUT_PM_TMR           (LAYOUT_PM_BASE + 0x8)
#define LAYOUT_PM_TMR_LEN       4
#define LAYOUT_PM_LEN           0xc         /* the whole block, for the DSDT's reservation */
#define LAYOUT_SCI_GSI          9           /* level, active high (MADT override IRQ9 -> GSI9) */

/* SLP_TYP values of PM1_CNT (the DSDT's \_S0 and \_S5 packages). No S1-S4. */
#define LAYOUT_SLP_TYP_S0       0
#define LAYOUT_SLP_TYP_S5       5

/* Reset control register (FADT RESET_REG, written by Linux's reboot=acpi, the default). */
#define LAYOUT_RESET_PORT       0xcf9u
#define LAYOUT_RESET_VALUE      0x06

/* PCI: configuration mechanism #1 ports and the ECAM window for bus 0 only. */
#define LAYOUT_PCI_CONFIG_ADDRESS 0xcf8u
#define LAYOUT_PCI_CONFIG_DATA  0xcfcu
#define LAYOUT_ECAM_BASE        0xb0000000u
#define LAYOUT_ECAM_SIZE        0x100000u   /* 1 MiB = bus 0 */
#define LAYOUT_PCI_BUS_FIRST    0
#define LAYOUT_PCI_BUS_LAST     0
/* 32-bit MMIO window for BARs: up to the IOAPIC. Guest RAM must stay below LAYOUT_ECAM_BASE
   (or above 4 GiB); the e820 map should mark the ECAM window reserved. */
#define LAYOUT_PCI_MMIO_BASE    0xc0000000u
#define LAYOUT_PCI_MMIO_LIMIT   0xfebfffffu /* inclusive */
/* PCI INTx: slot s, pin p (0 = INTA) -> GSI 16 + (s + p) % 4 (the DSDT's _PRT, slots 1-31). */
#define LAYOUT_PCI_GSI_BASE     16
#define LAYOUT_PCI_GSI(slot, pin) (LAYOUT_PCI_GSI_BASE + ((slot) + (pin)) % 4)

/* Legacy ISA devices (ISA IRQ = GSI; IRQ0 reaches IOAPIC pin 2). */
#define LAYOUT_PIT_PORT         0x40u
#define LAYOUT_PIT_IRQ          0
#define LAYOUT_PIC_MASTER_PORT  0x20u
#define LAYOUT_PIC_SLAVE_PORT   0xa0u
#define LAYOUT_KBD_DATA_PORT    0x60u
#define LAYOUT_KBD_CMD_PORT     0x64u
#define LAYOUT_KBD_IRQ          1
#define LAYOUT_RTC_PORT         0x70u
#define LAYOUT_RTC_IRQ          8
#define LAYOUT_COM1_PORT        0x3f8u
#define LAYOUT_COM1_IRQ         4

/* Where the VMM places the ACPI tables (acpi_tables_build's gpa) and how much room they get. */
#define LAYOUT_ACPI_BASE        0xe0000u
#define LAYOUT_ACPI_SIZE        0x20000u
