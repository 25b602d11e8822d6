/* SPDX-License-Identifier: MIT */
/* Host test of vmm/acpi/tables.c and the compiled DSDT: every table's header, checksum and the
   fields the guest relies on, in guest-physical terms. */

#include "acpi/tables.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "acpi/layout.h"
#include "check.h"
#include "dev/hpet.h"

#define CAP 0x20000u

static uint8_t buf[CAP];
static size_t used;
static uint64_t base;

static uint8_t sum(const void *p, size_t n)
{
    uint8_t s = 0;
    for (size_t i = 0; i < n; i++)
        s = (uint8_t)(s + ((const uint8_t *)p)[i]);
    return s;
}

/* The bytes at guest-physical gpa, if a table of len bytes there lies inside what was built. */
static void *at(uint64_t gpa, size_t len)
{
    if (gpa < base || gpa - base > used || len > used - (gpa - base))
        return NULL;
    return buf + (gpa - base);
}

static bool build(unsigned ncpus, uint64_t gpa)
{
    struct acpi_machine m = {.ncpus = ncpus};
    memset(buf, 0xee, sizeof(buf));
    base = gpa;
    used = acpi_tables_build(buf, CAP, gpa, &m);
    return used != 0;
}

static const struct acpi_rsdp *rsdp(void)
{
    return (const struct acpi_rsdp *)buf;
}

/* A table through the XSDT by signature, checking its header on the way. */
static const struct acpi_header *find(const char *sig)
{
    const struct acpi_header *x = at(rsdp()->xsdt_address, sizeof(*x));
    if (!x)
        return NULL;
    unsigned n = (x->length - sizeof(*x)) / 8;
    for (unsigned i = 0; i < n; i++) {
        uint64_t a;
        memcpy(&a, (const uint8_t *)x + sizeof(*x) + 8 * i, 8);
        const struct acpi_header *h = at(a, sizeof(*h));
        if (h && memcmp(h->signature, sig, 4) == 0)
            return at(a, h->length);
    }
    return NULL;
}

static void check_table(const char *name, const struct acpi_header *h, const char *sig, uint32_t len, uint8_t rev)
{
    char what[64];
    snprintf(what, sizeof(what), "%s present", name);
    if (!CHECK(what, h != NULL))
        return;
    snprintf(what, sizeof(what), "%s signature", name);
    CHECK(what, memcmp(h->signature, sig, 4) == 0);
    snprintf(what, sizeof(what), "%s length", name);
    CHECK_EQ(what, h->length, len);
    snprintf(what, sizeof(what), "%s revision", name);
    CHECK_EQ(what, h->revision, rev);
    snprintf(what, sizeof(what), "%s checksum", name);
    CHECK_EQ(what, sum(h, h->length), 0);
    snprintf(what, sizeof(what), "%s OEM ID", name);
    CHECK(what, memcmp(h->oem_id, "NOVA  ", 6) == 0 && memcmp(h->oem_table_id, "NOVAVMM ", 8) == 0);
}

static bool gas_io(const struct acpi_gas *g, uint64_t port, unsigned bits)
{
    return g->space_id == ACPI_GAS_IO && g->bit_width == bits && g->bit_offset == 0 && g->address == port;
}

