/* SPDX-License-Identifier: MIT */
/* Host test of hypervisor/x86/dmar.c and ivrs.c: units, register bases, segments, scopes and
   malformed tables, against a registry that records what the parsers add. */

#include "x86/acpi_tables.h"
#include "x86/iommu.h"

#include <string.h>

#include "check.h"


static struct iommu_unit units[IOMMU_MAX_UNITS];
static unsigned nunits;

struct iommu_unit *iommu_add(enum iommu_kind kind, uint64_t base, uint16_t segment)
{
    for (unsigned i = 0; i < nunits; i++)
        if (units[i].base == base)
            return NULL;
    if (nunits >= IOMMU_MAX_UNITS)
        return NULL;
    units[nunits] = (struct iommu_unit){.kind = kind, .base = base, .segment = segment, .mmio_pages = 1};
    return &units[nunits++];
}

static uint8_t t[512];
static unsigned len;

static void put(unsigned off, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++)
        t[off + i] = (uint8_t)(v >> (8 * i));
}

static void begin(void)
{
    memset(t, 0, sizeof(t));
    len = 48; /* header, then DMAR structures / IVRS blocks */
    nunits = 0;
}

/* A DRHD with `nscopes` one-hop endpoint scopes on bus 0, devices 1, 2, ... */
static void drhd(uint8_t flags, uint16_t segment, uint64_t base, unsigned nscopes)
{
    unsigned at = len, size = 16 + 8 * nscopes;
    put(at, 0, 2);
    put(at + 2, size, 2);
    t[at + 4] = flags;
    t[at + 5] = 2; /* 2^2 register pages */
    put(at + 6, segment, 2);
    put(at + 8, base, 8);
    for (unsigned i = 0; i < nscopes; i++) {
        uint8_t *s = &t[at + 16 + 8 * i];
        s[0] = 1, s[1] = 8, s[5] = 0, s[6] = (uint8_t)(i + 1), s[7] = 0;
    }
    len += size;
}

static void test_dmar(void)
{
    begin();
    drhd(0, 0, 0xfed90000, 3);
    drhd(1, 1, 0xfed91000, 0);
    dmar_parse(t, len);
    CHECK("dmar two units", nunits == 2);
    CHECK("dmar base and kind", units[0].base == 0xfed90000 && units[0].kind == IOMMU_VTD);
    CHECK("dmar register pages from size", units[0].mmio_pages == 4);
    CHECK("dmar scopes listed", units[0].nscopes == 3 && units[0].scope[1].first == 0x10 &&
                                    units[0].scope[1].last == 0x10 && !units[0].all_devices);
    CHECK("dmar include_pci_all and segment", units[1].all_devices && units[1].segment == 1 && units[1].nscopes == 0);

    begin();
    drhd(0, 0, 0xfed90000, 2);
    t[48 + 16 + 1] = 10; /* a two-hop path: not added */
    t[48 + 16 + 8 + 1] = 8;
    dmar_parse(t, len);
    CHECK("dmar deeper path skipped", nunits == 1 && units[0].nscopes == 0);

    begin();
    drhd(0, 0, 0xfed90000, 1);
    put(48 + 2, 400, 2); /* longer than the table */
    dmar_parse(t, len);
    CHECK("dmar truncated structure ignored", nunits == 0);

    begin();
    drhd(0, 0, 0xfed90000, 1);
    put(48 + 2, 0, 2);
    dmar_parse(t, len);
    CHECK("dmar zero length stops", nunits == 0);
}

/* An IVHD of type 0x10 (24-byte header) or 0x11 (40) with the given device entries. */
static void ivhd(uint8_t type, uint16_t devid, uint64_t base, const uint8_t *entries, unsigned n)
{
    unsigned at = len, fixed = type == 0x10 ? 24 : 40;
    t[at] = type;
    put(at + 2, fixed + n, 2);
    put(at + 4, devid, 2);
    put(at + 8, base, 8);
    memcpy(&t[at + fixed], entries, n);
    len += fixed + n;
}

static void test_ivrs(void)
{
    static const uint8_t select_all[] = {1, 0, 0, 0};
    static const uint8_t listed[] = {
        2, 0x18, 0, 0,              /* select 00:03.0 */
        3, 0x00, 1, 0, 4, 0xff, 1, 0, /* range 01:00.0 .. 01:1f.7 */
        0x42, 0x20, 0, 0, 0, 0, 0, 0, /* alias select 00:04.0 (8 bytes) */
        0xf0, 0, 0, 0, 0, 0, 0, 3, 'a', 'b', 'c', /* ACPI HID entry, 3 bytes of UID */
        2, 0x28, 0, 0,              /* select 00:05.0 after it */
    };
    begin();
    ivhd(0x10, 0x0010, 0xfed80000, select_all, sizeof(select_all));
    ivhd(0x11, 0x0010, 0xfed80000, listed, sizeof(listed)); /* the same IOMMU again: skipped */
    ivrs_parse(t, len);
    CHECK("ivrs one unit per IOMMU", nunits == 1);
    CHECK("ivrs base, own BDF, all devices", units[0].base == 0xfed80000 && units[0].self_bdf == 0x10 &&
                                                 units[0].kind == IOMMU_AMDVI && units[0].all_devices);

    begin();
    ivhd(0x11, 0x0002, 0xfed81000, listed, sizeof(listed));
    ivrs_parse(t, len);
    CHECK("ivrs listed devices", nunits == 1 && !units[0].all_devices && units[0].nscopes == 4);
    CHECK("ivrs select", units[0].scope[0].first == 0x18 && units[0].scope[0].last == 0x18);
    CHECK("ivrs range", units[0].scope[1].first == 0x100 && units[0].scope[1].last == 0x1ff);
    CHECK("ivrs alias select", units[0].scope[2].first == 0x20);
    CHECK("ivrs entry after variable one", units[0].scope[3].first == 0x28);

    begin();
    ivhd(0x11, 0x0002, 0xfed81000, listed, sizeof(listed));
    put(48 + 2, 20, 2); /* shorter than its fixed part */
    ivrs_parse(t, len);
    CHECK("ivrs short block ignored", nunits == 0);
}

int main(void)
{
    test_dmar();
    test_ivrs();
    return check_summary();
}
