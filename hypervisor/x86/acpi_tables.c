/* SPDX-License-Identifier: MIT */
/* The few static ACPI facts the kernel needs: RSDP, protected I/O ports (FADT), APIC MMIO (MADT),
   IOMMUs (DMAR, IVRS: see dmar.c and ivrs.c). */

#include "x86/acpi_tables.h"
#include "core/memory.h"

#include <string.h>

/* Offsets from the ACPI specification (6.x), sections 5.2.5 to 5.2.12. */
#define RSDP_OFF_REV        15
#define RSDP_OFF_RSDT       16
#define RSDP_OFF_XSDT       24
#define RSDP_V1_LEN         20
#define SDT_OFF_LEN         4
#define SDT_HDR_LEN         36
#define FADT_OFF_FACS       36
#define FADT_OFF_SMI_CMD    48
#define FADT_OFF_PM1A_EVT   56
#define FADT_OFF_PM1B_EVT   60
#define FADT_OFF_PM1A_CNT   64
#define FADT_OFF_PM1B_CNT   68
#define FADT_OFF_PM2_CNT    76
#define FADT_OFF_PM1_CNT_LEN 89
#define FADT_OFF_PM2_CNT_LEN 91
#define MADT_OFF_LAPIC      36
#define MADT_OFF_ENTRIES    44
#define MADT_LAPIC          0
#define MADT_IOAPIC         1
#define MADT_X2APIC         9
#define MADT_ISO            2
#define FADT_OFF_FLAGS      112
#define FADT_OFF_RESET_REG  116
#define FADT_OFF_RESET_VAL  128
#define FADT_RESET_REG_SUP  (1u << 10)
#define FADT_OFF_X_FACS     132
#define MADT_LAPIC_ENABLED  1u
#define BIOS_AREA_START     0xe0000
#define BIOS_AREA_END       0x100000
#define EBDA_PTR            0x40e
#define SCAN_LIMIT          (1u << 20)

struct acpi_facts acpi = {.rsdp = ~0ull};


static int sum_ok(const uint8_t *p, uint32_t len)
{
    uint8_t s = 0;
    while (len--)
        s += *p++;
    return s == 0;
}

static int rsdp_ok(const uint8_t *p)
{
    return !memcmp(p, "RSD PTR ", 8) && sum_ok(p, RSDP_V1_LEN);
}

static uint64_t rsdp_scan(uint64_t start, uint64_t end)
{
    for (uint64_t a = start; a + RSDP_V1_LEN <= end; a += 16)
        if (rsdp_ok(phys_to_virt(a)))
            return a;
    return ~0ull;
}

static const uint8_t *table_at(uint64_t phys)
{
    if (!phys || phys >= DIRECT_MAP_SIZE)
        return NULL;
    const uint8_t *t = phys_to_virt(phys);
    uint32_t len = acpi_rd32(t + SDT_OFF_LEN);
    return len >= SDT_HDR_LEN && len < SCAN_LIMIT && sum_ok(t, len) ? t : NULL;
}

static void parse_fadt(const uint8_t *t)
{
    uint32_t len = acpi_rd32(t + SDT_OFF_LEN);
    if (len < FADT_OFF_PM2_CNT_LEN + 1)
        return;
    acpi.facs = acpi_rd32(t + FADT_OFF_FACS);
    if (len >= FADT_OFF_X_FACS + 8 && acpi_rd64(t + FADT_OFF_X_FACS))
        acpi.facs = acpi_rd64(t + FADT_OFF_X_FACS); /* ACPI 2.0+: the 64-bit field wins when set */
    acpi.smi_cmd = (uint16_t)acpi_rd32(t + FADT_OFF_SMI_CMD);
    acpi.pm1_evt_port[0] = (uint16_t)acpi_rd32(t + FADT_OFF_PM1A_EVT);
    acpi.pm1_evt_port[1] = (uint16_t)acpi_rd32(t + FADT_OFF_PM1B_EVT);
    acpi.pm_cnt_port[0] = (uint16_t)acpi_rd32(t + FADT_OFF_PM1A_CNT);
    acpi.pm_cnt_port[1] = (uint16_t)acpi_rd32(t + FADT_OFF_PM1B_CNT);
    acpi.pm_cnt_port[2] = (uint16_t)acpi_rd32(t + FADT_OFF_PM2_CNT);
    acpi.pm_cnt_len[0] = acpi.pm_cnt_len[1] = t[FADT_OFF_PM1_CNT_LEN];
    acpi.pm_cnt_len[2] = t[FADT_OFF_PM2_CNT_LEN];
    if (len > FADT_OFF_RESET_VAL) {
        acpi.reset_supported = acpi_rd32(t + FADT_OFF_FLAGS) & FADT_RESET_REG_SUP;
        acpi.reset_space = t[FADT_OFF_RESET_REG];
        acpi.reset_addr = acpi_rd64(t + FADT_OFF_RESET_REG + 4);
        acpi.reset_value = t[FADT_OFF_RESET_VAL];
    }
}