static void test_rsdp_xsdt(void)
{
    CHECK("build for 1 CPU at 0xe0000", build(1, LAYOUT_ACPI_BASE));
    CHECK("fits the 128 KiB area", used <= LAYOUT_ACPI_SIZE);
    const struct acpi_rsdp *r = rsdp();
    CHECK("RSDP signature at the start", memcmp(r->signature, "RSD PTR ", 8) == 0);
    CHECK_EQ("RSDP checksum (20 bytes)", sum(r, 20), 0);
    CHECK_EQ("RSDP extended checksum (36 bytes)", sum(r, 36), 0);
    CHECK_EQ("RSDP revision 2", r->revision, 2);
    CHECK_EQ("RSDP length 36", r->length, 36);
    CHECK_EQ("no RSDT", r->rsdt_address, 0);
    CHECK("RSDP OEM ID", memcmp(r->oem_id, "NOVA  ", 6) == 0);
    const struct acpi_header *x = at(r->xsdt_address, sizeof(*x));
    CHECK("XSDT inside the built area", x != NULL);
    CHECK_EQ("XSDT 16-byte aligned", r->xsdt_address % 16, 0);
    check_table("XSDT", x, "XSDT", 36 + 4 * 8, 1);
    const char *sigs[] = {"FACP", "APIC", "HPET", "MCFG"};
    for (unsigned i = 0; i < 4; i++) {
        uint64_t a;
        memcpy(&a, (const uint8_t *)x + 36 + 8 * i, 8);
        const struct acpi_header *h = at(a, sizeof(*h));
        char what[48];
        snprintf(what, sizeof(what), "XSDT entry %u is %s", i, sigs[i]);
        CHECK(what, h && memcmp(h->signature, sigs[i], 4) == 0 && at(a, h->length));
    }
}

static void test_fadt(void)
{
    build(2, LAYOUT_ACPI_BASE);
    const struct acpi_fadt *f = (const struct acpi_fadt *)find("FACP");
    check_table("FADT", &f->header, "FACP", 276, 6);
    if (!f)
        return;
    CHECK_EQ("FADT minor version 3", f->minor_version & 0xf, 3);
    CHECK_EQ("SCI_INT 9", f->sci_int, 9);
    CHECK_EQ("SMI_CMD 0", f->smi_cmd, 0);
    CHECK("ACPI_ENABLE/DISABLE 0", f->acpi_enable == 0 && f->acpi_disable == 0);
    CHECK_EQ("PM1a_EVT_BLK", f->pm1a_evt_blk, 0x600);
    CHECK_EQ("PM1a_CNT_BLK", f->pm1a_cnt_blk, 0x604);
    CHECK_EQ("PM_TMR_BLK", f->pm_tmr_blk, 0x608);
    CHECK("no PM1b/PM2/GPE blocks", !f->pm1b_evt_blk && !f->pm1b_cnt_blk && !f->pm2_cnt_blk && !f->gpe0_blk &&
                                        !f->gpe1_blk && !f->gpe0_blk_len);
    CHECK("PM lengths 4/2/4", f->pm1_evt_len == 4 && f->pm1_cnt_len == 2 && f->pm_tmr_len == 4);
    CHECK("X_PM1a_EVT_BLK: I/O 0x600, 32 bits", gas_io(&f->x_pm1a_evt_blk, 0x600, 32));
    CHECK("X_PM1a_CNT_BLK: I/O 0x604, 16 bits", gas_io(&f->x_pm1a_cnt_blk, 0x604, 16));
    CHECK("X_PM_TMR_BLK: I/O 0x608, 32 bits", gas_io(&f->x_pm_tmr_blk, 0x608, 32));
    CHECK("X_PM1b and X_GPE empty", f->x_pm1b_evt_blk.address == 0 && f->x_gpe0_blk.address == 0);
    CHECK("RESET_REG: I/O 0xcf9, 8 bits", gas_io(&f->reset_reg, 0xcf9, 8));
    CHECK_EQ("RESET_VALUE 6", f->reset_value, 6);
    uint32_t want = ACPI_FADT_WBINVD | ACPI_FADT_PROC_C1 | ACPI_FADT_SLP_BUTTON | ACPI_FADT_RESET_REG_SUP;
    CHECK_EQ("flags WBINVD, PROC_C1, SLP_BUTTON, RESET_REG_SUP", f->flags & want, want);
    CHECK("not hardware-reduced", !(f->flags & ACPI_FADT_HW_REDUCED));
    CHECK("24-bit PM timer: TMR_VAL_EXT clear", !(f->flags & ACPI_FADT_TMR_VAL_EXT));
    CHECK("fixed power button: PWR_BUTTON clear", !(f->flags & ACPI_FADT_PWR_BUTTON));
    CHECK_EQ("IAPC_BOOT_ARCH legacy devices + 8042", f->iapc_boot_arch & 3, 3);
    CHECK("no C2/C3", f->p_lvl2_lat > 100 && f->p_lvl3_lat > 1000);

    const struct acpi_header *d = at(f->x_dsdt, sizeof(*d));
    CHECK("X_DSDT points at the DSDT", d && memcmp(d->signature, "DSDT", 4) == 0);
    CHECK_EQ("32-bit DSDT field unused", f->dsdt, 0);
    if (d) {
        CHECK_EQ("DSDT length = compiled AML", d->length, acpi_dsdt_aml_len);
        CHECK("DSDT inside the area", at(f->x_dsdt, d->length) != NULL);
        CHECK_EQ("DSDT checksum", sum(d, d->length), 0);
        CHECK_EQ("DSDT revision 2 (64-bit integers)", d->revision, 2);
        CHECK("DSDT bytes copied", memcmp(d, acpi_dsdt_aml, acpi_dsdt_aml_len) == 0);
    }
    const struct acpi_facs *facs = at(f->x_firmware_ctrl, 64);
    CHECK("X_FIRMWARE_CTRL points at the FACS", facs && memcmp(facs->signature, "FACS", 4) == 0);
    CHECK_EQ("32-bit FIRMWARE_CTRL unused", f->firmware_ctrl, 0);
    CHECK_EQ("FACS 64-byte aligned", f->x_firmware_ctrl % 64, 0);
    if (facs)
        CHECK("FACS length 64, version 2", facs->length == 64 && facs->version == 2);
}

