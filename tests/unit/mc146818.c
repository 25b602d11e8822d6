/* SPDX-License-Identifier: MIT */
/* Host test of vmm/dev/mc146818.c: time formats, setting the clock, calendar rollovers, UIP timing,
   periodic/update/alarm interrupts, register C and the CMOS RAM. */

#include "dev/mc146818.h"

#include "check.h"
#include "vdev_fake.h"

#define S  1000000000ull
#define MS 1000000ull

enum { SEC, ASEC, MIN, AMIN, HOUR, AHOUR, WDAY, MDAY, MON, YEAR, RA, RB, RC, RD, CENTURY = 0x32 };

static struct mc146818 rtc;

static unsigned rd(unsigned index)
{
    fake_pio_write(0x70, 1, index);
    return (unsigned)fake_pio_read(0x71, 1);
}

static void wr(unsigned index, unsigned v)
{
    fake_pio_write(0x70, 1, index);
    fake_pio_write(0x71, 1, v);
}

static void setup(void)
{
    fake_reset(); /* wall clock 2026-01-01 00:00:00 UTC, a Thursday */
    mc146818_init(&rtc, FAKE_VM);
}

/* Read all time registers into one number for compact checks: 0xCCYYMMDD and 0xWWHHMMSS. */
static unsigned long long date(void)
{
    return (unsigned long long)rd(CENTURY) << 24 | rd(YEAR) << 16 | rd(MON) << 8 | rd(MDAY);
}

static unsigned long long clock_time(void)
{
    return (unsigned long long)rd(WDAY) << 24 | rd(HOUR) << 16 | rd(MIN) << 8 | rd(SEC);
}

/* Set the clock the way Linux's mc146818_set_time does: SET and divider reset, write, release. */
static void set_time(unsigned cent, unsigned year, unsigned mon, unsigned mday, unsigned wday, unsigned hour,
                     unsigned min, unsigned sec)
{
    unsigned b = rd(RB), a = rd(RA) & 0x7f;
    wr(RB, b | 0x80);
    wr(RA, a | 0x70);
    wr(YEAR, year);
    wr(MON, mon);
    wr(MDAY, mday);
    wr(WDAY, wday);
    wr(HOUR, hour);
    wr(MIN, min);
    wr(SEC, sec);
    wr(CENTURY, cent);
    wr(RB, b & ~0x80u);
    wr(RA, a);
}

static void test_reset_and_ports(void)
{
    setup();
    CHECK("port 0x70 claimed", fake_pio_claimed(0x70));
    CHECK("port 0x71 claimed", fake_pio_claimed(0x71));
    CHECK("port 0x72 not claimed", !fake_pio_claimed(0x72));
    CHECK("port 0x6f not claimed", !fake_pio_claimed(0x6f));
    CHECK_EQ("register A: 32 kHz, 1024 Hz", rd(RA), 0x26);
    CHECK_EQ("register B: BCD, 24-hour", rd(RB), 0x02);
    CHECK_EQ("register C clear", rd(RC), 0x00);
    CHECK_EQ("register D: VRT", rd(RD), 0x80);
    CHECK_EQ("date from the wall clock (BCD)", date(), 0x20260101);
    CHECK_EQ("time: Thursday (5) 00:00:00", clock_time(), 0x05000000);
    CHECK_EQ("index port reads all ones (write-only)", fake_pio_read(0x70, 1), 0xff);
    CHECK_EQ("irq 8 low", fake.irq[8], 0);
    wr(RD, 0x00);
    CHECK_EQ("register D is read-only", rd(RD), 0x80);
    wr(RC, 0xff);
    CHECK_EQ("register C is read-only", rd(RC), 0x00);
    wr(RA, 0xa6);
    CHECK_EQ("UIP is read-only", rd(RA), 0x26);
    /* Bit 7 of the index is the NMI mask: stored, not part of the index. */
    fake_pio_write(0x70, 1, 0x80 | RA);
    CHECK_EQ("index with NMI mask bit selects A", fake_pio_read(0x71, 1), 0x26);
    CHECK("NMI mask stored", rtc.nmi_masked);
    fake_pio_write(0x70, 1, RA);
    CHECK("NMI mask cleared", !rtc.nmi_masked);
}

