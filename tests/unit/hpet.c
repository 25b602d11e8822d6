/* SPDX-License-Identifier: MIT */
/* Host test of vmm/dev/hpet.c against the fake VMM: registers, counter, comparators, routing. */

#include "dev/hpet.h"

#include <stdint.h>

#include "acpi/layout.h"
#include "check.h"
#include "vdev_fake.h"

#define BASE LAYOUT_HPET_BASE
#define CFG(n) HPET_REG_TN_CONFIG(n)
#define CMP(n) HPET_REG_TN_CMP(n)

static struct hpet h;

static uint64_t r64(unsigned off) { return fake_mmio_read(BASE + off, 8); }
static uint32_t r32(unsigned off) { return (uint32_t)fake_mmio_read(BASE + off, 4); }
static void w64(unsigned off, uint64_t v) { fake_mmio_write(BASE + off, 8, v); }
static void w32(unsigned off, uint32_t v) { fake_mmio_write(BASE + off, 4, v); }
static uint64_t route(unsigned pin) { return (uint64_t)pin << HPET_TN_ROUTE_SHIFT; }

static void setup(void)
{
    fake_reset();
    hpet_init(&h, FAKE_VM, BASE);
}

static void test_registers(void)
{
    setup();
    CHECK("claims 1 KiB", fake_mmio_claimed(BASE) && fake_mmio_claimed(BASE + 0x3ff) && !fake_mmio_claimed(BASE + 0x400));
    CHECK_EQ("capabilities 64-bit", r64(HPET_REG_CAP), 0x009896808086a201ull);
    CHECK_EQ("capabilities low half", r32(HPET_REG_CAP), 0x8086a201u);
    CHECK_EQ("period (high half) 10^7 fs", r32(HPET_REG_CAP + 4), 10000000u);
    CHECK_EQ("cap ID macro matches", HPET_CAP_ID_LOW, 0x8086a201u);
    w64(HPET_REG_CAP, 0);
    CHECK_EQ("capabilities read-only", r64(HPET_REG_CAP), 0x009896808086a201ull);
    CHECK_EQ("config reset 0", r64(HPET_REG_CONFIG), 0);
    w64(HPET_REG_CONFIG, ~0ull);
    CHECK_EQ("config writable bits ENABLE|LEG_RT", r64(HPET_REG_CONFIG), 3);
    w32(HPET_REG_CONFIG, 0);
    CHECK_EQ("config 32-bit write", r64(HPET_REG_CONFIG), 0);
    CHECK_EQ("reserved 0x030 reads 0", r64(0x030), 0);
    CHECK_EQ("reserved after timers reads 0", r64(0x160), 0);
    CHECK_EQ("FSB route reads 0", r64(HPET_REG_TN_FSB(0)), 0);

    uint64_t caps = (uint64_t)0x00f00104 << 32;
    CHECK_EQ("timer 0 caps: periodic, 64-bit, routes", r64(CFG(0)), caps | HPET_TN_PER_INT_CAP | HPET_TN_SIZE_CAP);
    CHECK_EQ("timer 1 caps: 64-bit, not periodic", r64(CFG(1)), caps | HPET_TN_SIZE_CAP);
    CHECK_EQ("timer 2 route caps (high half)", r32(CFG(2) + 4), 0x00f00104u);
    CHECK_EQ("comparator reset all ones", r64(CMP(1)), ~0ull);
    w64(CFG(1), HPET_TN_TYPE | HPET_TN_FSB_EN | HPET_TN_INT_TYPE);
    CHECK_EQ("timer 1: TYPE and FSB_EN not writable", r64(CFG(1)) & 0xffff, HPET_TN_SIZE_CAP | HPET_TN_INT_TYPE);
    w64(CFG(0), HPET_TN_TYPE);
    CHECK("timer 0: TYPE writable", r64(CFG(0)) & HPET_TN_TYPE);
    w64(CFG(2), route(20));
    CHECK_EQ("route 20 accepted", (r64(CFG(2)) & HPET_TN_ROUTE_MASK) >> HPET_TN_ROUTE_SHIFT, 20);
    w64(CFG(2), route(5));
    CHECK_EQ("route 5 refused (keeps 20)", (r64(CFG(2)) & HPET_TN_ROUTE_MASK) >> HPET_TN_ROUTE_SHIFT, 20);
    w32(CFG(2), (uint32_t)route(8));
    CHECK_EQ("route 8 accepted by 32-bit write", (r64(CFG(2)) & HPET_TN_ROUTE_MASK) >> HPET_TN_ROUTE_SHIFT, 8);
    w32(CFG(2) + 4, 0);
    CHECK_EQ("route caps read-only", r32(CFG(2) + 4), 0x00f00104u);
}