static void test_madt(unsigned n)
{
    char what[80];
    build(n, LAYOUT_ACPI_BASE);
    const struct acpi_madt *m = (const struct acpi_madt *)find("APIC");
    snprintf(what, sizeof(what), "MADT (%u CPUs)", n);
    check_table(what, &m->header, "APIC", 44 + 8 * n + 12 + 2 * 10 + 6, 5);
    if (!m)
        return;
    CHECK_EQ("LAPIC address", m->lapic_address, 0xfee00000u);
    CHECK_EQ("PCAT_COMPAT", m->flags, ACPI_MADT_PCAT_COMPAT);
    const uint8_t *p = (const uint8_t *)m + sizeof(*m), *end = (const uint8_t *)m + m->header.length;
    unsigned lapics = 0, ioapics = 0, nmis = 0;
    bool ids_ok = true, iso0 = false, iso9 = false, lengths_ok = true, others = false;
    while (p < end) {
        if (p[1] < 2 || p + p[1] > end) {
            lengths_ok = false;
            break;
        }
        if (p[0] == ACPI_MADT_LAPIC && p[1] == 8) {
            const struct acpi_madt_lapic *l = (const void *)p;
            ids_ok &= l->apic_id == lapics && l->processor_uid == lapics && l->flags == ACPI_MADT_ENABLED;
            lapics++;
        } else if (p[0] == ACPI_MADT_IOAPIC && p[1] == 12) {
            const struct acpi_madt_ioapic *io = (const void *)p;
            ioapics++;
            CHECK("IOAPIC id 0 at 0xfec00000, GSI base 0", io->ioapic_id == 0 && io->address == 0xfec00000u &&
                                                               io->gsi_base == 0);
        } else if (p[0] == ACPI_MADT_ISO && p[1] == 10) {
            const struct acpi_madt_iso *o = (const void *)p;
            if (o->bus == 0 && o->source == 0 && o->gsi == 2 && o->flags == (ACPI_MPS_EDGE | ACPI_MPS_ACTIVE_HIGH))
                iso0 = true;
            else if (o->bus == 0 && o->source == 9 && o->gsi == 9 && o->flags == (ACPI_MPS_LEVEL | ACPI_MPS_ACTIVE_HIGH))
                iso9 = true;
            else
                others = true;
        } else if (p[0] == ACPI_MADT_LAPIC_NMI && p[1] == 6) {
            const struct acpi_madt_lapic_nmi *nm = (const void *)p;
            nmis++;
            CHECK("LAPIC NMI: all processors, LINT1", nm->processor_uid == 0xff && nm->lint == 1);
        } else {
            others = true;
        }
        p += p[1];
    }
    CHECK("MADT entries fill the table exactly", lengths_ok && p == end);
    snprintf(what, sizeof(what), "one enabled LAPIC per CPU (%u)", n);
    CHECK_EQ(what, lapics, n);
    CHECK("LAPIC IDs and UIDs 0..n-1, enabled", ids_ok);
    CHECK_EQ("one IOAPIC", ioapics, 1);
    CHECK("override IRQ0 -> GSI2 edge high", iso0);
    CHECK("override IRQ9 -> GSI9 level high", iso9);
    CHECK_EQ("one LAPIC NMI entry", nmis, 1);
    CHECK("no unexpected entries", !others);
}

