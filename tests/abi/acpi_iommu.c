/* SPDX-License-Identifier: MIT */
/* Where the firmware's DMAR or IVRS table puts the first IOMMU's registers (for the IOMMU cases). */

#include "acpi_iommu.h"

#include <physmap.h>
#include <string.h>

#define RSDP_OFF_REV    15
#define RSDP_OFF_RSDT   16
#define RSDP_OFF_XSDT   24
#define RSDP_LEN        36
#define SDT_OFF_LEN     4
#define SDT_HDR_LEN     36
#define SUB_OFF         48      /* DMAR remapping structures and IVRS blocks start here */
#define SUB_OFF_BASE    8       /* DRHD register base / IVHD IOMMU base */
#define DMAR_DRHD       0
#define IVHD_LEGACY     0x10

static uint32_t rd32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t rd64(const uint8_t *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }

static const uint8_t *table(uint64_t phys)
{
    const uint8_t *h = phys_map(phys, SDT_HDR_LEN, 0);
    return h ? phys_map(phys, rd32(h + SDT_OFF_LEN), 0) : 0;
}

/* The first DRHD (type 0, 16-bit type) or IVHD (type 0x10.., 8-bit type) register base. */
static uint64_t first_unit(const uint8_t *t, int amd)
{
    uint32_t len = rd32(t + SDT_OFF_LEN);
    for (uint32_t off = SUB_OFF; off + 16 <= len;) {
        const uint8_t *s = t + off;
        unsigned type = amd ? s[0] : (unsigned)(s[0] | s[1] << 8), slen = s[2] | s[3] << 8;
        if (slen < 4)
            break;
        if (amd ? type >= IVHD_LEGACY : type == DMAR_DRHD)
            return rd64(s + SUB_OFF_BASE);
        off += slen;
    }
    return 0;
}

uint64_t acpi_iommu_base(uint64_t rsdp, int *amd)
{
    const uint8_t *r = rsdp != ~0ull ? phys_map(rsdp, RSDP_LEN, 0) : 0;
    if (!r)
        return 0;
    uint64_t xsdt = r[RSDP_OFF_REV] >= 2 ? rd64(r + RSDP_OFF_XSDT) : 0;
    const uint8_t *root = table(xsdt ? xsdt : rd32(r + RSDP_OFF_RSDT));
    unsigned entry = xsdt ? 8 : 4;
    for (uint32_t off = SDT_HDR_LEN; root && off + entry <= rd32(root + SDT_OFF_LEN); off += entry) {
        const uint8_t *t = table(entry == 8 ? rd64(root + off) : rd32(root + off));
        if (t && (!memcmp(t, "DMAR", 4) || !memcmp(t, "IVRS", 4))) {
            *amd = t[0] == 'I';
            return first_unit(t, *amd);
        }
    }
    return 0;
}