static void test_running_and_formats(void)
{
    setup();
    fake_advance(13 * 3600 * S + 45 * 60 * S + 59 * S + 500 * MS);
    CHECK_EQ("13:45:59 BCD", clock_time(), 0x05134559);
    wr(RB, 0x06);
    CHECK_EQ("13:45:59 binary", clock_time(), 0x05000000 | 13 << 16 | 45 << 8 | 59);
    CHECK_EQ("date binary", date(), 20u << 24 | 26 << 16 | 1 << 8 | 1);
    wr(RB, 0x04);
    CHECK_EQ("12-hour binary: 1 PM", rd(HOUR), 0x81);
    wr(RB, 0x00);
    CHECK_EQ("12-hour BCD: 1 PM", rd(HOUR), 0x81);
    fake_advance(10 * 3600 * S + 14 * 60 * S); /* 23:59:59.5 */
    CHECK_EQ("12-hour BCD: 11 PM", rd(HOUR), 0x91);
    fake_advance(S);                           /* 00:00:00.5 next day */
    CHECK_EQ("12-hour: midnight is 12 AM", rd(HOUR), 0x12);
    CHECK_EQ("next day: Friday", rd(WDAY), 6);
    CHECK_EQ("2026-01-02", date(), 0x20260102);
    fake_advance(12 * 3600 * S);
    CHECK_EQ("12-hour: noon is 12 PM", rd(HOUR), 0x92);
    wr(RB, 0x02);
    CHECK_EQ("24-hour BCD noon", rd(HOUR), 0x12);
}

static void test_set_time(void)
{
    setup();
    wr(RB, 0x12); /* UIE */
    wr(RB, 0x92); /* SET */
    CHECK_EQ("SET clears UIE", rd(RB), 0x82);
    wr(YEAR, 0x24);
    wr(MON, 0x02);
    wr(MDAY, 0x28);
    wr(WDAY, 0x04);
    wr(HOUR, 0x23);
    wr(MIN, 0x59);
    wr(SEC, 0x58);
    CHECK_EQ("while SET: written date reads back", date(), 0x20240228);
    CHECK_EQ("while SET: written time reads back", clock_time(), 0x04235958);
    fake_advance(5 * S);
    CHECK_EQ("while SET the clock does not advance", clock_time(), 0x04235958);
    CHECK_EQ("no UIP while SET", rd(RA) & 0x80, 0);
    CHECK_EQ("no update flag while SET", rd(RC) & 0x10, 0);
    wr(RB, 0x02);
    CHECK_EQ("after SET clear: the written time", clock_time(), 0x04235958);
    fake_advance(S);
    CHECK_EQ("one second later", clock_time(), 0x04235959);
    fake_advance(S);
    CHECK_EQ("leap day 2024-02-29", date(), 0x20240229);
    CHECK_EQ("midnight, Thursday", clock_time(), 0x05000000);
    fake_advance(86400 * S);
    CHECK_EQ("then 2024-03-01", date(), 0x20240301);
    CHECK_EQ("Friday", rd(WDAY), 6);
    fake_advance(10 * 86400 * S + 3 * 3600 * S);
    CHECK_EQ("ten days later 2024-03-11", date(), 0x20240311);
    CHECK_EQ("Monday 03:00:00", clock_time(), 0x02030000);

    /* A write to a running clock takes effect at once. */
    wr(MIN, 0x30);
    CHECK_EQ("minutes written while running", clock_time(), 0x02033000);
    fake_advance(61 * S);
    CHECK_EQ("and the clock runs on from there", clock_time(), 0x02033101);
}

