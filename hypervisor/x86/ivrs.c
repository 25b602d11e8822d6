/* SPDX-License-Identifier: MIT */
/* IVRS (AMD I/O Virtualization Technology spec 3.x, section 5): IOMMUs, their own requester ID,
   the devices each one translates for and the IOAPIC behind it. */

#include "x86/acpi_tables.h"
#include "x86/iommu.h"

#define IVRS_OFF_BLOCKS     48
#define IVHD_LEGACY         0x10    /* fixed part of 24 bytes */
#define IVHD_EFR            0x11    /* fixed part of 40 bytes */
#define IVHD_EFR_MIXED      0x40
#define IVHD_OFF_LEN        2
#define IVHD_OFF_DEVID      4
#define IVHD_OFF_BASE       8
#define IVHD_OFF_SEGMENT    16
#define IVHD_LEGACY_FIXED   24
#define IVHD_EFR_FIXED      40
#define DEV_ALL             1
#define DEV_SELECT          2
#define DEV_RANGE_START     3
#define DEV_RANGE_END       4
#define DEV_ALIAS_SELECT    0x42
#define DEV_ALIAS_RANGE     0x43
#define DEV_EXT_SELECT      0x46
#define DEV_EXT_RANGE       0x47
#define DEV_SPECIAL         0x48    /* IOAPIC or HPET: handle, requester ID, variety */
#define SPECIAL_OFF_DEVID   5
#define SPECIAL_OFF_VARIETY 7
#define SPECIAL_IOAPIC      1
#define DEV_VARIABLE        0xf0    /* ACPI HID entry: length in byte 7 */
#define DEV_OFF_ID          1
#define DEV_VAR_OFF_LEN     7
#define DEV_VAR_FIXED       8
#define AMDVI_MMIO_PAGES    128     /* 512 KiB with the performance counter banks */

static void add_range(struct iommu_unit *u, uint16_t first, uint16_t last)
{
    if (u->nscopes < IOMMU_MAX_SCOPES && first <= last)
        u->scope[u->nscopes++] = (struct iommu_scope){first, last};
}

/* Length of a device entry: 4 bytes for types below 0x40, 8 up to 0x7f, 16 up to 0xbf, and
   variable for the ACPI-namespace entries. */
static unsigned entry_len(const uint8_t *e, unsigned left)
{
    if (e[0] < 0x40)
        return 4;
    if (e[0] < 0x80)
        return 8;
    if (e[0] < 0xc0)
        return 16;
    if (e[0] == DEV_VARIABLE && left > DEV_VAR_OFF_LEN)
        return DEV_VAR_FIXED + e[DEV_VAR_OFF_LEN];
    return 0; /* unknown: stop */
}

static void parse_ivhd(const uint8_t *h, uint16_t len)
{
    unsigned fixed = h[0] == IVHD_LEGACY ? IVHD_LEGACY_FIXED : IVHD_EFR_FIXED;
    if (len < fixed)
        return;
    struct iommu_unit *u = iommu_add(IOMMU_AMDVI, acpi_rd64(h + IVHD_OFF_BASE), acpi_rd16(h + IVHD_OFF_SEGMENT));
    if (!u)
        return;
    u->self_bdf = acpi_rd16(h + IVHD_OFF_DEVID);
    u->mmio_pages = AMDVI_MMIO_PAGES;
    uint16_t start = 0;
    for (unsigned off = fixed; off + 4 <= len;) {
        const uint8_t *e = h + off;
        unsigned elen = entry_len(e, len - off);
        if (!elen || off + elen > len)
            break;
        uint16_t id = acpi_rd16(e + DEV_OFF_ID);
        switch (e[0]) {
        case DEV_ALL: u->all_devices = true; break;
        case DEV_SELECT:
        case DEV_ALIAS_SELECT:
        case DEV_EXT_SELECT: add_range(u, id, id); break;
        case DEV_RANGE_START:
        case DEV_ALIAS_RANGE:
        case DEV_EXT_RANGE: start = id; break;
        case DEV_RANGE_END: add_range(u, start, id); break;
        case DEV_SPECIAL:
            if (e[SPECIAL_OFF_VARIETY] == SPECIAL_IOAPIC && !u->has_ioapic) {
                u->ioapic_bdf = acpi_rd16(e + SPECIAL_OFF_DEVID);
                u->has_ioapic = true;
            }
            break;
        default: break;
        }
        off += elen;
    }
}

void ivrs_parse(const uint8_t *t, uint32_t len)
{
    for (uint32_t off = IVRS_OFF_BLOCKS; off + 4 <= len;) {
        const uint8_t *b = t + off;
        uint16_t blen = acpi_rd16(b + IVHD_OFF_LEN);
        if (blen < 4 || off + blen > len)
            break;
        if (b[0] == IVHD_LEGACY || b[0] == IVHD_EFR || b[0] == IVHD_EFR_MIXED)
            parse_ivhd(b, blen);
        off += blen;
    }
}
