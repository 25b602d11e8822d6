/* SPDX-License-Identifier: MIT */
/* Which IOMMU unit of a DMAR (Intel VT-d, chapter 8) or IVRS (AMD IOMMU, 5.2) table holds a device. */

#include "acpi_iommu.h"

#include <stdbool.h>
#include <string.h>

#define SUB_OFF             48      /* DMAR remapping structures and IVRS blocks start here */
#define SUB_OFF_LEN         2
#define SUB_OFF_BASE        8       /* DRHD register base / IVHD IOMMU base */
#define SUB_MIN_LEN         16
#define DMAR_DRHD           0
#define DRHD_OFF_FLAGS      4
#define DRHD_OFF_SEGMENT    6
#define DRHD_OFF_SCOPES     16
#define DRHD_INCLUDE_ALL    0x01u
#define SCOPE_ENDPOINT      1
#define SCOPE_BRIDGE        2
#define SCOPE_ONE_HOP       8       /* length of a scope with a one-hop path */
#define SCOPE_OFF_BUS       5
#define SCOPE_OFF_DEV       6
#define SCOPE_OFF_FN        7
#define IVHD_LEGACY         0x10    /* fixed part of 24 bytes */
#define IVHD_EFR            0x11    /* fixed part of 40 bytes */
#define IVHD_EFR_MIXED      0x40
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
#define DEV_VARIABLE        0xf0    /* ACPI HID entry: its length in byte 7 */
#define DEV_OFF_ID          1
#define DEV_VAR_OFF_LEN     7
#define DEV_VAR_FIXED       8
#define DEV_LEN_SHIFT       6       /* type bits 7:6: 4, 8, 16 or 32 bytes */
#define DEV_LEN_MIN         4
#define SDT_OFF_LEN         4
#define BDF(bus, dev, fn)   ((unsigned)((bus) << 8 | (dev) << 3 | (fn)))
#define DEV_MASK            0x1fu
#define FN_MASK             0x7u

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p) { return rd16(p) | (uint32_t)rd16(p + 2) << 16; }
static uint64_t rd64(const uint8_t *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }

/* Whether a DRHD's one-hop scopes name bdf (an endpoint, or a bridge by its own requester ID). */
static bool drhd_names(const uint8_t *d, unsigned dlen, unsigned bdf)
{
    for (unsigned off = DRHD_OFF_SCOPES; off + SCOPE_ONE_HOP <= dlen;) {
        const uint8_t *s = d + off;
        if (s[1] < SCOPE_ONE_HOP || off + s[1] > dlen)
            return false;
        if (s[1] == SCOPE_ONE_HOP && (s[0] == SCOPE_ENDPOINT || s[0] == SCOPE_BRIDGE) &&
            BDF(s[SCOPE_OFF_BUS], s[SCOPE_OFF_DEV] & DEV_MASK, s[SCOPE_OFF_FN] & FN_MASK) == bdf)
            return true;
        off += s[1];
    }
    return false;
}

static uint64_t dmar_unit(const uint8_t *t, uint32_t len, unsigned bdf)
{
    uint64_t all = 0;
    for (uint32_t off = SUB_OFF; off + SUB_MIN_LEN <= len;) {
        const uint8_t *s = t + off;
        unsigned slen = rd16(s + SUB_OFF_LEN);
        if (slen < SUB_MIN_LEN || off + slen > len)
            break;
        if (rd16(s) == DMAR_DRHD && rd16(s + DRHD_OFF_SEGMENT) == 0) {
            if (bdf == ACPI_IOMMU_ANY || drhd_names(s, slen, bdf))
                return rd64(s + SUB_OFF_BASE);
            if ((s[DRHD_OFF_FLAGS] & DRHD_INCLUDE_ALL) && !all)
                all = rd64(s + SUB_OFF_BASE);
        }
        off += slen;
    }
    return all;
}

/* Length of the IVHD device entry at e (the type's bits 7:6, or byte 7 for the variable type). */
static unsigned dev_len(const uint8_t *e)
{
    if (e[0] == DEV_VARIABLE)
        return DEV_VAR_FIXED + e[DEV_VAR_OFF_LEN];
    return DEV_LEN_MIN << (e[0] >> DEV_LEN_SHIFT);
}

/* Whether the device entries of the IVHD at h (len bytes) hold bdf. */
static bool ivhd_holds(const uint8_t *h, unsigned hlen, unsigned bdf)
{
    unsigned start = 0, off = h[0] == IVHD_LEGACY ? IVHD_LEGACY_FIXED : IVHD_EFR_FIXED;
    while (off + DEV_LEN_MIN <= hlen) {
        const uint8_t *e = h + off;
        unsigned elen = dev_len(e), id = rd16(e + DEV_OFF_ID);
        if (off + elen > hlen)
            return false;
        switch (e[0]) {
        case DEV_ALL: return true;
        case DEV_SELECT:
        case DEV_ALIAS_SELECT:
        case DEV_EXT_SELECT:
            if (id == bdf)
                return true;
            break;
        case DEV_RANGE_START:
        case DEV_ALIAS_RANGE:
        case DEV_EXT_RANGE: start = id; break;
        case DEV_RANGE_END:
            if (bdf >= start && bdf <= id)
                return true;
            break;
        default: break;
        }
        off += elen;
    }
    return false;
}

static uint64_t ivrs_unit(const uint8_t *t, uint32_t len, unsigned bdf)
{
    for (uint32_t off = SUB_OFF; off + IVHD_LEGACY_FIXED <= len;) {
        const uint8_t *s = t + off;
        unsigned slen = rd16(s + SUB_OFF_LEN);
        if (slen < SUB_MIN_LEN || off + slen > len)
            break;
        bool ivhd = s[0] == IVHD_LEGACY || s[0] == IVHD_EFR || s[0] == IVHD_EFR_MIXED;
        if (ivhd && rd16(s + IVHD_OFF_SEGMENT) == 0 && (bdf == ACPI_IOMMU_ANY || ivhd_holds(s, slen, bdf)))
            return rd64(s + SUB_OFF_BASE);
        off += slen;
    }
    return 0;
}

uint64_t acpi_iommu_unit(const uint8_t *t, uint32_t len, unsigned bdf)
{
    if (len < SUB_OFF || rd32(t + SDT_OFF_LEN) < len)
        return 0;
    if (!memcmp(t, "DMAR", 4))
        return dmar_unit(t, len, bdf);
    if (!memcmp(t, "IVRS", 4))
        return ivrs_unit(t, len, bdf);
    return 0;
}
