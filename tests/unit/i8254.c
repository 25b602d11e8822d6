/* SPDX-License-Identifier: MIT */
/* Host test of vmm/dev/i8254.c against the 8254 datasheet and Linux's PIT uses (periodic, oneshot,
   TSC calibration through channel 2 and port 0x61). */

#include "../../vmm/dev/i8254.h"

#include "check.h"
#include "vdev_fake.h"

#define HZ 1193182ull
#define NS 1000000000ull

static struct i8254 pit;

/* Independent time conversions (128-bit here, the device model splits seconds instead). */
static uint64_t tick_ns(uint64_t k)
{
    return (uint64_t)(((unsigned __int128)k * NS + HZ - 1) / HZ);
}

static uint64_t ticks(uint64_t ns)
{
    return (uint64_t)((unsigned __int128)ns * HZ / NS);
}

static uint64_t now_ticks(void)
{
    return ticks(fake.now_ns);
}

/* Advance the clock (firing timers) to the first nanosecond of absolute tick k. */
static void to_tick(uint64_t k)
{
    uint64_t ns = tick_ns(k);
    if (ns > fake.now_ns)
        fake_advance(ns - fake.now_ns);
}

static void outb(uint16_t port, uint8_t v)
{
    fake_pio_write(port, 1, v);
}

static uint8_t inb(uint16_t port)
{
    return (uint8_t)fake_pio_read(port, 1);
}

static void setup(void)
{
    fake_reset();
    i8254_init(&pit, FAKE_VM);
}

/* Control word for LSB-then-MSB access, then the count. */
static void program(unsigned ch, unsigned mode, uint16_t count)
{
    outb(0x43, (uint8_t)(ch << 6 | 0x30 | mode << 1));
    outb((uint16_t)(0x40 + ch), (uint8_t)count);
    outb((uint16_t)(0x40 + ch), (uint8_t)(count >> 8));
}

static uint16_t read16(unsigned ch)
{
    uint8_t lsb = inb((uint16_t)(0x40 + ch));
    return (uint16_t)(lsb | inb((uint16_t)(0x40 + ch)) << 8);
}

static uint8_t status(unsigned ch)
{
    outb(0x43, (uint8_t)(0xe0 | 2u << ch));
    return inb((uint16_t)(0x40 + ch));
}

static bool out_bit(unsigned ch)
{
    return status(ch) >> 7;
}

static void test_ports_and_power_on(void)
{
    setup();
    CHECK("ports 0x40-0x43 claimed", fake_pio_claimed(0x40) && fake_pio_claimed(0x43));
    CHECK("port 0x61 claimed", fake_pio_claimed(0x61));
    CHECK("port 0x44 and 0x60 free", !fake_pio_claimed(0x44) && !fake_pio_claimed(0x60));
    CHECK_EQ("power-on port 0x61: gate, speaker, OUT2 low", inb(0x61), 0);
    CHECK_EQ("power-on status ch0: mode 0, LSB/MSB, null count, OUT low", status(0), 0x70);
    CHECK_EQ("power-on status ch2", status(2), 0x70);
    CHECK_EQ("port 0x43 reads float", inb(0x43), 0xff);
    fake_advance(NS);
    CHECK_EQ("nothing counts without a count: no IRQ 0", fake.irq_rises[0], 0);
    CHECK_EQ("no timer armed", fake_next_deadline(), UINT64_MAX);
}

