/* SPDX-License-Identifier: MIT */
/* Builds the guest's ACPI tables (see tables.h) from the machine layout in acpi/layout.h. */

#include "acpi/tables.h"

#include <stdbool.h>
#include <string.h>

#include "acpi/layout.h"
#include "dev/hpet.h"

#define FADT_REVISION   6
#define FADT_MINOR      3       /* ACPI 6.3 */
#define MADT_REVISION   5
#define CREATOR_ID      "NOVA"
#define CREATOR_REV     1
#define XSDT_ENTRIES    4       /* FADT, MADT, HPET, MCFG */

/* A cursor over the output buffer: tables are placed at aligned offsets until cap runs out. */
struct out {
    uint8_t *buf;
    size_t cap, len;
    uint64_t gpa;
    bool overflow;
};

_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP layout");
_Static_assert(sizeof(struct acpi_header) == 36, "table header layout");
_Static_assert(sizeof(struct acpi_fadt) == 276, "FADT 6.x layout");
_Static_assert(sizeof(struct acpi_facs) == 64, "FACS layout");
_Static_assert(sizeof(struct acpi_madt) == 44, "MADT layout");
_Static_assert(sizeof(struct acpi_hpet) == 56, "HPET table layout");
_Static_assert(sizeof(struct acpi_mcfg) == 60, "MCFG layout");

/* Reserve size bytes at the next guest-physical multiple of align; NULL (and overflow) if they
   do not fit. */
static void *place(struct out *o, size_t size, size_t align, uint64_t *gpa)
{
    size_t off = (size_t)(((o->gpa + o->len + align - 1) & ~(uint64_t)(align - 1)) - o->gpa);
    if (off > o->cap || size > o->cap - off) {
        o->overflow = true;
        return NULL;
    }
    memset(o->buf + o->len, 0, off + size - o->len);
    o->len = off + size;
    *gpa = o->gpa + off;
    return o->buf + off;
}

static uint8_t checksum(const void *p, size_t len)
{
    uint8_t sum = 0;
    for (size_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + ((const uint8_t *)p)[i]);
    return (uint8_t)-sum;
}

/* Copy s into a space-padded field of n characters. */
static void pad(char *dst, const char *s, size_t n)
{
    size_t i = 0;
    for (; s && s[i] && i < n; i++)
        dst[i] = s[i];
    for (; i < n; i++)
        dst[i] = ' ';
}

static void header(struct acpi_header *h, const char *sig, size_t len, uint8_t rev, const struct acpi_machine *m)
{
    memcpy(h->signature, sig, 4);
    h->length = (uint32_t)len;
    h->revision = rev;
    pad(h->oem_id, m->oem_id ? m->oem_id : "NOVA", sizeof(h->oem_id));
    pad(h->oem_table_id, m->oem_table_id ? m->oem_table_id : "NOVAVMM", sizeof(h->oem_table_id));
    h->oem_revision = m->oem_revision;
    memcpy(h->creator_id, CREATOR_ID, 4);
    h->creator_revision = CREATOR_REV;
}

static void seal(struct acpi_header *h)
{
    h->checksum = 0;
    h->checksum = checksum(h, h->length);
}

static struct acpi_gas io_gas(uint16_t port, unsigned bytes, uint8_t access_size)
{
    return (struct acpi_gas){.space_id = ACPI_GAS_IO, .bit_width = (uint8_t)(bytes * 8), .access_size = access_size,
                             .address = port};
}

