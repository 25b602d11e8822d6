/* SPDX-License-Identifier: MIT */
/* Host test of vmm/dev/acpi_pm.c: PM1 event/control blocks, PM timer, SCI, S5 and 0xcf9. */

#include "dev/acpi_pm.h"

#include <stdint.h>

#include "acpi/layout.h"
#include "check.h"
#include "vdev_fake.h"

#define HZ 3579545ull

static struct acpi_pm pm;

static void setup(void)
{
    fake_reset();
    acpi_pm_init(&pm, FAKE_VM);
}

/* The first ns at which the PM timer has counted `ticks` (as the spec's 3.579545 MHz). */
static uint64_t ns_at(uint64_t ticks)
{
    return (ticks * 1000000000ull + HZ - 1) / HZ;
}

static void to_ns(uint64_t ns)
{
    fake_advance(ns - fake.now_ns);
}

static uint32_t tmr(void) { return (uint32_t)fake_pio_read(LAYOUT_PM_TMR, 4); }
static uint16_t sts(void) { return (uint16_t)fake_pio_read(LAYOUT_PM1A_EVT, 2); }

static void test_ports(void)
{
    setup();
    CHECK("PM1a_EVT claimed", fake_pio_claimed(0x600) && fake_pio_claimed(0x603));
    CHECK("PM1a_CNT claimed", fake_pio_claimed(0x604) && fake_pio_claimed(0x605));
    CHECK("gap 0x606 free", !fake_pio_claimed(0x606) && !fake_pio_claimed(0x607));
    CHECK("PM_TMR claimed", fake_pio_claimed(0x608) && fake_pio_claimed(0x60b) && !fake_pio_claimed(0x60c));
    CHECK("0xcf9 claimed, 0xcf8 and 0xcfa not", fake_pio_claimed(0xcf9) && !fake_pio_claimed(0xcf8) && !fake_pio_claimed(0xcfa));
    CHECK_EQ("PM1_CNT reset: SCI_EN", fake_pio_read(LAYOUT_PM1A_CNT, 2), ACPI_PM1_SCI_EN);
    CHECK_EQ("PM1_STS/EN reset 0", fake_pio_read(LAYOUT_PM1A_EVT, 4), 0);
    CHECK("SCI low", !fake.irq[9]);
}

static void test_timer(void)
{
    setup();
    CHECK_EQ("timer 0 at start", tmr(), 0);
    to_ns(279);
    CHECK_EQ("279 ns: still 0 (1 tick = 279.4 ns)", tmr(), 0);
    to_ns(280);
    CHECK_EQ("280 ns: 1", tmr(), 1);
    uint32_t t0 = tmr();
    fake_advance(1000000000ull);
    CHECK_EQ("1 s = 3579545 ticks", (tmr() - t0) & 0xffffff, 3579545);
    t0 = tmr();
    fake_advance(1000000ull);
    uint32_t d = (tmr() - t0) & 0xffffff;
    CHECK("1 ms = 3579 or 3580 ticks", d == 3579 || d == 3580);
    to_ns(ns_at(0xffffff));
    CHECK_EQ("just before the wrap", tmr(), 0xffffff);
    CHECK_EQ("24-bit: top byte reads 0", fake_pio_read(LAYOUT_PM_TMR + 3, 1), 0);
    to_ns(ns_at(0x1000000) - 1);
    CHECK_EQ("one ns before the wrap", tmr(), 0xffffff);
    fake_advance(1);
    CHECK_EQ("wraps to 0 after 2^24 ticks", tmr(), 0);
    to_ns(ns_at(0x1000000 + 0x123456));
    CHECK_EQ("byte 0", fake_pio_read(LAYOUT_PM_TMR, 1), 0x56);
    CHECK_EQ("word at byte 1", fake_pio_read(LAYOUT_PM_TMR + 1, 2), 0x1234);
    fake_pio_write(LAYOUT_PM_TMR, 4, 0);
    CHECK_EQ("timer read-only", tmr(), 0x123456);
    /* 2 hours: ns * frequency would overflow 64 bits after 85 minutes. */
    setup();
    fake_advance(7200ull * 1000000000ull);
    CHECK_EQ("2 hours exact", tmr(), (7200ull * HZ) & 0xffffff);
}

