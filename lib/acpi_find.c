/* SPDX-License-Identifier: MIT */
/* For root tasks: find the firmware's DMAR or IVRS table through the RSDP and ask it for a unit. */

#include "acpi_iommu.h"

#include <physmap.h>
#include <string.h>

#define RSDP_OFF_REV    15
#define RSDP_OFF_RSDT   16
#define RSDP_OFF_XSDT   24
#define RSDP_LEN        36
#define SDT_OFF_LEN     4
#define SDT_HDR_LEN     36
#define XSDT_ENTRY      8
#define RSDT_ENTRY      4
#define NO_RSDP         (~0ull)

static uint32_t rd32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t rd64(const uint8_t *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }

/* The whole table at phys, mapped read-only; NULL if it cannot be. */
static const uint8_t *table(uint64_t phys)
{
    const uint8_t *h = phys ? phys_map(phys, SDT_HDR_LEN, 0) : 0;
    return h ? phys_map(phys, rd32(h + SDT_OFF_LEN), 0) : 0;
}

uint64_t acpi_iommu_find(uint64_t rsdp, unsigned bdf, int *amd)
{
    const uint8_t *r = rsdp != NO_RSDP && rsdp ? phys_map(rsdp, RSDP_LEN, 0) : 0;
    if (!r)
        return 0;
    uint64_t xsdt = r[RSDP_OFF_REV] >= 2 ? rd64(r + RSDP_OFF_XSDT) : 0;
    const uint8_t *root = table(xsdt ? xsdt : rd32(r + RSDP_OFF_RSDT));
    unsigned entry = xsdt ? XSDT_ENTRY : RSDT_ENTRY;
    for (uint32_t off = SDT_HDR_LEN; root && off + entry <= rd32(root + SDT_OFF_LEN); off += entry) {
        const uint8_t *t = table(entry == XSDT_ENTRY ? rd64(root + off) : rd32(root + off));
        if (t && (!memcmp(t, "DMAR", 4) || !memcmp(t, "IVRS", 4))) {
            *amd = t[0] == 'I';
            return acpi_iommu_unit(t, rd32(t + SDT_OFF_LEN), bdf);
        }
    }
    return 0;
}