static void test_rollovers(void)
{
    setup();
    set_time(0x19, 0x99, 0x12, 0x31, 0x06, 0x23, 0x59, 0x59);
    CHECK_EQ("1999-12-31", date(), 0x19991231);
    fake_advance(S / 2);
    CHECK_EQ("first update 500 ms after the divider reset", date(), 0x20000101);
    CHECK_EQ("2000-01-01 00:00:00 Saturday", clock_time(), 0x07000000);
    set_time(0x20, 0x00, 0x02, 0x28, 0x02, 0x23, 0x59, 0x59);
    fake_advance(S / 2);
    CHECK_EQ("2000 is a leap year (400 rule)", date(), 0x20000229);
    set_time(0x21, 0x00, 0x02, 0x28, 0x01, 0x23, 0x59, 0x59);
    fake_advance(S / 2);
    CHECK_EQ("2100 is not a leap year", date(), 0x21000301);
    set_time(0x20, 0x23, 0x02, 0x28, 0x03, 0x23, 0x59, 0x59);
    fake_advance(S / 2);
    CHECK_EQ("2023 is not a leap year", date(), 0x20230301);
    set_time(0x20, 0x26, 0x04, 0x30, 0x05, 0x23, 0x59, 0x59);
    fake_advance(S / 2);
    CHECK_EQ("30-day month: 04-30 -> 05-01", date(), 0x20260501);
    set_time(0x20, 0x26, 0x01, 0x31, 0x07, 0x23, 0x59, 0x59);
    fake_advance(S / 2);
    CHECK_EQ("31-day month: 01-31 -> 02-01", date(), 0x20260201);
    set_time(0x20, 0x99, 0x12, 0x31, 0x05, 0x23, 0x59, 0x59);
    fake_advance(S / 2);
    CHECK_EQ("century rollover 2099 -> 2100", date(), 0x21000101);
    set_time(0x19, 0x70, 0x01, 0x01, 0x05, 0x00, 0x00, 0x00);
    CHECK_EQ("the epoch", date(), 0x19700101);
    /* 2^31 - 1 s after the epoch, reached by setting the clock a day before (advancing 68 years
       second by second would fire the update timer 2^31 times). */
    set_time(0x20, 0x38, 0x01, 0x18, 0x02, 0x03, 0x14, 0x07);
    fake_advance(S / 2 - 1 + 86400 * S);
    CHECK_EQ("2^31-1 s after the epoch: 2038-01-19", date(), 0x20380119);
    CHECK_EQ("03:14:07 Tuesday", clock_time(), 0x03031407);
    fake_advance(S);
    CHECK_EQ("past 2038: 03:14:08", clock_time(), 0x03031408);
    set_time(0x18, 0x99, 0x12, 0x31, 0x01, 0x23, 0x59, 0x59);
    fake_advance(S / 2);
    CHECK_EQ("before 1970: 1900-01-01", date(), 0x19000101);
    CHECK_EQ("1900-01-01 was a Monday (as set: 1 + 1)", rd(WDAY), 2);

    /* The day of week counts on from whatever the guest wrote (1..7, wrapping). */
    set_time(0x20, 0x26, 0x01, 0x01, 0x01, 0x23, 0x59, 0x59); /* really a Thursday (5) */
    CHECK_EQ("weekday as written", rd(WDAY), 1);
    fake_advance(S / 2);
    CHECK_EQ("weekday counts on", rd(WDAY), 2);
    fake_advance(5 * 86400 * S);
    CHECK_EQ("weekday 7", rd(WDAY), 7);
    fake_advance(86400 * S);
    CHECK_EQ("weekday wraps to 1", rd(WDAY), 1);

    /* Binary and 12-hour writes. */
    wr(RB, 0x04);
    set_time(20, 30, 6, 15, 7, 0x80 | 11, 5, 9); /* 11 PM in 12-hour binary */
    wr(RB, 0x06);
    CHECK_EQ("12-hour binary write read in 24-hour", rd(HOUR), 23);
    CHECK_EQ("binary date", date(), 20u << 24 | 30 << 16 | 6 << 8 | 15);
    wr(RB, 0x00);
    set_time(0x20, 0x30, 0x06, 0x15, 0x07, 0x12, 0x00, 0x00); /* 12 AM */
    wr(RB, 0x02);
    CHECK_EQ("12 AM is hour 0", rd(HOUR), 0x00);
    CHECK_EQ("garbage date does not crash", (set_time(0x99, 0xff, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff), 1), 1);
    fake_advance(3 * S);
    CHECK("still a readable clock", rd(SEC) <= 0x59);
}