static void fill_fadt(struct acpi_fadt *f, uint64_t dsdt, uint64_t facs, const struct acpi_machine *m)
{
    header(&f->header, "FACP", sizeof(*f), FADT_REVISION, m);
    f->x_firmware_ctrl = facs; /* the 32-bit FIRMWARE_CTRL and DSDT stay 0: X_ fields only */
    f->x_dsdt = dsdt;
    f->sci_int = LAYOUT_SCI_GSI;
    f->smi_cmd = 0; /* no SMM: ACPI mode is always on (SCI_EN set at reset) */
    f->pm1a_evt_blk = LAYOUT_PM1A_EVT;
    f->pm1a_cnt_blk = LAYOUT_PM1A_CNT;
    f->pm_tmr_blk = LAYOUT_PM_TMR;
    f->pm1_evt_len = LAYOUT_PM1A_EVT_LEN;
    f->pm1_cnt_len = LAYOUT_PM1A_CNT_LEN;
    f->pm_tmr_len = LAYOUT_PM_TMR_LEN;
    f->p_lvl2_lat = 101;  /* > 100: no C2 */
    f->p_lvl3_lat = 1001; /* > 1000: no C3 */
    f->iapc_boot_arch = ACPI_BOOT_LEGACY_DEVICES | ACPI_BOOT_8042 | ACPI_BOOT_NO_VGA;
    /* 24-bit PM timer: TMR_VAL_EXT clear. Power button: fixed feature (PWR_BUTTON clear). */
    f->flags = ACPI_FADT_WBINVD | ACPI_FADT_PROC_C1 | ACPI_FADT_SLP_BUTTON | ACPI_FADT_FIX_RTC |
               ACPI_FADT_RESET_REG_SUP;
    f->reset_reg = io_gas(LAYOUT_RESET_PORT, 1, 1);
    f->reset_value = LAYOUT_RESET_VALUE;
    f->minor_version = FADT_MINOR;
    f->x_pm1a_evt_blk = io_gas(LAYOUT_PM1A_EVT, LAYOUT_PM1A_EVT_LEN, 2);
    f->x_pm1a_cnt_blk = io_gas(LAYOUT_PM1A_CNT, LAYOUT_PM1A_CNT_LEN, 2);
    f->x_pm_tmr_blk = io_gas(LAYOUT_PM_TMR, LAYOUT_PM_TMR_LEN, 3);
    seal(&f->header);
}

static void fill_facs(struct acpi_facs *f)
{
    memcpy(f->signature, "FACS", 4);
    f->length = sizeof(*f);
    f->version = 2; /* no checksum */
}

static size_t madt_size(unsigned ncpus)
{
    return sizeof(struct acpi_madt) + ncpus * sizeof(struct acpi_madt_lapic) + sizeof(struct acpi_madt_ioapic) +
           2 * sizeof(struct acpi_madt_iso) + sizeof(struct acpi_madt_lapic_nmi);
}

static void fill_madt(uint8_t *p, const struct acpi_machine *m)
{
    struct acpi_madt *t = (struct acpi_madt *)p;
    header(&t->header, "APIC", madt_size(m->ncpus), MADT_REVISION, m);
    t->lapic_address = LAYOUT_LAPIC_BASE;
    t->flags = ACPI_MADT_PCAT_COMPAT; /* the i8259 pair exists (Linux masks it) */
    size_t off = sizeof(*t);
    for (unsigned i = 0; i < m->ncpus; i++, off += sizeof(struct acpi_madt_lapic)) {
        struct acpi_madt_lapic e = {ACPI_MADT_LAPIC, sizeof(e), (uint8_t)i, (uint8_t)i, ACPI_MADT_ENABLED};
        memcpy(p + off, &e, sizeof(e));
    }
    struct acpi_madt_ioapic io = {ACPI_MADT_IOAPIC, sizeof(io), LAYOUT_IOAPIC_ID, 0, LAYOUT_IOAPIC_BASE, 0};
    memcpy(p + off, &io, sizeof(io));
    off += sizeof(io);
    /* ISA IRQ0 (PIT, HPET legacy timer 0) is wired to pin 2; the SCI is level, active high. */
    struct acpi_madt_iso iso0 = {ACPI_MADT_ISO, sizeof(iso0), 0, 0, 2, ACPI_MPS_ACTIVE_HIGH | ACPI_MPS_EDGE};
    struct acpi_madt_iso iso9 = {ACPI_MADT_ISO, sizeof(iso9), 0, LAYOUT_SCI_GSI, LAYOUT_SCI_GSI,
                                 ACPI_MPS_ACTIVE_HIGH | ACPI_MPS_LEVEL};
    memcpy(p + off, &iso0, sizeof(iso0));
    off += sizeof(iso0);
    memcpy(p + off, &iso9, sizeof(iso9));
    off += sizeof(iso9);
    struct acpi_madt_lapic_nmi nmi = {ACPI_MADT_LAPIC_NMI, sizeof(nmi), 0xff, ACPI_MPS_ACTIVE_HIGH | ACPI_MPS_EDGE, 1};
    memcpy(p + off, &nmi, sizeof(nmi));
    seal(&t->header);
}

