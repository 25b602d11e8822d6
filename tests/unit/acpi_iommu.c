/* SPDX-License-Identifier: MIT */
/* Host test of lib/acpi_iommu.c: which DMAR or IVRS unit holds a device, and malformed tables. */

#include "acpi_iommu.h"

#include <string.h>

#include "check.h"

#define UNIT_A 0xfed90000ull
#define UNIT_B 0xfed91000ull

static uint8_t t[512];
static unsigned len;

static void put(unsigned off, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++)
        t[off + i] = (uint8_t)(v >> (8 * i));
}

static void begin(const char *sig)
{
    memset(t, 0, sizeof(t));
    memcpy(t, sig, 4);
    len = 48;
}

static unsigned unit(unsigned bdf)
{
    put(4, len, 4);
    uint64_t base = acpi_iommu_unit(t, len, bdf);
    return base == UNIT_A ? 'A' : base == UNIT_B ? 'B' : base ? '?' : '-';
}

/* A DRHD on segment 0 with one-hop endpoint scopes on bus `bus` for the devices in devs. */
static void drhd(uint8_t flags, uint64_t base, unsigned bus, const unsigned *devs, unsigned n)
{
    unsigned at = len, size = 16 + 8 * n;
    put(at + 2, size, 2);
    t[at + 4] = flags;
    put(at + 8, base, 8);
    for (unsigned i = 0; i < n; i++) {
        uint8_t *s = &t[at + 16 + 8 * i];
        s[0] = 1, s[1] = 8, s[5] = (uint8_t)bus, s[6] = (uint8_t)devs[i], s[7] = 0;
    }
    len += size;
}

static void test_dmar(void)
{
    static const unsigned two[] = {2, 3};
    begin("DMAR");
    drhd(0, UNIT_A, 0, two, 2);
    drhd(1, UNIT_B, 0, 0, 0);
    CHECK("dmar scope wins", unit(0x18) == 'A' && unit(0x10) == 'A');
    CHECK("dmar include_pci_all takes the rest", unit(0x20) == 'B' && unit(0x118) == 'B');
    CHECK("dmar any: the first unit", unit(ACPI_IOMMU_ANY) == 'A');

    begin("DMAR");
    drhd(1, UNIT_B, 0, 0, 0);
    drhd(0, UNIT_A, 0, two, 2);
    CHECK("dmar scope wins over an earlier include_pci_all", unit(0x18) == 'A' && unit(0x20) == 'B');

    begin("DMAR");
    drhd(0, UNIT_A, 1, two, 1);
    CHECK("dmar scope bus counts", unit(0x110) == 'A' && unit(0x10) == '-');
    t[48 + 16 + 1] = 10; /* a two-hop path: not followed */
    t[48 + 2] = 26;
    len = 48 + 26;
    CHECK("dmar deeper path not matched", unit(0x110) == '-');

    begin("DMAR");
    drhd(1, UNIT_A, 0, 0, 0);
    put(48 + 6, 1, 2); /* segment 1 */
    CHECK("dmar other segment ignored", unit(0x10) == '-');

    begin("DMAR");
    drhd(1, UNIT_A, 0, 0, 0);
    put(48 + 2, 4, 2); /* shorter than a DRHD */
    CHECK("dmar malformed length ends the search", unit(0x10) == '-');
    put(48 + 2, 200, 2); /* past the table */
    CHECK("dmar structure past the end", unit(0x10) == '-');
}

/* An IVHD of type `type` with the device entries in e (n bytes). */
static void ivhd(uint8_t type, uint64_t base, const uint8_t *e, unsigned n)
{
    unsigned at = len, fixed = type == 0x10 ? 24 : 40;
    t[at] = type;
    put(at + 2, fixed + n, 2);
    put(at + 8, base, 8);
    memcpy(&t[at + fixed], e, n);
    len += fixed + n;
}

static void test_ivrs(void)
{
    static const uint8_t sel_range[] = {2, 0x18, 0, 0, 0x48, 0, 0, 0, 2, 0x48, 0, 0, /* select 00:03.0, 8-byte entry */
                                        3, 0x00, 1, 0, 4, 0xff, 1, 0};           /* range 01:00.0-01:1f.7 */
    static const uint8_t all[] = {1, 0, 0, 0};
    static const uint8_t var[] = {0xf0, 0x20, 0, 0, 0, 0, 0, 2, 0, 0, 2, 0x20, 0, 0}; /* ACPI HID, 2 extra bytes */
    begin("IVRS");
    ivhd(0x10, UNIT_A, sel_range, sizeof(sel_range));
    ivhd(0x11, UNIT_B, all, sizeof(all));
    CHECK("ivrs select and range", unit(0x18) == 'A' && unit(0x100) == 'A' && unit(0x1ff) == 'A');
    CHECK("ivrs all in a later block", unit(0x20) == 'B' && unit(0x200) == 'B');
    CHECK("ivrs 8-byte entry skipped whole", unit(0x48) == 'B');

    begin("IVRS");
    ivhd(0x40, UNIT_A, var, sizeof(var));
    CHECK("ivrs variable entry skipped", unit(0x20) == 'A' && unit(0x21) == '-');

    begin("IVRS");
    ivhd(0x10, UNIT_A, all, sizeof(all));
    put(48 + 16, 1, 2);
    CHECK("ivrs other segment ignored", unit(0x18) == '-');

    begin("IVRS");
    ivhd(0x10, UNIT_A, all, sizeof(all));
    t[48 + 24] = 0xf0;
    t[48 + 24 + 7] = 200; /* variable entry past the block */
    CHECK("ivrs entry past the block", unit(0x18) == '-');
    CHECK("ivrs any: the first unit", unit(ACPI_IOMMU_ANY) == 'A');
}

static void test_other(void)
{
    begin("APIC");
    drhd(1, UNIT_A, 0, 0, 0);
    CHECK("other signature: no unit", unit(0x18) == '-');
    begin("DMAR");
    drhd(1, UNIT_A, 0, 0, 0);
    put(4, 20, 4);
    CHECK("length shorter than the caller's", acpi_iommu_unit(t, len, 0x18) == 0);
}

int main(void)
{
    test_dmar();
    test_ivrs();
    test_other();
    return check_summary();
}
