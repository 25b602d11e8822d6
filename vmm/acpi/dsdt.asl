/* SPDX-License-Identifier: MIT */
/* The guest's DSDT: sleep states, the PCI root bridge (bus 0, ECAM) and the legacy ISA devices.
   The values repeat vmm/acpi/layout.h; tests/unit/acpi_tables.c checks the compiled AML. */

DefinitionBlock ("", "DSDT", 2, "NOVA  ", "NOVAVMM ", 1)
{
    /* SLP_TYP for PM1a_CNT (LAYOUT_SLP_TYP_*): S0 and S5 only. */
    Name (\_S0, Package (4) { 0, 0, 0, 0 })
    Name (\_S5, Package (4) { 5, 5, 0, 0 })

    Scope (\_SB)
    {
        /* PCI Express root bridge: bus 0 only, configuration through ECAM (MCFG). */
        Device (PCI0)
        {
            Name (_HID, EisaId ("PNP0A08"))
            Name (_CID, EisaId ("PNP0A03"))
            Name (_SEG, Zero)
            Name (_BBN, Zero)
            Name (_UID, Zero)
            Name (_CRS, ResourceTemplate ()
            {
                WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode,
                    0x0000, 0x0000, 0x0000, 0x0000, 0x0001)
                IO (Decode16, 0x0CF8, 0x0CF8, 0x01, 0x08)
                WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange,
                    0x0000, 0x0000, 0x0CF7, 0x0000, 0x0CF8)
                WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange,
                    0x0000, 0x0D00, 0xFFFF, 0x0000, 0xF300)
                DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite,
                    0x00000000, 0xC0000000, 0xFEBFFFFF, 0x00000000, 0x3EC00000)
            })

            /* INTA-INTD (pins 0-3) of slots 1-31: GSI 16 + (slot + pin) mod 4, the GSIs the
               MADT leaves at the IOAPIC's default for PCI: level, active low. */
            Name (_PRT, Package ()
            {
                Package () { 0x0001FFFF, 0, Zero, 17 }, Package () { 0x0001FFFF, 1, Zero, 18 },
                Package () { 0x0001FFFF, 2, Zero, 19 }, Package () { 0x0001FFFF, 3, Zero, 16 },
                Package () { 0x0002FFFF, 0, Zero, 18 }, Package () { 0x0002FFFF, 1, Zero, 19 },
                Package () { 0x0002FFFF, 2, Zero, 16 }, Package () { 0x0002FFFF, 3, Zero, 17 },
                Package () { 0x0003FFFF, 0, Zero, 19 }, Package () { 0x0003FFFF, 1, Zero, 16 },
                Package () { 0x0003FFFF, 2, Zero, 17 }, Package () { 0x0003FFFF, 3, Zero, 18 },
                Package () { 0x0004FFFF, 0, Zero, 16 }, Package () { 0x0004FFFF, 1, Zero, 17 },
                Package () { 0x0004FFFF, 2, Zero, 18 }, Package () { 0x0004FFFF, 3, Zero, 19 },
                Package () { 0x0005FFFF, 0, Zero, 17 }, Package () { 0x0005FFFF, 1, Zero, 18 },
                Package () { 0x0005FFFF, 2, Zero, 19 }, Package () { 0x0005FFFF, 3, Zero, 16 },
                Package () { 0x0006FFFF, 0, Zero, 18 }, Package () { 0x0006FFFF, 1, Zero, 19 },
                Package () { 0x0006FFFF, 2, Zero, 16 }, Package () { 0x0006FFFF, 3, Zero, 17 },
                Package () { 0x0007FFFF, 0, Zero, 19 }, Package () { 0x0007FFFF, 1, Zero, 16 },
                Package () { 0x0007FFFF, 2, Zero, 17 }, Package () { 0x0007FFFF, 3, Zero, 18 },
                Package () { 0x0008FFFF, 0, Zero, 16 }, Package () { 0x0008FFFF, 1, Zero, 17 },
                Package () { 0x0008FFFF, 2, Zero, 18 }, Package () { 0x0008FFFF, 3, Zero, 19 },
                Package () { 0x0009FFFF, 0, Zero, 17 }, Package () { 0x0009FFFF, 1, Zero, 18 },
                Package () { 0x0009FFFF, 2, Zero, 19 }, Package () { 0x0009FFFF, 3, Zero, 16 },
                Package () { 0x000AFFFF, 0, Zero, 18 }, Package () { 0x000AFFFF, 1, Zero, 19 },
                Package () { 0x000AFFFF, 2, Zero, 16 }, Package () { 0x000AFFFF, 3, Zero, 17 },
                Package () { 0x000BFFFF, 0, Zero, 19 }, Package () { 0x000BFFFF, 1, Zero, 16 },
                Package () { 0x000BFFFF, 2, Zero, 17 }, Package () { 0x000BFFFF, 3, Zero, 18 },
                Package () { 0x000CFFFF, 0, Zero, 16 }, Package () { 0x000CFFFF, 1, Zero, 17 },
                Package () { 0x000CFFFF, 2, Zero, 18 }, Package () { 0x000CFFFF, 3, Zero, 19 },
                Package () { 0x000DFFFF, 0, Zero, 17 }, Package () { 0x000DFFFF, 1, Zero, 18 },
                Package () { 0x000DFFFF, 2, Zero, 19 }, Package () { 0x000DFFFF, 3, Zero, 16 },
                Package () { 0x000EFFFF, 0, Zero, 18 }, Package () { 0x000EFFFF, 1, Zero, 19 },
                Package () { 0x000EFFFF, 2, Zero, 16 }, Package () { 0x000EFFFF, 3, Zero, 17 },
                Package () { 0x000FFFFF, 0, Zero, 19 }, Package () { 0x000FFFFF, 1, Zero, 16 },
                Package () { 0x000FFFFF, 2, Zero, 17 }, Package () { 0x000FFFFF, 3, Zero, 18 },
                Package () { 0x0010FFFF, 0, Zero, 16 }, Package () { 0x0010FFFF, 1, Zero, 17 },
                Package () { 0x0010FFFF, 2, Zero, 18 }, Package () { 0x0010FFFF, 3, Zero, 19 },
                Package () { 0x0011FFFF, 0, Zero, 17 }, Package () { 0x0011FFFF, 1, Zero, 18 },
                Package () { 0x0011FFFF, 2, Zero, 19 }, Package () { 0x0011FFFF, 3, Zero, 16 },
                Package () { 0x0012FFFF, 0, Zero, 18 }, Package () { 0x0012FFFF, 1, Zero, 19 },
                Package () { 0x0012FFFF, 2, Zero, 16 }, Package () { 0x0012FFFF, 3, Zero, 17 },
                Package () { 0x0013FFFF, 0, Zero, 19 }, Package () { 0x0013FFFF, 1, Zero, 16 },
                Package () { 0x0013FFFF, 2, Zero, 17 }, Package () { 0x0013FFFF, 3, Zero, 18 },
                Package () { 0x0014FFFF, 0, Zero, 16 }, Package () { 0x0014FFFF, 1, Zero, 17 },
                Package () { 0x0014FFFF, 2, Zero, 18 }, Package () { 0x0014FFFF, 3, Zero, 19 },
                Package () { 0x0015FFFF, 0, Zero, 17 }, Package () { 0x0015FFFF, 1, Zero, 18 },
                Package () { 0x0015FFFF, 2, Zero, 19 }, Package () { 0x0015FFFF, 3, Zero, 16 },
                Package () { 0x0016FFFF, 0, Zero, 18 }, Package () { 0x0016FFFF, 1, Zero, 19 },
                Package () { 0x0016FFFF, 2, Zero, 16 }, Package () { 0x0016FFFF, 3, Zero, 17 },
                Package () { 0x0017FFFF, 0, Zero, 19 }, Package () { 0x0017FFFF, 1, Zero, 16 },
                Package () { 0x0017FFFF, 2, Zero, 17 }, Package () { 0x0017FFFF, 3, Zero, 18 },
                Package () { 0x0018FFFF, 0, Zero, 16 }, Package () { 0x0018FFFF, 1, Zero, 17 },
                Package () { 0x0018FFFF, 2, Zero, 18 }, Package () { 0x0018FFFF, 3, Zero, 19 },
                Package () { 0x0019FFFF, 0, Zero, 17 }, Package () { 0x0019FFFF, 1, Zero, 18 },
                Package () { 0x0019FFFF, 2, Zero, 19 }, Package () { 0x0019FFFF, 3, Zero, 16 },
                Package () { 0x001AFFFF, 0, Zero, 18 }, Package () { 0x001AFFFF, 1, Zero, 19 },
                Package () { 0x001AFFFF, 2, Zero, 16 }, Package () { 0x001AFFFF, 3, Zero, 17 },
                Package () { 0x001BFFFF, 0, Zero, 19 }, Package () { 0x001BFFFF, 1, Zero, 16 },
                Package () { 0x001BFFFF, 2, Zero, 17 }, Package () { 0x001BFFFF, 3, Zero, 18 },
                Package () { 0x001CFFFF, 0, Zero, 16 }, Package () { 0x001CFFFF, 1, Zero, 17 },
                Package () { 0x001CFFFF, 2, Zero, 18 }, Package () { 0x001CFFFF, 3, Zero, 19 },
                Package () { 0x001DFFFF, 0, Zero, 17 }, Package () { 0x001DFFFF, 1, Zero, 18 },
                Package () { 0x001DFFFF, 2, Zero, 19 }, Package () { 0x001DFFFF, 3, Zero, 16 },
                Package () { 0x001EFFFF, 0, Zero, 18 }, Package () { 0x001EFFFF, 1, Zero, 19 },
                Package () { 0x001EFFFF, 2, Zero, 16 }, Package () { 0x001EFFFF, 3, Zero, 17 },
                Package () { 0x001FFFFF, 0, Zero, 19 }, Package () { 0x001FFFFF, 1, Zero, 16 },
                Package () { 0x001FFFFF, 2, Zero, 17 }, Package () { 0x001FFFFF, 3, Zero, 18 }
            })
        }

        /* Motherboard resources: the ECAM window, which Linux uses only if it is reserved
           here or in the e820 map. (The ACPI core reserves the FADT's PM ports itself.) */
        Device (MRES)
        {
            Name (_HID, EisaId ("PNP0C02"))
            Name (_UID, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0xB0000000, 0x00100000)
            })
        }

        Device (HPET)
        {
            Name (_HID, EisaId ("PNP0103"))
            Name (_UID, Zero)
            Method (_STA, 0, NotSerialized)
            {
                Return (0x0F)
            }
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadOnly, 0xFED00000, 0x00000400)
            })
        }

        Device (PIC)
        {
            Name (_HID, EisaId ("PNP0000"))
            Name (_CRS, ResourceTemplate ()
            {
                IO (Decode16, 0x0020, 0x0020, 0x01, 0x02)
                IO (Decode16, 0x00A0, 0x00A0, 0x01, 0x02)
                IRQNoFlags () {2}
            })
        }

        Device (TMR)
        {
            Name (_HID, EisaId ("PNP0100"))
            Name (_CRS, ResourceTemplate ()
            {
                IO (Decode16, 0x0040, 0x0040, 0x01, 0x04)
                IRQNoFlags () {0}
            })
        }

        Device (RTC)
        {
            Name (_HID, EisaId ("PNP0B00"))
            Name (_CRS, ResourceTemplate ()
            {
                IO (Decode16, 0x0070, 0x0070, 0x01, 0x02)
                IRQNoFlags () {8}
            })
        }

        /* i8042 keyboard port; no PS/2 mouse device, so Linux leaves the AUX port alone. */
        Device (KBD)
        {
            Name (_HID, EisaId ("PNP0303"))
            Name (_CRS, ResourceTemplate ()
            {
                IO (Decode16, 0x0060, 0x0060, 0x01, 0x01)
                IO (Decode16, 0x0064, 0x0064, 0x01, 0x01)
                IRQNoFlags () {1}
            })
        }

        Device (COM1)
        {
            Name (_HID, EisaId ("PNP0501"))
            Name (_UID, One)
            Method (_STA, 0, NotSerialized)
            {
                Return (0x0F)
            }
            Name (_CRS, ResourceTemplate ()
            {
                IO (Decode16, 0x03F8, 0x03F8, 0x01, 0x08)
                IRQNoFlags () {4}
            })
        }
    }
}