static void test_hpet_mcfg(void)
{
    build(1, LAYOUT_ACPI_BASE);
    const struct acpi_hpet *h = (const struct acpi_hpet *)find("HPET");
    check_table("HPET table", &h->header, "HPET", 56, 1);
    if (h) {
        CHECK_EQ("event timer block ID = HPET capabilities", h->event_timer_block_id, 0x8086a201u);
        CHECK_EQ("... = the model's", h->event_timer_block_id, HPET_CAP_ID_LOW);
        CHECK("base address: memory 0xfed00000", h->address.space_id == ACPI_GAS_MEMORY &&
                                                    h->address.address == 0xfed00000u);
        CHECK_EQ("HPET number 0", h->hpet_number, 0);
        CHECK_EQ("minimum tick", h->min_tick, LAYOUT_HPET_MIN_TICK);
    }
    const struct acpi_mcfg *m = (const struct acpi_mcfg *)find("MCFG");
    check_table("MCFG", &m->header, "MCFG", 60, 1);
    if (m) {
        CHECK_EQ("ECAM base", m->base, 0xb0000000u);
        CHECK("segment 0, buses 0-0", m->segment == 0 && m->start_bus == 0 && m->end_bus == 0);
    }
}

static const uint8_t *memfind(const uint8_t *hay, size_t n, const void *needle, size_t m)
{
    for (size_t i = 0; m <= n && i <= n - m; i++)
        if (memcmp(hay + i, needle, m) == 0)
            return hay + i;
    return NULL;
}

/* An AML integer (ZeroOp, OneOp, BytePrefix) at p; -1 if something else. */
static int aml_small_int(const uint8_t *p)
{
    if (p[0] == 0x00)
        return 0;
    if (p[0] == 0x01)
        return 1;
    if (p[0] == 0x0a)
        return p[1];
    return -1;
}

/* The first element of Name(sig, Package(){...}). */
static int sleep_type(const char *sig)
{
    const uint8_t *p = memfind(acpi_dsdt_aml, acpi_dsdt_aml_len, sig, 4);
    if (!p || p[4] != 0x12) /* PackageOp */
        return -1;
    return aml_small_int(p + 7); /* PkgLength (1 byte), NumElements, first element */
}

static bool has_bytes(const void *b, size_t n)
{
    return memfind(acpi_dsdt_aml, acpi_dsdt_aml_len, b, n) != NULL;
}