static void test_uip(void)
{
    setup();
    CHECK_EQ("UIP clear at the start of a second", rd(RA) & 0x80, 0);
    fake_advance(S - 244000 - 1);
    CHECK_EQ("UIP clear 244001 ns before the update", rd(RA) & 0x80, 0);
    fake_advance(1);
    CHECK_EQ("UIP set 244 us before the update", rd(RA), 0xa6);
    CHECK_EQ("time not yet updated during UIP", rd(SEC), 0x00);
    fake_advance(243999);
    CHECK_EQ("UIP still set 1 ns before", rd(RA) & 0x80, 0x80);
    fake_advance(1);
    CHECK_EQ("UIP clear after the update", rd(RA) & 0x80, 0);
    CHECK_EQ("seconds advanced", rd(SEC), 0x01);
    fake_advance(S - 100000);
    CHECK_EQ("UIP set again in the next second", rd(RA) & 0x80, 0x80);
    wr(RB, 0x82);
    CHECK_EQ("SET clears UIP", rd(RA) & 0x80, 0);
    wr(RB, 0x02);
    CHECK_EQ("UIP back once SET is clear", rd(RA) & 0x80, 0x80);
    wr(RA, 0x76);
    CHECK_EQ("no UIP in divider reset", rd(RA), 0x76);
    wr(RA, 0x26);
    CHECK_EQ("no UIP 500 ms before the first update", rd(RA) & 0x80, 0);
    fake_advance(S / 2 - 200000);
    CHECK_EQ("UIP before the first update after the reset", rd(RA) & 0x80, 0x80);
}

static void test_divider_reset(void)
{
    setup();
    fake_advance(10 * S + 300 * MS);
    wr(RA, 0x66);
    CHECK_EQ("frozen at 00:00:10", rd(SEC), 0x10);
    fake_advance(5 * S);
    CHECK_EQ("divider reset stops the clock", rd(SEC), 0x10);
    wr(RA, 0x26);
    fake_advance(499 * MS);
    CHECK_EQ("499 ms after release: same second", rd(SEC), 0x10);
    fake_advance(MS);
    CHECK_EQ("500 ms after release: next second", rd(SEC), 0x11);
    fake_advance(S);
    CHECK_EQ("then every second", rd(SEC), 0x12);
}

/* Count how often the line rises over `ns`, reading C after every interrupt (as a handler would). */
static unsigned count_interrupts(uint64_t ns, unsigned *flags)
{
    uint64_t end = fake.now_ns + ns;
    unsigned n = 0;
    *flags = 0;
    for (;;) {
        uint64_t next = fake_next_deadline();
        if (next > end)
            break;
        fake_advance(next - fake.now_ns);
        if (fake.irq[8]) {
            n++;
            *flags |= rd(RC);
            if (fake.irq[8])
                return 100000 + n; /* C read must deassert */
        }
    }
    fake_advance(end - fake.now_ns);
    return n;
}