static void test_access_modes(void)
{
    setup();
    /* LSB only (RW = 1). */
    outb(0x43, 0x10);
    outb(0x40, 0x80);
    CHECK_EQ("LSB access: count 128 at once", inb(0x40), 128);
    to_tick(5);
    CHECK_EQ("LSB access: 5 ticks later", inb(0x40), 123);
    CHECK_EQ("LSB access: reads do not alternate", inb(0x40), 123);
    CHECK_EQ("status: RW 1, mode 0", status(0) & 0x3f, 0x10);

    /* MSB only (RW = 2). */
    uint64_t t0 = now_ticks();
    outb(0x43, 0x20);
    outb(0x40, 0x12);
    CHECK_EQ("MSB access: 0x1200", inb(0x40), 0x12);
    to_tick(t0 + 1);
    CHECK_EQ("MSB access: 0x11ff after one tick", inb(0x40), 0x11);
    to_tick(t0 + 0x300);
    CHECK_EQ("MSB access: 0x0f00", inb(0x40), 0x0f);

    /* LSB then MSB (RW = 3), with the read flip-flop. */
    t0 = now_ticks();
    program(0, 0, 0x1234);
    CHECK_EQ("LSB/MSB: 0x1234", read16(0), 0x1234);
    to_tick(t0 + 0x34);
    CHECK_EQ("LSB/MSB: 0x1200", read16(0), 0x1200);
    CHECK_EQ("LSB alone", inb(0x40), 0x00);
    to_tick(t0 + 0x35);
    CHECK_EQ("then the MSB (live, now 0x11ff)", inb(0x40), 0x11);
    CHECK_EQ("flip-flop back to LSB", inb(0x40), 0xff);
    CHECK_EQ("and MSB", inb(0x40), 0x11);
    program(0, 0, 0xabcd);
    inb(0x40);
    outb(0x43, 0x30);
    outb(0x40, 0x01);
    outb(0x40, 0x02);
    CHECK_EQ("after a control word the first read is the LSB", inb(0x40), 0x01);

    /* Channel 1 reads and writes too. */
    t0 = now_ticks();
    outb(0x43, 0x74);
    outb(0x41, 18);
    outb(0x41, 0);
    to_tick(t0 + 5);
    CHECK_EQ("channel 1 mode 2 count 18, 5 ticks later", read16(1), 13);
    CHECK_EQ("channel 1 status", status(1), 0xb4);
}

static void test_latch_and_read_back(void)
{
    setup();
    program(0, 2, 1000);
    to_tick(10);
    outb(0x43, 0x00);
    to_tick(20);
    outb(0x43, 0x00); /* ignored: the first latch holds */
    CHECK_EQ("latched count", read16(0), 990);
    CHECK_EQ("after the latch is read: live", read16(0), 980);
    outb(0x43, 0x00);
    CHECK_EQ("latch read half", inb(0x40), 980 & 0xff);
    to_tick(30);
    CHECK_EQ("latch MSB still the latched one", inb(0x40), 980 >> 8);
    CHECK_EQ("then live again", read16(0), 970);

    /* LSB-only latch: one read frees it. */
    outb(0x43, 0x14);
    outb(0x40, 200);
    uint64_t t0 = now_ticks();
    to_tick(t0 + 7);
    outb(0x43, 0x00);
    to_tick(t0 + 9);
    CHECK_EQ("LSB-only latch", inb(0x40), 193);
    CHECK_EQ("LSB-only: live after one read", inb(0x40), 191);

    /* Read-back: status then count, for one or several channels. */
    setup();
    program(0, 2, 1000);
    program(2, 0, 500);
    to_tick(10);
    outb(0x43, 0xc2); /* count and status of channel 0 */
    to_tick(12);
    CHECK_EQ("read-back: status first (OUT high, mode 2)", inb(0x40), 0xb4);
    CHECK_EQ("read-back: then the count", read16(0), 990);
    CHECK_EQ("read-back: then live", read16(0), 988);
    outb(0x43, 0xd2); /* count only */
    to_tick(13);
    CHECK_EQ("read-back count only", read16(0), 988);
    outb(0x43, 0xe8); /* status only, channel 2 (gate low: not counting) */
    CHECK_EQ("read-back status only, channel 2 mode 0 OUT low", inb(0x42), 0x30);
    CHECK_EQ("then the count", read16(2), 500);
    outb(0x43, 0xce); /* all three, count and status */
    to_tick(20);
    CHECK_EQ("read-back all: ch0 status", inb(0x40), 0xb4);
    CHECK_EQ("read-back all: ch1 status (power-on)", inb(0x41), 0x70);
    CHECK_EQ("read-back all: ch2 status", inb(0x42), 0x30);
    CHECK_EQ("read-back all: ch0 count", read16(0), 987);
    CHECK_EQ("read-back all: ch2 count", read16(2), 500);
    to_tick(998);
    outb(0x43, 0xe2);
    to_tick(999);
    outb(0x43, 0xe2);
    CHECK_EQ("a second status latch does not replace the first", inb(0x40), 0xb4);
    CHECK_EQ("a fresh status: OUT low at count 1", status(0), 0x34);
    outb(0x43, 0xe2);
    outb(0x43, 0x34);
    CHECK_EQ("a control word discards the status latch: the count (frozen at 1)", inb(0x40), 1);
    outb(0x40, 0x10);
    CHECK_EQ("null count while only the LSB is written", status(0) & 0x40, 0x40);
    outb(0x40, 0x00);
    CHECK_EQ("null count clear once loaded", status(0) & 0x40, 0);
}