static void test_counter(void)
{
    setup();
    fake_advance(1000);
    CHECK_EQ("counter halted at reset", r64(HPET_REG_COUNTER), 0);
    w64(HPET_REG_CONFIG, HPET_CFG_ENABLE);
    fake_advance(1000);
    CHECK_EQ("100 MHz: 1000 ns = 100 ticks", r64(HPET_REG_COUNTER), 100);
    fake_advance(15);
    CHECK_EQ("partial tick not counted", r32(HPET_REG_COUNTER), 101);
    fake_advance(5);
    CHECK_EQ("10 ns per tick", r32(HPET_REG_COUNTER), 102);
    w64(HPET_REG_COUNTER, 5);
    CHECK_EQ("write while running ignored", r64(HPET_REG_COUNTER), 102);
    CHECK_EQ("... and logged", fake.logs, 1);
    w64(HPET_REG_CONFIG, 0);
    fake_advance(10000);
    CHECK_EQ("halted counter keeps its value", r64(HPET_REG_COUNTER), 102);
    w64(HPET_REG_COUNTER, 0x123456789ull);
    CHECK_EQ("64-bit write while halted", r64(HPET_REG_COUNTER), 0x123456789ull);
    w32(HPET_REG_COUNTER, 0xfffffff0u);
    w32(HPET_REG_COUNTER + 4, 0x1);
    CHECK_EQ("two 32-bit halves", r64(HPET_REG_COUNTER), 0x1fffffff0ull);
    w32(HPET_REG_CONFIG, HPET_CFG_ENABLE);
    fake_advance(200);
    CHECK_EQ("carry into the high half", r64(HPET_REG_COUNTER), 0x200000004ull);
    CHECK_EQ("high half read", r32(HPET_REG_COUNTER + 4), 2);
    CHECK_EQ("low half read", r32(HPET_REG_COUNTER), 4);
}

static void test_oneshot_edge(void)
{
    setup();
    w64(CFG(2), HPET_TN_INT_ENB | route(20));
    w64(CMP(2), 1000);
    fake_advance(100000);
    CHECK_EQ("no interrupt while halted", fake.irq_rises[20], 0);
    CHECK_EQ("no timer armed while halted", fake_next_deadline(), UINT64_MAX);
    w64(HPET_REG_COUNTER, 0);
    w64(HPET_REG_CONFIG, HPET_CFG_ENABLE);
    fake_advance(9990);
    CHECK_EQ("not before the match", fake.irq_rises[20], 0);
    fake_advance(10);
    CHECK_EQ("edge at counter == comparator", fake.irq_rises[20], 1);
    CHECK("edge is a pulse", !fake.irq[20]);
    CHECK_EQ("edge timers set no status", r64(HPET_REG_ISR), 0);
    fake_advance(1000000);
    CHECK_EQ("one-shot 64-bit fires once", fake.irq_rises[20], 1);
    CHECK_EQ("one-shot comparator unchanged", r64(CMP(2)), 1000);

    /* A comparator already passed in 64-bit mode does not match again (for 2^64 ticks). */
    w64(CMP(2), 5);
    fake_advance(1000000);
    CHECK_EQ("passed comparator: no interrupt", fake.irq_rises[20], 1);

    /* INT_ENB clear: edge timers deliver nothing. */
    w64(CFG(2), route(20));
    w64(CMP(2), r64(HPET_REG_COUNTER) + 10);
    fake_advance(1000);
    CHECK_EQ("INT_ENB clear: no edge", fake.irq_rises[20], 1);

    /* Route 2 drives the VMM's GSI 0 (IOAPIC pin 2). */
    w64(CFG(2), HPET_TN_INT_ENB | route(2));
    w64(CMP(2), r64(HPET_REG_COUNTER) + 10);
    fake_advance(100);
    CHECK_EQ("route 2 -> GSI 0", fake.irq_rises[0], 1);
    CHECK_EQ("route 2 not GSI 2", fake.irq_rises[2], 0);
}