static void test_periodic(void)
{
    static const struct { unsigned rate, hz; } t[] = {
        {3, 8192}, {6, 1024}, {10, 64}, {15, 2}, {1, 256}, {2, 128}, {7, 512}, {14, 4},
    };
    unsigned flags;
    for (unsigned k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
        setup();
        wr(RA, 0x20 | t[k].rate);
        wr(RB, 0x42);
        CHECK_EQ("periodic interrupts in one second", count_interrupts(S, &flags), t[k].hz);
        CHECK_EQ("flags: IRQF | PF (UF without UIE)", flags, 0xd0);
    }
    setup();
    wr(RA, 0x2f);
    wr(RB, 0x42);
    fake_advance(S / 2 - 1);
    CHECK_EQ("2 Hz: nothing before 500 ms", fake.irq[8], 0);
    fake_advance(1);
    CHECK_EQ("2 Hz: interrupt at 500 ms", fake.irq[8], 1);
    fake_advance(S / 2);
    CHECK_EQ("line stays high until C is read", fake.irq_rises[8], 1);
    CHECK_EQ("C: IRQF | PF | UF", rd(RC), 0xd0);
    CHECK_EQ("C read deasserts", fake.irq[8], 0);
    CHECK_EQ("C is clear after the read", rd(RC), 0x00);
    wr(RA, 0x20);
    CHECK_EQ("rate 0: no periodic timer", count_interrupts(3 * S, &flags), 0);
    wr(RA, 0x26);
    wr(RB, 0x02);
    CHECK_EQ("PIE clear: no interrupt", count_interrupts(S, &flags), 0);
    CHECK_EQ("PF (and UF) set without PIE or UIE", rd(RC), 0x50);
    fake_advance(MS / 2);
    CHECK_EQ("no PF before the next tick", rd(RC), 0x00);
    fake_advance(MS);
    CHECK_EQ("PF after a tick", rd(RC), 0x40);
    fake_advance(MS);
    wr(RB, 0x42);
    CHECK_EQ("enabling PIE with PF set asserts at once", fake.irq[8], 1);
    rd(RC);
    wr(RA, 0x76);
    CHECK_EQ("no periodic interrupts in divider reset", count_interrupts(S, &flags), 0);
}

static void test_update_interrupt(void)
{
    unsigned flags;
    setup();
    fake_advance(S / 2);
    wr(RB, 0x12);
    CHECK_EQ("UIE alone: no interrupt yet", fake.irq[8], 0);
    fake_advance(S / 2 - 1);
    CHECK_EQ("not before the second ends", fake.irq[8], 0);
    fake_advance(1);
    CHECK_EQ("update-ended interrupt", fake.irq[8], 1);
    CHECK_EQ("C: IRQF | UF (+ PF without PIE)", rd(RC), 0xd0);
    CHECK_EQ("deasserted", fake.irq[8], 0);
    CHECK_EQ("one per second", count_interrupts(10 * S, &flags), 10);
    CHECK_EQ("UF flags", flags, 0xd0);
    wr(RB, 0x02);
    CHECK_EQ("UIE clear: none", count_interrupts(3 * S, &flags), 0);
    CHECK_EQ("UF still set without UIE", rd(RC) & 0x90, 0x10);
}

static void test_alarm(void)
{
    unsigned flags;
    setup();
    wr(ASEC, 0x05);
    wr(AMIN, 0x00);
    wr(AHOUR, 0x00);
    CHECK_EQ("alarm seconds read back", rd(ASEC), 0x05);
    CHECK_EQ("alarm registers are not the time", rd(SEC), 0x00);
    wr(RB, 0x22);
    fake_advance(4 * S);
    CHECK_EQ("no alarm at 00:00:04", fake.irq[8], 0);
    CHECK_EQ("no AF at 00:00:04", rd(RC) & 0x20, 0);
    fake_advance(S);
    CHECK_EQ("alarm at 00:00:05", fake.irq[8], 1);
    CHECK_EQ("C: IRQF | AF | UF | PF", rd(RC), 0xf0);
    CHECK_EQ("deasserted by C", fake.irq[8], 0);
    CHECK_EQ("no more alarms in the next 50 s", count_interrupts(50 * S, &flags), 0);
    /* Don't-care hours and minutes: every minute at :30. */
    wr(AHOUR, 0xc0);
    wr(AMIN, 0xff);
    wr(ASEC, 0x30);
    CHECK_EQ("once a minute over 3 minutes", count_interrupts(180 * S, &flags), 3);
    CHECK_EQ("alarm flags", flags, 0xf0);
    wr(ASEC, 0xc0);
    CHECK_EQ("all don't care: every second", count_interrupts(5 * S, &flags), 5);
    /* An alarm without AIE sets AF only. */
    wr(RB, 0x02);
    fake_advance(S);
    CHECK_EQ("AF without AIE", rd(RC), 0x70);
    CHECK_EQ("no interrupt without AIE", fake.irq[8], 0);
    /* 12-hour alarm compares the register formats. */
    wr(RB, 0x20);
    set_time(0x20, 0x26, 0x01, 0x01, 0x05, 0x80 | 0x03, 0x15, 0x00); /* 3:15:00 PM */
    wr(ASEC, 0x02);
    wr(AMIN, 0x15);
    wr(AHOUR, 0x83);
    rd(RC);
    fake_advance(S / 2);
    CHECK_EQ("12-hour: not at 3:15:01 PM", fake.irq[8], 0);
    fake_advance(S);
    CHECK_EQ("12-hour alarm at 3:15:02 PM", fake.irq[8], 1);
}