static void add_cpu(uint32_t apic_id)
{
    if (acpi.ncpus < MAX_CPUS)
        acpi.apic_id[acpi.ncpus++] = apic_id;
}

static void parse_madt(const uint8_t *t)
{
    uint32_t len = acpi_rd32(t + SDT_OFF_LEN);
    acpi.lapic = acpi_rd32(t + MADT_OFF_LAPIC);
    for (uint32_t off = MADT_OFF_ENTRIES; off + 2 <= len;) {
        const uint8_t *e = t + off;
        if (e[1] < 2 || off + e[1] > len)
            break;
        if (e[0] == MADT_IOAPIC && e[1] >= 12 && acpi.nioapic < ACPI_MAX_IOAPICS) {
            acpi.ioapic_gsi_base[acpi.nioapic] = acpi_rd32(e + 8);
            acpi.ioapic[acpi.nioapic++] = acpi_rd32(e + 4);
        } else if (e[0] == MADT_ISO && e[1] >= 10 && acpi.niso < 16) {
            acpi.iso[acpi.niso++] = (struct acpi_iso){e[3], acpi_rd32(e + 4), (uint16_t)(e[8] | e[9] << 8)};
        }
        else if (e[0] == MADT_LAPIC && e[1] >= 8 && (acpi_rd32(e + 4) & MADT_LAPIC_ENABLED))
            add_cpu(e[3]);
        else if (e[0] == MADT_X2APIC && e[1] >= 16 && (acpi_rd32(e + 8) & MADT_LAPIC_ENABLED))
            add_cpu(acpi_rd32(e + 4));
        off += e[1];
    }
}

static void parse_table(uint64_t phys)
{
    const uint8_t *t = table_at(phys);
    if (!t)
        return;
    if (!memcmp(t, "FACP", 4))
        parse_fadt(t);
    else if (!memcmp(t, "APIC", 4))
        parse_madt(t);
    else if (!memcmp(t, "DMAR", 4))
        dmar_parse(t, acpi_rd32(t + SDT_OFF_LEN));
    else if (!memcmp(t, "IVRS", 4))
        ivrs_parse(t, acpi_rd32(t + SDT_OFF_LEN));
}

void acpi_tables_init(uint64_t hint)
{
    /* Prefer the firmware's own RSDP (BIOS areas); a loader's hint may point at a copy that
       lives in boot-information memory the root task will reuse. */
    uint64_t rsdp = ~0ull;
    uint64_t ebda = (uint64_t)*(uint16_t *)phys_to_virt(EBDA_PTR) << 4;
    if (ebda)
        rsdp = rsdp_scan(ebda, ebda + 1024);
    if (rsdp == ~0ull)
        rsdp = rsdp_scan(BIOS_AREA_START, BIOS_AREA_END);
    if (rsdp == ~0ull && hint != ~0ull && hint < DIRECT_MAP_SIZE && rsdp_ok(phys_to_virt(hint)))
        rsdp = hint;
    acpi.rsdp = rsdp;
    if (rsdp == ~0ull)
        return;

    const uint8_t *r = phys_to_virt(rsdp);
    uint64_t xsdt = r[RSDP_OFF_REV] >= 2 ? acpi_rd64(r + RSDP_OFF_XSDT) : 0;
    const uint8_t *root = table_at(xsdt ? xsdt : acpi_rd32(r + RSDP_OFF_RSDT));
    if (!root)
        return;
    unsigned entry = xsdt ? 8 : 4;
    uint32_t len = acpi_rd32(root + SDT_OFF_LEN);
    for (uint32_t off = SDT_HDR_LEN; off + entry <= len; off += entry)
        parse_table(entry == 8 ? acpi_rd64(root + off) : acpi_rd32(root + off));
}