static void test_mode0(void)
{
    setup();
    program(0, 0, 1000);
    CHECK("mode 0: OUT low after the count", !out_bit(0));
    CHECK("GSI 0 low", !fake.irq[0]);
    CHECK_EQ("timer at terminal count", fake_next_deadline(), tick_ns(1000));
    to_tick(999);
    CHECK("one tick before terminal count: low", !out_bit(0) && fake.irq_rises[0] == 0);
    CHECK_EQ("count 1", read16(0), 1);
    to_tick(1000);
    CHECK("terminal count: OUT high", out_bit(0));
    CHECK("GSI 0 high", fake.irq[0]);
    CHECK_EQ("one rising edge", fake.irq_rises[0], 1);
    to_tick(1010);
    CHECK_EQ("count wraps on after terminal count", read16(0), 65526);
    to_tick(1000 + 65536 + 5);
    CHECK("OUT stays high (no second terminal count)", out_bit(0) && fake.irq[0]);
    CHECK_EQ("still one edge", fake.irq_rises[0], 1);

    /* A new count: OUT low, counts again. */
    uint64_t t0 = now_ticks();
    program(0, 0, 50);
    CHECK("new count: GSI 0 low", !fake.irq[0]);
    to_tick(t0 + 50);
    CHECK_EQ("second terminal count edge", fake.irq_rises[0], 2);

    /* The first byte of a two-byte count stops counting with OUT low. */
    t0 = now_ticks();
    program(0, 0, 1000);
    to_tick(t0 + 100);
    outb(0x40, 0x20);
    CHECK("first byte: OUT low", !out_bit(0));
    to_tick(t0 + 2000);
    CHECK_EQ("first byte: counting stopped", read16(0), 900);
    CHECK_EQ("first byte: no terminal count", fake.irq_rises[0], 2);
    uint64_t t1 = now_ticks();
    outb(0x40, 0x00);
    to_tick(t1 + 0x1f);
    CHECK_EQ("second byte loads 0x0020", read16(0), 1);
    to_tick(t1 + 0x20);
    CHECK_EQ("and counts to terminal count", fake.irq_rises[0], 3);

    /* Count 0 is 65536. */
    t0 = now_ticks();
    program(0, 0, 0);
    CHECK_EQ("count 0 reads 0", read16(0), 0);
    to_tick(t0 + 1);
    CHECK_EQ("then 65535", read16(0), 65535);
    to_tick(t0 + 65535);
    CHECK_EQ("no edge before 65536 ticks", fake.irq_rises[0], 3);
    to_tick(t0 + 65536);
    CHECK_EQ("edge at 65536 ticks", fake.irq_rises[0], 4);
}

static void test_mode2(void)
{
    setup();
    program(0, 2, 100);
    CHECK("mode 2: OUT high", out_bit(0));
    CHECK_EQ("count 100", read16(0), 100);
    to_tick(98);
    CHECK_EQ("count 2", read16(0), 2);
    CHECK("OUT high at count 2", out_bit(0));
    to_tick(99);
    CHECK_EQ("count 1", read16(0), 1);
    CHECK("OUT low at count 1", !out_bit(0));
    CHECK_EQ("no edge yet", fake.irq_rises[0], 0);
    to_tick(100);
    CHECK_EQ("reloaded: 100", read16(0), 100);
    CHECK("OUT high again", out_bit(0));
    CHECK_EQ("one pulse per period", fake.irq_rises[0], 1);
    CHECK("GSI 0 low between pulses", !fake.irq[0]);
    to_tick(1000);
    CHECK_EQ("ten periods: ten pulses", fake.irq_rises[0], 10);
    to_tick(1050);
    CHECK_EQ("mid-period count", read16(0), 50);

    /* A new count takes effect at the end of the current period. */
    outb(0x40, 40);
    outb(0x40, 0);
    CHECK_EQ("new count: null count until the period ends", status(0) & 0x40, 0x40);
    CHECK_EQ("current period goes on", read16(0), 50);
    to_tick(1100);
    CHECK_EQ("period end: pulse", fake.irq_rises[0], 11);
    CHECK_EQ("new period loaded", read16(0), 40);
    CHECK_EQ("null count clear", status(0) & 0x40, 0);
    to_tick(1140);
    CHECK_EQ("new period: pulse after 40", fake.irq_rises[0], 12);
    to_tick(1140 + 400);
    CHECK_EQ("ten more of 40", fake.irq_rises[0], 22);

    /* Linux's periodic tick: 0x34 and LATCH for HZ = 250. */
    setup();
    uint16_t latch = (uint16_t)((HZ + 125) / 250);
    outb(0x43, 0x34);
    outb(0x40, (uint8_t)latch);
    outb(0x40, (uint8_t)(latch >> 8));
    fake_advance(NS);
    CHECK_EQ("exactly floor(1 s / period)", fake.irq_rises[0], ticks(NS) / latch);

    /* Modes 6 and 7 work as 2 and 3; the status shows the bits written. */
    setup();
    outb(0x43, 0x3c);
    outb(0x40, 10);
    outb(0x40, 0);
    CHECK_EQ("mode 6 status", status(0) & 0x0e, 0x0c);
    to_tick(100);
    CHECK_EQ("mode 6 pulses like mode 2", fake.irq_rises[0], 10);
    to_tick(109);
    CHECK_EQ("mode 6 count 1", read16(0), 1);
}