static void test_cmos_ram(void)
{
    setup();
    bool ok = true;
    for (unsigned i = 0x0e; i < 0x80; i++)
        if (i != 0x32)
            wr(i, i ^ 0x5a);
    for (unsigned i = 0x0e; i < 0x80; i++)
        if (i != 0x32)
            ok &= rd(i) == (i ^ 0x5a);
    CHECK("RAM 0x0e-0x7f (without 0x32) stores every byte", ok);
    CHECK_EQ("0x32 is the century", rd(0x32), 0x20);
    mc146818_set_cmos(&rtc, 0x15, 0x80);
    mc146818_set_cmos(&rtc, 0x16, 0x02);
    mc146818_set_cmos(&rtc, 0x34, 0x00);
    mc146818_set_cmos(&rtc, 0x35, 0x1f);
    mc146818_set_cmos(&rtc, 0x5b, 0x11);
    mc146818_set_cmos(&rtc, 0x5d, 0x01);
    CHECK_EQ("set_cmos 0x15", rd(0x15), 0x80);
    CHECK_EQ("set_cmos 0x16", rd(0x16), 0x02);
    CHECK_EQ("set_cmos 0x34", rd(0x34), 0x00);
    CHECK_EQ("set_cmos 0x35", rd(0x35), 0x1f);
    CHECK_EQ("set_cmos 0x5b", rd(0x5b), 0x11);
    CHECK_EQ("set_cmos 0x5d", rd(0x5d), 0x01);
    mc146818_set_cmos(&rtc, 0x32, 0x19);
    mc146818_set_cmos(&rtc, 0x00, 0x42);
    mc146818_set_cmos(&rtc, 0x0b, 0xff);
    mc146818_set_cmos(&rtc, 0x80, 0xff);
    mc146818_set_cmos(&rtc, 0x1000, 0xff);
    CHECK_EQ("set_cmos cannot change the century", rd(0x32), 0x20);
    CHECK_EQ("set_cmos cannot change the seconds", rd(SEC), 0x00);
    CHECK_EQ("set_cmos cannot change register B", rd(RB), 0x02);
    /* 16-bit write to 0x70: index, then data. */
    fake_pio_write(0x70, 2, 0x6620);
    CHECK_EQ("word write: index then data", rd(0x20), 0x66);
    fake_pio_write(0x70, 1, 0x21);
    CHECK_EQ("word read at 0x70: index port ones, data", fake_pio_read(0x70, 2), (0x21 ^ 0x5a) << 8 | 0xff);
    CHECK_EQ("index 0xff selects 0x7f", (fake_pio_write(0x70, 1, 0xff), fake_pio_read(0x71, 1)), 0x7f ^ 0x5a);
}

int main(void)
{
    test_reset_and_ports();
    test_running_and_formats();
    test_set_time();
    test_rollovers();
    test_uip();
    test_divider_reset();
    test_periodic();
    test_update_interrupt();
    test_alarm();
    test_cmos_ram();
    return check_summary();
}