static void test_tmr_sts(void)
{
    setup();
    to_ns(ns_at(0x800000) - 1);
    CHECK_EQ("no TMR_STS before bit 23 toggles", sts() & ACPI_PM1_TMR, 0);
    fake_advance(1);
    CHECK_EQ("TMR_STS when bit 23 sets", sts() & ACPI_PM1_TMR, ACPI_PM1_TMR);
    CHECK("TMR_EN clear: no SCI", !fake.irq[9]);
    CHECK_EQ("no timer armed without TMR_EN", fake_next_deadline(), UINT64_MAX);
    fake_pio_write(LAYOUT_PM1A_EVT, 2, 0);
    CHECK_EQ("writing 0 keeps TMR_STS", sts() & ACPI_PM1_TMR, ACPI_PM1_TMR);
    fake_pio_write(LAYOUT_PM1A_EVT, 2, ACPI_PM1_TMR);
    CHECK_EQ("write 1 clears TMR_STS", sts() & ACPI_PM1_TMR, 0);
    fake_pio_write(LAYOUT_PM1A_EVT + 2, 2, ACPI_PM1_TMR);
    CHECK_EQ("TMR_EN reads back", fake_pio_read(LAYOUT_PM1A_EVT + 2, 2), ACPI_PM1_TMR);
    CHECK_EQ("timer armed for the next toggle", fake_next_deadline(), ns_at(0x1000000));
    to_ns(ns_at(0x1000000) - 1);
    CHECK("no SCI before bit 23 clears", !fake.irq[9]);
    fake_advance(1);
    CHECK("SCI (GSI 9) asserted at the toggle without any read", fake.irq[9]);
    CHECK_EQ("one rise", fake.irq_rises[9], 1);
    fake_advance(ns_at(0x800000) + 10);
    CHECK_EQ("level: still one rise", fake.irq_rises[9], 1);
    fake_pio_write(LAYOUT_PM1A_CNT, 2, 0);
    CHECK("SCI_EN clear masks the SCI", !fake.irq[9]);
    fake_pio_write(LAYOUT_PM1A_CNT, 2, ACPI_PM1_SCI_EN);
    CHECK("SCI_EN set: asserted again", fake.irq[9]);
    fake_pio_write(LAYOUT_PM1A_EVT, 1, ACPI_PM1_TMR);
    CHECK("byte write 1 clears TMR_STS and drops the SCI", !fake.irq[9] && !(sts() & ACPI_PM1_TMR));
    fake_pio_write(LAYOUT_PM1A_EVT + 2, 2, 0);
    CHECK_EQ("TMR_EN cleared: timer cancelled", fake_next_deadline(), UINT64_MAX);
}

static void test_power_button(void)
{
    setup();
    acpi_pm_power_button(&pm);
    CHECK_EQ("PWRBTN_STS set", sts(), ACPI_PM1_PWRBTN);
    CHECK("PWRBTN_EN clear: no SCI", !fake.irq[9]);
    fake_pio_write(LAYOUT_PM1A_EVT + 3, 1, ACPI_PM1_PWRBTN >> 8);
    CHECK_EQ("PWRBTN_EN via the high byte", fake_pio_read(LAYOUT_PM1A_EVT + 2, 2), ACPI_PM1_PWRBTN);
    CHECK("SCI asserted", fake.irq[9]);
    fake_pio_write(LAYOUT_PM1A_EVT, 1, 0xff);
    CHECK("low-byte write does not clear PWRBTN_STS", fake.irq[9] && sts() == ACPI_PM1_PWRBTN);
    /* One 32-bit write: clear PWRBTN_STS, keep PWRBTN_EN. */
    fake_pio_write(LAYOUT_PM1A_EVT, 4, (uint32_t)ACPI_PM1_PWRBTN << 16 | ACPI_PM1_PWRBTN);
    CHECK("dword write clears STS, keeps EN", !fake.irq[9] && sts() == 0 &&
          fake_pio_read(LAYOUT_PM1A_EVT + 2, 2) == ACPI_PM1_PWRBTN);
    fake_pio_write(LAYOUT_PM1A_EVT + 2, 2, 0xffff);
    CHECK_EQ("PM1_EN writable bits", fake_pio_read(LAYOUT_PM1A_EVT + 2, 2), 0x4721);
}