static void test_mode3(void)
{
    setup();
    program(0, 3, 1000);
    CHECK("mode 3: OUT high", out_bit(0));
    CHECK_EQ("count starts at 1000", read16(0), 1000);
    to_tick(10);
    CHECK_EQ("counts down by two", read16(0), 980);
    to_tick(499);
    CHECK("high through the first half", out_bit(0));
    to_tick(500);
    CHECK("low for the second half", !out_bit(0));
    CHECK_EQ("second half restarts at 1000", read16(0), 1000);
    to_tick(999);
    CHECK("low until the period ends", !out_bit(0));
    CHECK_EQ("no edge on the falling half", fake.irq_rises[0], 0);
    to_tick(1000);
    CHECK("high again", out_bit(0));
    CHECK_EQ("rising edge each period", fake.irq_rises[0], 1);
    to_tick(5000);
    CHECK_EQ("five periods", fake.irq_rises[0], 5);

    /* Odd count: high (N+1)/2, low (N-1)/2. */
    uint64_t t0 = now_ticks();
    program(0, 3, 1001);
    to_tick(t0 + 500);
    CHECK("odd: still high at 500", out_bit(0));
    to_tick(t0 + 501);
    CHECK("odd: low from 501", !out_bit(0));
    to_tick(t0 + 1000);
    CHECK("odd: low at 1000", !out_bit(0));
    to_tick(t0 + 1001);
    CHECK("odd: high at 1001", out_bit(0));
    CHECK_EQ("odd: edge at 1001", fake.irq_rises[0], 6);
}

static void test_mode4(void)
{
    setup();
    outb(0x43, 0x38); /* Linux's oneshot */
    outb(0x40, 50);
    outb(0x40, 0);
    CHECK("mode 4: OUT high", out_bit(0));
    to_tick(49);
    CHECK("high before", out_bit(0));
    to_tick(50);
    CHECK("low for the clock at count 0", !out_bit(0));
    CHECK_EQ("count 0", read16(0), 0);
    to_tick(51);
    CHECK("high after the strobe", out_bit(0));
    CHECK_EQ("one edge", fake.irq_rises[0], 1);
    CHECK("GSI 0 low after the pulse", !fake.irq[0]);
    to_tick(51 + 65536 * 2);
    CHECK_EQ("no more strobes (count wraps on)", fake.irq_rises[0], 1);
    uint64_t t0 = now_ticks();
    outb(0x40, 100);
    outb(0x40, 0);
    to_tick(t0 + 100);
    CHECK_EQ("a new count arms a new strobe", fake.irq_rises[0], 1);
    to_tick(t0 + 101);
    CHECK_EQ("at count + 1", fake.irq_rises[0], 2);
    CHECK_EQ("timer disarmed", fake_next_deadline(), UINT64_MAX);
}

