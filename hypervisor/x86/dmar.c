/* SPDX-License-Identifier: MIT */
/* DMAR (Intel VT-d 3.x, chapter 8): remapping hardware units, their segment and device scopes. */

#include "x86/acpi_tables.h"
#include "x86/iommu.h"

#define DMAR_OFF_STRUCTS    48
#define DMAR_TYPE_DRHD      0
#define DRHD_OFF_FLAGS      4
#define DRHD_OFF_SIZE       5
#define DRHD_OFF_SEGMENT    6
#define DRHD_OFF_BASE       8
#define DRHD_OFF_SCOPES     16
#define DRHD_INCLUDE_ALL    0x01u
#define DRHD_SIZE_MASK      0x0fu   /* register set: 2^N pages */
#define SCOPE_OFF_BUS       5
#define SCOPE_OFF_PATH      6
#define SCOPE_ENDPOINT      1
#define SCOPE_BRIDGE        2
#define SCOPE_MIN_LEN       8
#define BDF(bus, dev, fn)   ((uint16_t)((bus) << 8 | (dev) << 3 | (fn)))

/* A scope whose path is one hop names a device (or bridge: its own requester ID) on the start
   bus. Deeper paths would need the bridges' bus numbers from PCI configuration: not added. */
static void add_scope(struct iommu_unit *u, const uint8_t *s)
{
    if (s[1] != SCOPE_MIN_LEN || u->nscopes >= IOMMU_MAX_SCOPES)
        return;
    if (s[0] != SCOPE_ENDPOINT && s[0] != SCOPE_BRIDGE)
        return;
    uint16_t bdf = BDF(s[SCOPE_OFF_BUS], s[SCOPE_OFF_PATH] & 0x1f, s[SCOPE_OFF_PATH + 1] & 0x7);
    u->scope[u->nscopes++] = (struct iommu_scope){bdf, bdf};
}

static void parse_drhd(const uint8_t *d, uint16_t len)
{
    struct iommu_unit *u = iommu_add(IOMMU_VTD, acpi_rd64(d + DRHD_OFF_BASE), acpi_rd16(d + DRHD_OFF_SEGMENT));
    if (!u)
        return;
    u->all_devices = d[DRHD_OFF_FLAGS] & DRHD_INCLUDE_ALL;
    u->mmio_pages = 1ull << (d[DRHD_OFF_SIZE] & DRHD_SIZE_MASK);
    for (uint16_t off = DRHD_OFF_SCOPES; off + 2 <= len;) {
        const uint8_t *s = d + off;
        if (s[1] < 2 || off + s[1] > len)
            break;
        add_scope(u, s);
        off += s[1];
    }
}

void dmar_parse(const uint8_t *t, uint32_t len)
{
    for (uint32_t off = DMAR_OFF_STRUCTS; off + 4 <= len;) {
        const uint8_t *e = t + off;
        uint16_t type = acpi_rd16(e), elen = acpi_rd16(e + 2);
        if (elen < 4 || off + elen > len)
            break;
        if (type == DMAR_TYPE_DRHD && elen >= DRHD_OFF_SCOPES)
            parse_drhd(e, elen);
        off += elen;
    }
}