static void test_level(void)
{
    setup();
    w64(CFG(1), HPET_TN_INT_ENB | HPET_TN_INT_TYPE | route(21));
    w64(CMP(1), 50);
    w64(HPET_REG_CONFIG, HPET_CFG_ENABLE);
    fake_advance(499);
    CHECK("level: not yet", !fake.irq[21] && r64(HPET_REG_ISR) == 0);
    fake_advance(1);
    CHECK("level asserted at the match", fake.irq[21]);
    CHECK_EQ("status bit 1 set", r64(HPET_REG_ISR), 2);
    w64(HPET_REG_ISR, 1 | 4);
    CHECK("writing 0 to bit 1 keeps it", fake.irq[21] && r64(HPET_REG_ISR) == 2);
    w32(HPET_REG_ISR, 2);
    CHECK("write 1 clears: line drops", !fake.irq[21] && r64(HPET_REG_ISR) == 0);
    CHECK_EQ("one assertion", fake.irq_rises[21], 1);

    /* Status is set with INT_ENB clear, but the line stays low until INT_ENB is set. */
    w64(CFG(1), HPET_TN_INT_TYPE | route(21));
    w64(CMP(1), r64(HPET_REG_COUNTER) + 10);
    fake_advance(100);
    CHECK("INT_ENB clear: status set", r64(HPET_REG_ISR) == 2 && !fake.irq[21]);
    w64(CFG(1), HPET_TN_INT_ENB | HPET_TN_INT_TYPE | route(21));
    CHECK("INT_ENB set with status pending asserts", fake.irq[21]);
    w64(HPET_REG_CONFIG, 0);
    CHECK("halting the HPET drops the line", !fake.irq[21]);
    w64(HPET_REG_CONFIG, HPET_CFG_ENABLE);
    CHECK("re-enabling: still pending", fake.irq[21]);
    w64(CFG(1), HPET_TN_INT_ENB | route(21));
    CHECK("switch to edge drops the line and status", !fake.irq[21] && r64(HPET_REG_ISR) == 0);
}

/* Linux's hpet_clkevt_set_state_periodic: halt, cfg |= PERIODIC|SETVAL|32BIT, cmp = now + delta,
   cmp = delta (period only), start. */
static void test_periodic(void)
{
    setup();
    w64(HPET_REG_COUNTER, 1000);
    w32(CFG(0), HPET_TN_INT_ENB | HPET_TN_TYPE | HPET_TN_VAL_SET | HPET_TN_32MODE | route(22));
    CHECK("VAL_SET reads back until the comparator write", r32(CFG(0)) & HPET_TN_VAL_SET);
    w32(CMP(0), 1100);
    CHECK("VAL_SET cleared by the comparator write", !(r32(CFG(0)) & HPET_TN_VAL_SET));
    w32(CMP(0), 250);
    CHECK_EQ("write without VAL_SET keeps the accumulator", r64(CMP(0)), 1100);
    w32(HPET_REG_CONFIG, HPET_CFG_ENABLE);
    fake_advance(999);
    CHECK_EQ("periodic: not before the first match", fake.irq_rises[22], 0);
    fake_advance(1);
    CHECK_EQ("first match at 1100", fake.irq_rises[22], 1);
    CHECK_EQ("accumulator advanced by the period", r64(CMP(0)), 1350);
    fake_advance(2499);
    CHECK_EQ("second not before 1350", fake.irq_rises[22], 1);
    fake_advance(1);
    CHECK_EQ("second at 1350", fake.irq_rises[22], 2);
    fake_advance(2500 * 10);
    CHECK_EQ("ten more periods", fake.irq_rises[22], 12);
    CHECK_EQ("accumulator after 12 matches", r64(CMP(0)), 1100 + 12 * 250);

    /* New period without VAL_SET: takes effect after the next match. */
    w64(CMP(0), 100);
    CHECK_EQ("accumulator unchanged by the period write", r64(CMP(0)), 4100);
    uint64_t now = r64(HPET_REG_COUNTER);
    fake_advance((4100 - now) * 10);
    CHECK_EQ("match at the old accumulator", fake.irq_rises[22], 13);
    CHECK_EQ("then the new period", r64(CMP(0)), 4200);
    fake_advance(1000);
    CHECK_EQ("new period 100 ticks", fake.irq_rises[22], 14);

    /* VAL_SET in 64-bit mode with two 32-bit halves (set VAL_SET before each half). */
    w64(HPET_REG_CONFIG, 0);
    w64(CFG(0), 0);
    w64(HPET_REG_COUNTER, 0xffffff00ull);
    w32(CFG(0), HPET_TN_INT_ENB | HPET_TN_TYPE | HPET_TN_VAL_SET | route(22));
    w32(CMP(0), 0x00000100);
    w32(CFG(0), HPET_TN_INT_ENB | HPET_TN_TYPE | HPET_TN_VAL_SET | route(22));
    w32(CMP(0) + 4, 1);
    CHECK_EQ("accumulator set by halves", r64(CMP(0)), 0x100000100ull);
    w64(CMP(0), 0x1000);
    w64(HPET_REG_CONFIG, HPET_CFG_ENABLE);
    unsigned before = fake.irq_rises[22];
    fake_advance(0x200 * 10);
    CHECK_EQ("64-bit periodic: match across bit 32", fake.irq_rises[22], before + 1);
    CHECK_EQ("64-bit accumulator", r64(CMP(0)), 0x100001100ull);
}