static void test_gate_modes(void)
{
    setup();
    /* Mode 1 on channel 2: waits for a gate edge, OUT low until terminal count; retriggerable. */
    program(2, 1, 100);
    CHECK("mode 1: OUT high before the trigger", out_bit(2));
    CHECK_EQ("mode 1: null count until triggered", status(2) & 0x40, 0x40);
    to_tick(50);
    CHECK("mode 1: nothing without a trigger", out_bit(2));
    outb(0x61, 0x01);
    CHECK("trigger: OUT low", !out_bit(2));
    CHECK_EQ("loaded by the trigger", read16(2), 100);
    CHECK_EQ("null count clear", status(2) & 0x40, 0);
    to_tick(50 + 60);
    outb(0x61, 0x00);
    CHECK("gate low does not stop mode 1", !out_bit(2));
    outb(0x61, 0x01);
    CHECK_EQ("retrigger reloads", read16(2), 100);
    to_tick(50 + 60 + 99);
    CHECK("low until terminal count", !out_bit(2));
    to_tick(50 + 60 + 100);
    CHECK("high at terminal count", out_bit(2));
    CHECK_EQ("port 0x61 bit 5 follows OUT2", inb(0x61) & 0x21, 0x21);

    /* Mode 5: strobe one clock at count 0 after the trigger. */
    setup();
    program(2, 5, 20);
    outb(0x61, 0x01);
    uint64_t t0 = now_ticks();
    to_tick(t0 + 19);
    CHECK("mode 5: high before", out_bit(2));
    to_tick(t0 + 20);
    CHECK("mode 5: low strobe", !out_bit(2));
    to_tick(t0 + 21);
    CHECK("mode 5: high after", out_bit(2));

    /* Mode 0 on channel 2: a low gate pauses counting. */
    setup();
    outb(0x61, 0x01);
    program(2, 0, 1000);
    to_tick(100);
    outb(0x61, 0x00);
    CHECK_EQ("paused at 900", read16(2), 900);
    to_tick(5000);
    CHECK_EQ("still 900", read16(2), 900);
    CHECK("OUT low while paused", !out_bit(2));
    outb(0x61, 0x01);
    to_tick(5000 + 899);
    CHECK("resumed: low one tick short", !(inb(0x61) & 0x20));
    to_tick(5000 + 900);
    CHECK("terminal count after 1000 gated ticks", inb(0x61) & 0x20);
    outb(0x61, 0x00);
    to_tick(5000 + 900 + 70000);
    CHECK("paused after terminal count: OUT stays high", inb(0x61) & 0x20);
    outb(0x61, 0x01);
    to_tick(5000 + 900 + 70000 + 65536);
    CHECK("and after resuming (no second terminal count)", inb(0x61) & 0x20);

    /* Mode 2 on channel 2: gate low forces OUT high and stops; rising reloads. */
    setup();
    program(2, 2, 100);
    CHECK_EQ("mode 2 with gate low: count loaded, not counting", read16(2), 100);
    to_tick(10);
    CHECK_EQ("still 100", read16(2), 100);
    outb(0x61, 0x01);
    to_tick(10 + 99);
    CHECK("gate high: counting, low at count 1", !out_bit(2));
    outb(0x61, 0x00);
    CHECK("gate low: OUT high at once", out_bit(2));
    to_tick(500);
    CHECK_EQ("stopped at 1", read16(2), 1);
    outb(0x61, 0x01);
    CHECK_EQ("rising gate reloads", read16(2), 100);
    to_tick(500 + 30);
    CHECK_EQ("and counts", read16(2), 70);

    /* Mode 3 on channel 2, as the speaker uses it. */
    setup();
    program(2, 3, 0x533);
    outb(0x61, 0x03);
    CHECK_EQ("speaker and gate bits", inb(0x61) & 0x03, 0x03);
    to_tick(0x533 / 2 + 1);
    CHECK("square wave low half on bit 5", !(inb(0x61) & 0x20));
    CHECK_EQ("channel 2 never touches GSI 0", fake.irq_rises[0], 0);
}

static void test_coalescing(void)
{
    setup();
    program(0, 2, 100);
    to_tick(1000);
    CHECK_EQ("10 periods", fake.irq_rises[0], 10);
    /* The VMM is late by 5000 periods: the clock jumps, then the timer runs once. */
    fake.now_ns = tick_ns(1000 + 100 * 5000 + 50);
    fake_advance(0);
    CHECK_EQ("late by many periods: one edge, not a burst", fake.irq_rises[0], 11);
    CHECK_EQ("next edge is the next period boundary", fake_next_deadline(), tick_ns(1000 + 100 * 5001));
    CHECK_EQ("count still in phase", read16(0), 50);
    to_tick(1000 + 100 * 5003);
    CHECK_EQ("periodic again", fake.irq_rises[0], 14);

    /* An edge due before a write is delivered by the write, before it changes anything. */
    fake.now_ns = tick_ns(1000 + 100 * 5003 + 150);
    outb(0x43, 0x30);
    CHECK_EQ("late edge delivered before the control word", fake.irq_rises[0], 15);
    CHECK_EQ("mode 0 without a count: no timer", fake_next_deadline(), UINT64_MAX);

    /* Mode 0 terminal count passed before the timer ran: the count has wrapped, OUT is high. */
    setup();
    program(0, 0, 100);
    fake.now_ns = tick_ns(300);
    CHECK_EQ("late mode 0: wrapped count", read16(0), 65336);
    CHECK("late mode 0: OUT high in the status", out_bit(0));
    fake_advance(0);
    CHECK_EQ("late mode 0: one edge", fake.irq_rises[0], 1);
}