static void le32(uint8_t *p, uint32_t v)
{
    for (unsigned i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void test_dsdt(void)
{
    CHECK("DSDT has _S5_", has_bytes("_S5_", 4));
    CHECK("DSDT has PCI0", has_bytes("PCI0", 4));
    CHECK("DSDT has _PRT", has_bytes("_PRT", 4));
    CHECK_EQ("\\_S5 SLP_TYP = LAYOUT_SLP_TYP_S5 (acpi_pm)", sleep_type("_S5_"), LAYOUT_SLP_TYP_S5);
    CHECK_EQ("\\_S0 SLP_TYP = LAYOUT_SLP_TYP_S0", sleep_type("_S0_"), LAYOUT_SLP_TYP_S0);
    CHECK("no \\_S3", !has_bytes("_S3_", 4));
    /* EISA IDs as DWordConst. */
    static const struct {
        const char *name;
        uint8_t id[5];
    } ids[] = {
        {"PNP0A08", {0x0c, 0x41, 0xd0, 0x0a, 0x08}}, {"PNP0A03", {0x0c, 0x41, 0xd0, 0x0a, 0x03}},
        {"PNP0501", {0x0c, 0x41, 0xd0, 0x05, 0x01}}, {"PNP0B00", {0x0c, 0x41, 0xd0, 0x0b, 0x00}},
        {"PNP0303", {0x0c, 0x41, 0xd0, 0x03, 0x03}}, {"PNP0100", {0x0c, 0x41, 0xd0, 0x01, 0x00}},
        {"PNP0103", {0x0c, 0x41, 0xd0, 0x01, 0x03}}, {"PNP0C02", {0x0c, 0x41, 0xd0, 0x0c, 0x02}},
    };
    for (unsigned i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        char what[48];
        snprintf(what, sizeof(what), "DSDT has %s", ids[i].name);
        CHECK(what, has_bytes(ids[i].id, 5));
    }
    /* PNP0000 = 0x0000d041 fits a WordConst: Name (_HID, 0xd041). */
    static const uint8_t pic[] = {0x08, '_', 'H', 'I', 'D', 0x0b, 0x41, 0xd0};
    CHECK("DSDT has PNP0000 (PIC)", has_bytes(pic, sizeof(pic)) && has_bytes("PIC_", 4));
    /* Memory32Fixed descriptors: HPET (read-only) and the ECAM reservation. */
    uint8_t hpet[12] = {0x86, 0x09, 0x00, 0x00}, ecam[12] = {0x86, 0x09, 0x00, 0x01};
    le32(hpet + 4, LAYOUT_HPET_BASE);
    le32(hpet + 8, LAYOUT_HPET_SIZE);
    le32(ecam + 4, LAYOUT_ECAM_BASE);
    le32(ecam + 8, LAYOUT_ECAM_SIZE);
    CHECK("HPET _CRS = layout", has_bytes(hpet, 12));
    CHECK("ECAM reserved (PNP0C02) = layout", has_bytes(ecam, 12));
    /* I/O descriptors (Decode16, min = max, align 1, length) and IRQNoFlags masks. */
    static const uint8_t com1[] = {0x47, 0x01, 0xf8, 0x03, 0xf8, 0x03, 0x01, 0x08, 0x22, 0x10, 0x00};
    static const uint8_t rtc[] = {0x47, 0x01, 0x70, 0x00, 0x70, 0x00, 0x01, 0x02, 0x22, 0x00, 0x01};
    static const uint8_t kbd[] = {0x47, 0x01, 0x60, 0x00, 0x60, 0x00, 0x01, 0x01,
                                  0x47, 0x01, 0x64, 0x00, 0x64, 0x00, 0x01, 0x01, 0x22, 0x02, 0x00};
    static const uint8_t pit[] = {0x47, 0x01, 0x40, 0x00, 0x40, 0x00, 0x01, 0x04, 0x22, 0x01, 0x00};
    CHECK("COM1: I/O 0x3f8-0x3ff, IRQ 4", has_bytes(com1, sizeof(com1)));
    CHECK("RTC: I/O 0x70-0x71, IRQ 8", has_bytes(rtc, sizeof(rtc)));
    CHECK("keyboard: I/O 0x60, 0x64, IRQ 1", has_bytes(kbd, sizeof(kbd)));
    CHECK("PIT: I/O 0x40-0x43, IRQ 0", has_bytes(pit, sizeof(pit)));
    /* The PCI MMIO window: DWordMemory min/max/length. */
    uint8_t win[12];
    le32(win, LAYOUT_PCI_MMIO_BASE);
    le32(win + 4, LAYOUT_PCI_MMIO_LIMIT);
    CHECK("MMIO window = layout", has_bytes(win, 8));
    le32(win, LAYOUT_PCI_MMIO_LIMIT - LAYOUT_PCI_MMIO_BASE + 1);
    CHECK("MMIO window length", has_bytes(win, 4));
    /* Every _PRT entry: Package(4) {slot << 16 | 0xffff, pin, Zero, GSI}. */
    unsigned found = 0;
    for (unsigned slot = 1; slot < 32; slot++)
        for (unsigned pin = 0; pin < 4; pin++) {
            uint8_t e[13];
            unsigned n = 0;
            e[n++] = 0x12;
            e[n++] = pin < 2 ? 0x0b : 0x0c;
            e[n++] = 0x04;
            e[n++] = 0x0c;
            le32(e + n, slot << 16 | 0xffff);
            n += 4;
            if (pin < 2) {
                e[n++] = (uint8_t)pin;
            } else {
                e[n++] = 0x0a;
                e[n++] = (uint8_t)pin;
            }
            e[n++] = 0x00;
            e[n++] = 0x0a;
            e[n++] = (uint8_t)LAYOUT_PCI_GSI(slot, pin);
            found += has_bytes(e, n);
        }
    CHECK_EQ("_PRT: 124 entries, slots 1-31 swizzled to GSI 16-19", found, 124);
}

static void test_limits(void)
{
    CHECK("build for 4 CPUs at 0x7fff0000", build(4, 0x7fff0000));
    CHECK("XSDT address in guest-physical terms", rsdp()->xsdt_address >= 0x7fff0000 && find("MCFG") && find("APIC"));
    size_t need = used;
    struct acpi_machine m = {.ncpus = 4};
    uint8_t *small = malloc(need);
    CHECK_EQ("exact capacity works", acpi_tables_build(small, need, 0x7fff0000, &m), need);
    CHECK_EQ("one byte short: 0", acpi_tables_build(small, need - 1, 0x7fff0000, &m), 0);
    free(small);
    m.ncpus = 0;
    CHECK_EQ("0 CPUs: 0", acpi_tables_build(buf, CAP, LAYOUT_ACPI_BASE, &m), 0);
    m.ncpus = LAYOUT_MAX_CPUS + 1;
    CHECK_EQ("too many CPUs: 0", acpi_tables_build(buf, CAP, LAYOUT_ACPI_BASE, &m), 0);
    m.ncpus = 1;
    CHECK_EQ("unaligned gpa: 0", acpi_tables_build(buf, CAP, LAYOUT_ACPI_BASE + 8, &m), 0);
    m = (struct acpi_machine){.ncpus = 1, .oem_id = "ABC", .oem_table_id = "LONGERTHAN8", .oem_revision = 7};
    base = 0x1000;
    used = acpi_tables_build(buf, CAP, 0x1000, &m);
    const struct acpi_header *f = find("FACP");
    CHECK("custom OEM ID padded", f && memcmp(f->oem_id, "ABC   ", 6) == 0);
    CHECK("OEM table ID truncated", f && memcmp(f->oem_table_id, "LONGERTH", 8) == 0);
    CHECK("OEM revision", f && f->oem_revision == 7);
    CHECK("checksum with custom OEM", f && sum(f, f->length) == 0);
    CHECK("RSDP OEM ID too", memcmp(rsdp()->oem_id, "ABC   ", 6) == 0 && sum(rsdp(), 36) == 0);
}

int main(void)
{
    test_rsdp_xsdt();
    test_fadt();
    test_madt(1);
    test_madt(4);
    test_hpet_mcfg();
    test_dsdt();
    test_limits();
    return check_summary();
}