static void test_32bit(void)
{
    setup();
    /* Entering 32-bit mode truncates the comparator; its high half reads 0 and ignores writes. */
    w64(CFG(2), HPET_TN_32MODE | HPET_TN_INT_ENB | route(23));
    CHECK_EQ("32MODE truncates the comparator", r64(CMP(2)), 0xffffffffull);
    w64(CMP(2), 0x100000010ull);
    CHECK_EQ("32MODE: high half of a 64-bit write dropped", r64(CMP(2)), 0x10);
    w32(CMP(2) + 4, 7);
    CHECK_EQ("32MODE: high-half write ignored", r32(CMP(2) + 4), 0);
    /* One-shot: the match compares the low half; wrapping the low half interrupts too. */
    w64(HPET_REG_COUNTER, 0x5ffffff00ull);
    w64(HPET_REG_CONFIG, HPET_CFG_ENABLE);
    fake_advance(0x100 * 10 - 10);
    CHECK_EQ("32-bit: nothing before the wrap", fake.irq_rises[23], 0);
    fake_advance(10);
    CHECK_EQ("32-bit one-shot: interrupt at the wrap", fake.irq_rises[23], 1);
    fake_advance(0x10 * 10 - 10);
    CHECK_EQ("not before the low-half match", fake.irq_rises[23], 1);
    fake_advance(10);
    CHECK_EQ("match of the low half after the wrap", fake.irq_rises[23], 2);
    CHECK_EQ("main counter stays 64-bit", r64(HPET_REG_COUNTER), 0x600000010ull);

    /* Periodic 32-bit: the accumulator wraps modulo 2^32, no extra wrap interrupt. */
    setup();
    w64(HPET_REG_COUNTER, 0xffffff00ull);
    w64(CFG(0), HPET_TN_32MODE | HPET_TN_TYPE | HPET_TN_VAL_SET | HPET_TN_INT_ENB | route(22));
    w64(CMP(0), 0xffffff80u);
    w64(CMP(0), 0x100);
    w64(HPET_REG_CONFIG, HPET_CFG_ENABLE);
    fake_advance(0x80 * 10);
    CHECK_EQ("32-bit periodic first match", fake.irq_rises[22], 1);
    CHECK_EQ("accumulator wrapped to 0x80", r64(CMP(0)), 0x80);
    fake_advance(0x80 * 10);
    CHECK_EQ("no interrupt at the counter wrap", fake.irq_rises[22], 1);
    fake_advance(0x80 * 10);
    CHECK_EQ("second match at 0x1_00000080", fake.irq_rises[22], 2);
    CHECK_EQ("counter there", r64(HPET_REG_COUNTER), 0x100000080ull);
}