static void test_port61(void)
{
    setup();
    outb(0x61, 0xff);
    CHECK_EQ("only gate and speaker stick; bits 2, 3, 6, 7 read 0", inb(0x61) & 0xcf, 0x03);
    fake.now_ns = 0;
    CHECK_EQ("refresh bit 0 at 0 ns", inb(0x61) & 0x10, 0);
    fake.now_ns = 15084;
    CHECK_EQ("refresh bit 0 at 15.084 us", inb(0x61) & 0x10, 0);
    fake.now_ns = 15085;
    CHECK_EQ("refresh bit 1 at 15.085 us", inb(0x61) & 0x10, 0x10);
    fake.now_ns = 2 * 15085;
    CHECK_EQ("refresh bit 0 again", inb(0x61) & 0x10, 0);
    unsigned toggles = 0;
    uint8_t prev = inb(0x61) & 0x10;
    for (unsigned i = 0; i < 1000; i++) {
        fake.now_ns += 1000;
        uint8_t b = inb(0x61) & 0x10;
        toggles += b != prev;
        prev = b;
    }
    CHECK("refresh toggles about every 15 us (66 in 1 ms)", toggles >= 65 && toggles <= 67);
    outb(0x61, 0x02);
    CHECK_EQ("speaker alone", inb(0x61) & 0x03, 0x02);
    CHECK_EQ("16-bit read: byte 1 floats", fake_pio_read(0x61, 2) >> 8, 0xff);
}

/* Linux's pit_calibrate_tsc: mode 0 on channel 2, poll port 0x61 bit 5. */
static void test_linux_pit_calibrate(void)
{
    setup();
    fake.now_ns = 123456789;
    outb(0x61, (uint8_t)((inb(0x61) & ~0x02) | 0x01));
    uint16_t latch = (uint16_t)(HZ / (1000 / 50));
    outb(0x43, 0xb0);
    outb(0x42, (uint8_t)latch);
    outb(0x42, (uint8_t)(latch >> 8));
    uint64_t t0 = now_ticks(), polls = 0;
    while (!(inb(0x61) & 0x20) && polls < 100000) {
        fake.now_ns += 1000;
        polls++;
    }
    uint64_t elapsed = fake.now_ns - 123456789;
    CHECK("OUT2 went high", inb(0x61) & 0x20);
    CHECK("after 50 ms (within 2 us)", elapsed >= 50000000 - 2000 && elapsed <= 50000000 + 2000);
    uint64_t seen = ticks(fake.now_ns) - t0;
    CHECK("seen at the terminal count tick (1 us polls: or one later)", seen == latch || seen == latch + 1u);
    outb(0x43, 0xb0);
    outb(0x42, (uint8_t)latch);
    outb(0x42, (uint8_t)(latch >> 8));
    t0 = now_ticks();
    fake.now_ns = tick_ns(t0 + latch) - 1;
    CHECK("one ns before terminal count: low", !(inb(0x61) & 0x20));
    fake.now_ns++;
    CHECK("at terminal count: high", inb(0x61) & 0x20);
}