static void test_sleep(void)
{
    setup();
    uint16_t s5 = LAYOUT_SLP_TYP_S5 << ACPI_PM1_SLP_TYP_SHIFT;
    fake_pio_write(LAYOUT_PM1A_CNT, 2, ACPI_PM1_SCI_EN | s5);
    CHECK_EQ("SLP_TYP alone: no power-off", fake.poweroffs, 0);
    CHECK_EQ("SLP_TYP reads back", fake_pio_read(LAYOUT_PM1A_CNT, 2), ACPI_PM1_SCI_EN | s5);
    fake_pio_write(LAYOUT_PM1A_CNT, 2, ACPI_PM1_SCI_EN | s5 | ACPI_PM1_SLP_EN);
    CHECK_EQ("SLP_EN with S5: power-off", fake.poweroffs, 1);
    CHECK_EQ("SLP_EN write-only", fake_pio_read(LAYOUT_PM1A_CNT, 2) & ACPI_PM1_SLP_EN, 0);
    fake_pio_write(LAYOUT_PM1A_CNT + 1, 1, (s5 | ACPI_PM1_SLP_EN) >> 8);
    CHECK_EQ("byte write to the high byte: power-off", fake.poweroffs, 2);
    CHECK_EQ("high-byte write kept SCI_EN", fake_pio_read(LAYOUT_PM1A_CNT, 1), ACPI_PM1_SCI_EN);
    fake_pio_write(LAYOUT_PM1A_CNT, 2, ACPI_PM1_SCI_EN | ACPI_PM1_SLP_EN);
    CHECK_EQ("S0 SLP_TYP: ignored", fake.poweroffs, 2);
    CHECK_EQ("... and logged", fake.logs, 1);
    fake_pio_write(LAYOUT_PM1A_CNT, 2, ACPI_PM1_SCI_EN | 3 << ACPI_PM1_SLP_TYP_SHIFT | ACPI_PM1_SLP_EN);
    CHECK("S3-like SLP_TYP: ignored, logged once", fake.poweroffs == 2 && fake.logs == 1);
    CHECK_EQ("no resets", fake.resets, 0);
}

static void test_reset(void)
{
    setup();
    fake_pio_write(LAYOUT_RESET_PORT, 1, 0x02);
    CHECK_EQ("0x02 (SYS_RST only): no reset", fake.resets, 0);
    CHECK_EQ("reads the last value", fake_pio_read(LAYOUT_RESET_PORT, 1), 0x02);
    fake_pio_write(LAYOUT_RESET_PORT, 1, LAYOUT_RESET_VALUE);
    CHECK_EQ("0x06: reset", fake.resets, 1);
    fake_pio_write(LAYOUT_RESET_PORT, 1, 0x0e);
    CHECK_EQ("0x0e: reset", fake.resets, 2);
    CHECK_EQ("reads 0x0e", fake_pio_read(LAYOUT_RESET_PORT, 1), 0x0e);
    CHECK_EQ("word read: high byte not ours", fake_pio_read(LAYOUT_RESET_PORT, 2), 0xff0e);
    CHECK_EQ("no power-off", fake.poweroffs, 0);
}

int main(void)
{
    test_ports();
    test_timer();
    test_tmr_sts();
    test_power_button();
    test_sleep();
    test_reset();
    return check_summary();
}