static void test_legacy(void)
{
    setup();
    w64(CFG(0), HPET_TN_INT_ENB | HPET_TN_TYPE | HPET_TN_VAL_SET | route(20));
    w64(CMP(0), 100);
    w64(CMP(0), 100);
    w64(CFG(1), HPET_TN_INT_ENB | route(21));
    w64(CMP(1), 150);
    w64(HPET_REG_CONFIG, HPET_CFG_ENABLE | HPET_CFG_LEG_RT);
    CHECK("hpet_legacy_enabled", hpet_legacy_enabled(&h));
    fake_advance(1000);
    CHECK_EQ("legacy: timer 0 -> GSI 0", fake.irq_rises[0], 1);
    fake_advance(500);
    CHECK_EQ("legacy: timer 1 -> GSI 8", fake.irq_rises[8], 1);
    CHECK_EQ("legacy: route field ignored (20)", fake.irq_rises[20], 0);
    CHECK_EQ("legacy: route field ignored (21)", fake.irq_rises[21], 0);
    fake_advance(1000);
    CHECK_EQ("legacy: timer 0 periodic on GSI 0", fake.irq_rises[0], 2);
    w64(HPET_REG_CONFIG, HPET_CFG_ENABLE);
    CHECK("legacy off", !hpet_legacy_enabled(&h));
    fake_advance(1000);
    CHECK_EQ("without LEG_RT: route 20 again", fake.irq_rises[20], 1);
    CHECK_EQ("GSI 0 idle", fake.irq_rises[0], 2);
}

/* The legacy route takes GSI 0 and 8 from the PIT and the RTC: their lines are cut off while it
   is on (timer 0 drives GSI 0 alone) and given back after. */
static void test_legacy_takes_isa_lines(void)
{
    setup();
    vdev_isa_timer_irq(FAKE_VM, 8, true); /* the RTC holds its line asserted */
    CHECK("RTC line up before the route", fake.irq[8]);
    w64(HPET_REG_CONFIG, HPET_CFG_ENABLE | HPET_CFG_LEG_RT);
    CHECK("route on: the HPET told the VMM", fake.hpet_legacy && fake.hpet_legacy_calls == 1);
    CHECK("route on: the RTC's level no longer reaches GSI 8", !fake.irq[8]);
    vdev_isa_timer_irq(FAKE_VM, 0, true);
    CHECK_EQ("route on: a PIT edge does not reach GSI 0", fake.irq_rises[0], 0);
    vdev_isa_timer_irq(FAKE_VM, 0, false);
    w64(HPET_REG_CONFIG, HPET_CFG_ENABLE | HPET_CFG_LEG_RT);
    CHECK_EQ("no call while the route stays on", fake.hpet_legacy_calls, 1);
    w64(HPET_REG_CONFIG, HPET_CFG_ENABLE);
    CHECK("route off: told", !fake.hpet_legacy && fake.hpet_legacy_calls == 2);
    CHECK("route off: the RTC's level is back on GSI 8", fake.irq[8]);
}

static void test_widths(void)
{
    setup();
    CHECK_EQ("byte read: all ones", fake_mmio_read(BASE + HPET_REG_CAP, 1), 0xff);
    CHECK_EQ("logged once", fake.logs, 1);
    fake_mmio_write(BASE + HPET_REG_CONFIG, 2, 1);
    fake_mmio_write(BASE + HPET_REG_CONFIG + 2, 4, 1);
    fake_mmio_write(BASE + HPET_REG_CONFIG + 4, 8, 1);
    CHECK_EQ("odd widths/alignment ignored", r64(HPET_REG_CONFIG), 0);
    CHECK_EQ("still one log", fake.logs, 1);
    CHECK_EQ("unaligned 32-bit read: all ones", fake_mmio_read(BASE + 2, 4), 0xffffffffu);
}

int main(void)
{
    test_registers();
    test_counter();
    test_oneshot_edge();
    test_level();
    test_periodic();
    test_32bit();
    test_legacy();
    test_legacy_takes_isa_lines();
    test_widths();
    return check_summary();
}