/* Linux's quick_pit_calibrate: MSB of channel 2 in mode 0 from 0xffff, read as LSB then MSB. */
static void test_linux_quick_calibrate(void)
{
    setup();
    fake.now_ns = 987654321;
    outb(0x61, (uint8_t)((inb(0x61) & ~0x02) | 0x01));
    outb(0x43, 0xb0);
    outb(0x42, 0xff);
    outb(0x42, 0xff);
    uint64_t t0 = now_ticks();
    unsigned bad = 0, reads = 0;
    uint8_t last = 0xff;
    uint64_t change_ns[64] = {0};
    unsigned changes = 0;
    for (; fake.now_ns < 987654321 + 50000000; fake.now_ns += 3000) {
        uint8_t lsb = inb(0x42), msb = inb(0x42);
        uint16_t want = (uint16_t)(0xffff - (ticks(fake.now_ns) - t0));
        bad += ((uint16_t)(lsb | msb << 8) != want);
        reads++;
        if (msb != last) {
            bad += msb != (uint8_t)(last - 1);
            if (changes < 64)
                change_ns[changes++] = fake.now_ns;
            last = msb;
        }
    }
    CHECK_EQ("every LSB/MSB pair matches the elapsed ticks", bad, 0);
    CHECK("many reads", reads > 16000);
    CHECK_EQ("MSB after 50 ms", last, (uint8_t)((0xffff - (ticks(fake.now_ns - 3000) - t0)) >> 8));
    CHECK("MSB stays 0xff for over 5 reads first", change_ns[0] - 987654321 > 5 * 3000);
    /* 256 ticks per MSB step = 214.55 us. */
    uint64_t step = change_ns[40] - change_ns[20];
    CHECK("20 MSB steps take 20 * 214.55 us (within one read interval)",
          step + 3000 >= 20 * 256 * NS / HZ && step <= 20 * 256 * NS / HZ + 3000);
}

static void test_bcd_and_long_time(void)
{
    setup();
    outb(0x43, 0x31);
    outb(0x40, 0x00);
    outb(0x40, 0x10);
    CHECK_EQ("BCD count 1000", read16(0), 0x1000);
    to_tick(1);
    CHECK_EQ("BCD 0999", read16(0), 0x0999);
    to_tick(1000);
    CHECK_EQ("BCD terminal count edge", fake.irq_rises[0], 1);
    CHECK_EQ("status BCD bit", status(0) & 1, 1);
    uint64_t t0 = now_ticks();
    outb(0x40, 0x00);
    outb(0x40, 0x00);
    CHECK_EQ("BCD 0 is 10000: reads 0000", read16(0), 0);
    to_tick(t0 + 1);
    CHECK_EQ("then 9999", read16(0), 0x9999);
    to_tick(t0 + 10000);
    CHECK_EQ("terminal count after 10000", fake.irq_rises[0], 2);
    to_tick(t0 + 10001);
    CHECK_EQ("BCD wraps to 9999", read16(0), 0x9999);

    /* Three years in: ticks exact, no overflow. */
    setup();
    fake.now_ns = 3ull * 365 * 24 * 3600 * NS + 123456789;
    uint64_t base = now_ticks();
    outb(0x61, 0x01);
    program(2, 0, 60000);
    fake.now_ns += 40000000; /* 40 ms */
    CHECK_EQ("3 years in: count exact", read16(2), 60000 - (now_ticks() - base));
    program(0, 2, 1193);
    uint64_t b0 = now_ticks();
    fake_advance(NS);
    CHECK_EQ("3 years in: periodic edges exact", fake.irq_rises[0], (now_ticks() - b0) / 1193);
}

static void test_widths_and_junk(void)
{
    setup();
    fake_pio_write(0x42, 2, 0x34b0); /* 0x42 <- 0xb0, 0x43 <- 0x34 */
    CHECK_EQ("16-bit write to 0x42 reaches 0x43: ch0 mode 2", status(0) & 0x3f, 0x34);
    program(1, 2, 0x1234);
    program(2, 0, 0x5678);
    CHECK_EQ("16-bit read of 0x41: ch1 LSB, ch2 LSB", fake_pio_read(0x41, 2), 0x7834);
    CHECK_EQ("32-bit read of 0x42: ch2 MSB, 0x43 floats, rest floats", fake_pio_read(0x42, 4), 0xffffff56);
    fake_pio_write(0x40, 8, ~0ull);
    fake_pio_write(0x61, 4, ~0ull);
    CHECK("junk widths survive", (inb(0x61) & 0x03) == 0x03);
}

int main(void)
{
    test_ports_and_power_on();
    test_access_modes();
    test_latch_and_read_back();
    test_mode0();
    test_mode2();
    test_mode3();
    test_mode4();
    test_gate_modes();
    test_coalescing();
    test_port61();
    test_linux_pit_calibrate();
    test_linux_quick_calibrate();
    test_bcd_and_long_time();
    test_widths_and_junk();
    return check_summary();
}