static void fill_hpet(struct acpi_hpet *t, const struct acpi_machine *m)
{
    header(&t->header, "HPET", sizeof(*t), 1, m);
    t->event_timer_block_id = HPET_CAP_ID_LOW;
    t->address = (struct acpi_gas){.space_id = ACPI_GAS_MEMORY, .bit_width = 64, .address = LAYOUT_HPET_BASE};
    t->hpet_number = 0;
    t->min_tick = LAYOUT_HPET_MIN_TICK;
    t->page_protection = 0;
    seal(&t->header);
}

static void fill_mcfg(struct acpi_mcfg *t, const struct acpi_machine *m)
{
    header(&t->header, "MCFG", sizeof(*t), 1, m);
    t->base = LAYOUT_ECAM_BASE;
    t->segment = 0;
    t->start_bus = LAYOUT_PCI_BUS_FIRST;
    t->end_bus = LAYOUT_PCI_BUS_LAST;
    seal(&t->header);
}

static void fill_rsdp(struct acpi_rsdp *r, uint64_t xsdt, const struct acpi_machine *m)
{
    memcpy(r->signature, "RSD PTR ", 8);
    pad(r->oem_id, m->oem_id ? m->oem_id : "NOVA", sizeof(r->oem_id));
    r->revision = 2;
    r->length = sizeof(*r);
    r->xsdt_address = xsdt;
    r->checksum = checksum(r, 20);
    r->extended_checksum = checksum(r, sizeof(*r));
}

size_t acpi_tables_build(uint8_t *buf, size_t cap, uint64_t gpa, const struct acpi_machine *m)
{
    if (!buf || !m || m->ncpus == 0 || m->ncpus > LAYOUT_MAX_CPUS || gpa % 16)
        return 0;
    struct out o = {.buf = buf, .cap = cap, .gpa = gpa};
    uint64_t at_rsdp, at_xsdt, at_fadt, at_facs, at_dsdt, at_madt, at_hpet, at_mcfg;
    size_t xsdt_len = sizeof(struct acpi_header) + XSDT_ENTRIES * sizeof(uint64_t);
    struct acpi_rsdp *rsdp = place(&o, sizeof(*rsdp), 16, &at_rsdp);
    uint8_t *xsdt = place(&o, xsdt_len, 16, &at_xsdt);
    struct acpi_fadt *fadt = place(&o, sizeof(*fadt), 16, &at_fadt);
    struct acpi_facs *facs = place(&o, sizeof(*facs), 64, &at_facs);
    uint8_t *dsdt = place(&o, acpi_dsdt_aml_len, 16, &at_dsdt);
    uint8_t *madt = place(&o, madt_size(m->ncpus), 16, &at_madt);
    struct acpi_hpet *hpet = place(&o, sizeof(*hpet), 16, &at_hpet);
    struct acpi_mcfg *mcfg = place(&o, sizeof(*mcfg), 16, &at_mcfg);
    if (o.overflow)
        return 0;

    memcpy(dsdt, acpi_dsdt_aml, acpi_dsdt_aml_len); /* iasl computed its checksum */
    fill_facs(facs);
    fill_fadt(fadt, at_dsdt, at_facs, m);
    fill_madt(madt, m);
    fill_hpet(hpet, m);
    fill_mcfg(mcfg, m);

    struct acpi_header *xh = (struct acpi_header *)xsdt;
    header(xh, "XSDT", xsdt_len, 1, m);
    uint64_t entries[XSDT_ENTRIES] = {at_fadt, at_madt, at_hpet, at_mcfg};
    memcpy(xsdt + sizeof(*xh), entries, sizeof(entries));
    seal(xh);
    fill_rsdp(rsdp, at_xsdt, m);
    return o.len;
}
