/* SPDX-License-Identifier: MIT */
/* Host test of vmm/dev/lapic.c against the Intel SDM (vol. 3, "Advanced Programmable Interrupt Controller"). */

#include "dev/lapic.h"

#include "check.h"
#include "vdev_fake.h"

static struct lapic l;

static void setup(unsigned id, bool bsp)
{
    fake_reset();
    lapic_init(&l, FAKE_VM, id, bsp);
}

static uint32_t rd(unsigned off)
{
    return lapic_mmio_read(&l, off, 4);
}

static void wr(unsigned off, uint32_t v)
{
    lapic_mmio_write(&l, off, 4, v);
}

/* Software-enabled APIC with spurious vector 0xff. */
static void enable(void)
{
    wr(0xf0, 0x1ff);
}

static uint64_t msr(uint32_t index)
{
    uint64_t v = 0xdeadbeef;
    if (!lapic_msr_read(&l, index, &v))
        return 0xbadbadbadull;
    return v;
}

static bool esr_has(uint32_t bit)
{
    wr(0x280, 0);
    return rd(0x280) & bit;
}

static bool vec_set(unsigned base, unsigned v)
{
    return rd(base + 0x10 * (v / 32)) >> (v % 32) & 1;
}

static void to_x2apic(void)
{
    lapic_msr_write(&l, LAPIC_MSR_APIC_BASE, (l.base_msr & ~0xfffull) | LAPIC_BASE_EN | LAPIC_BASE_EXTD);
}

static void test_reset_values(void)
{
    setup(0, true);
    CHECK_EQ("BSP APIC_BASE", msr(0x1b), 0xfee00900);
    CHECK_EQ("ID", rd(0x20), 0);
    CHECK_EQ("version", rd(0x30), 0x50014);
    CHECK_EQ("TPR", rd(0x80), 0);
    CHECK_EQ("APR", rd(0x90), 0);
    CHECK_EQ("PPR", rd(0xa0), 0);
    CHECK_EQ("EOI reads 0", rd(0xb0), 0);
    CHECK_EQ("RRD", rd(0xc0), 0);
    CHECK_EQ("LDR", rd(0xd0), 0);
    CHECK_EQ("DFR all ones", rd(0xe0), 0xffffffff);
    CHECK_EQ("SVR 0xff (software disabled)", rd(0xf0), 0xff);
    bool zero = true;
    for (unsigned off = 0x100; off < 0x280; off += 0x10)
        zero &= rd(off) == 0;
    CHECK("ISR, TMR, IRR clear", zero);
    CHECK_EQ("ESR", rd(0x280), 0);
    CHECK_EQ("ICR low", rd(0x300), 0);
    CHECK_EQ("ICR high", rd(0x310), 0);
    bool masked = true;
    for (unsigned off = 0x320; off <= 0x370; off += 0x10)
        masked &= rd(off) == 0x10000;
    CHECK("all LVTs masked", masked);
    CHECK_EQ("initial count", rd(0x380), 0);
    CHECK_EQ("current count", rd(0x390), 0);
    CHECK_EQ("divide config", rd(0x3e0), 0);
    CHECK_EQ("TSC deadline", msr(0x6e0), 0);
    CHECK("xAPIC mode", lapic_enabled(&l) && !lapic_x2apic(&l));
    CHECK_EQ("base", lapic_base(&l), 0xfee00000);
    CHECK_EQ("nothing sent", fake.nipi + fake.neoi + fake.nmsi, 0);

    setup(3, false);
    CHECK_EQ("AP APIC_BASE", msr(0x1b), 0xfee00800);
    CHECK_EQ("AP ID in bits 31:24", rd(0x20), 0x03000000);
}

static void test_register_masks(void)
{
    setup(2, false);
    enable();
    wr(0x20, 0x07000000);
    CHECK_EQ("ID read-only", rd(0x20), 0x02000000);
    wr(0x30, 0);
    CHECK_EQ("version read-only", rd(0x30), 0x50014);
    wr(0x80, 0xffffffff);
    CHECK_EQ("TPR bits 7:0", rd(0x80), 0xff);
    wr(0x80, 0);
    wr(0xd0, 0xffffffff);
    CHECK_EQ("LDR bits 31:24", rd(0xd0), 0xff000000);
    wr(0xe0, 0);
    CHECK_EQ("DFR model 0, bits 27:0 ones", rd(0xe0), 0x0fffffff);
    wr(0xe0, 0x12345678);
    CHECK_EQ("DFR keeps bits 31:28", rd(0xe0), 0x1fffffff);
    wr(0xf0, 0xffffffff);
    CHECK_EQ("SVR bits 9:0", rd(0xf0), 0x3ff);
    wr(0x320, 0xfffeffff);
    CHECK_EQ("LVT timer bits", rd(0x320), 0x600ff);
    wr(0x330, 0xfffeffff);
    CHECK_EQ("LVT thermal bits", rd(0x330), 0x07ff);
    wr(0x340, 0xffffffff);
    CHECK_EQ("LVT perf bits", rd(0x340), 0x107ff);
    wr(0x350, 0xffffffff);
    CHECK_EQ("LVT LINT0 bits (remote IRR, status RO)", rd(0x350), 0x1a7ff);
    wr(0x360, 0xffffffff);
    CHECK_EQ("LVT LINT1 bits", rd(0x360), 0x1a7ff);
    wr(0x370, 0xffffffff);
    CHECK_EQ("LVT error bits", rd(0x370), 0x100ff);
    wr(0x3e0, 0xffffffff);
    CHECK_EQ("divide config bits 3,1:0", rd(0x3e0), 0xb);
    wr(0x390, 1234);
    CHECK_EQ("current count read-only", rd(0x390), 0);
    wr(0x200, 0xffffffff);
    wr(0x100, 0xffffffff);
    wr(0x180, 0xffffffff);
    CHECK("IRR/ISR/TMR read-only", rd(0x200) == 0 && rd(0x100) == 0 && rd(0x180) == 0);
    wr(0x310, 0xffffffff);
    CHECK_EQ("ICR high bits 31:24", rd(0x310), 0xff000000);
    wr(0x300, 0xffffffff);
    CHECK_EQ("ICR low writable bits, delivery status idle", rd(0x300), 0xccfff);
    CHECK_EQ("that write sent an IPI", fake.nipi, 1);
    CHECK_EQ("ESR still clean", rd(0x280), 0);

    unsigned logs = fake.logs;
    wr(0x80, 0x40);
    CHECK_EQ("unaligned read ignored", lapic_mmio_read(&l, 0x84, 4), 0);
    CHECK_EQ("byte read ignored", lapic_mmio_read(&l, 0x80, 1), 0);
    CHECK_EQ("8-byte read ignored", lapic_mmio_read(&l, 0x80, 8), 0);
    lapic_mmio_write(&l, 0x80, 1, 0x10);
    lapic_mmio_write(&l, 0x82, 4, 0x10);
    lapic_mmio_write(&l, 0x1080, 4, 0x10);
    CHECK_EQ("bad writes ignored", rd(0x80), 0x40);
    CHECK_EQ("logged once", fake.logs, logs + 1);

    wr(0x280, 0);
    CHECK_EQ("ESR clean before", rd(0x280), 0);
    CHECK_EQ("reserved register reads 0", rd(0x2f0), 0);
    CHECK("reserved register (CMCI, max LVT 5): illegal register address", esr_has(LAPIC_ESR_ILLEGAL_REG));
    wr(0x3f0, 0x40);
    CHECK("SELF IPI offset reserved in xAPIC", esr_has(LAPIC_ESR_ILLEGAL_REG));
    CHECK_EQ("and did not accept", rd(0x200 + 0x20 * 0), 0);
    CHECK("ESR write-then-read: cleared by the next write", !esr_has(0xff));
}

static void test_software_disable(void)
{
    setup(0, true);
    wr(0x320, 0x20);
    CHECK_EQ("disabled: LVT write keeps the mask", rd(0x320), 0x10020);
    lapic_accept(&l, 0x40, false);
    CHECK_EQ("disabled: fixed interrupts dropped", rd(0x220), 0);
    enable();
    CHECK_EQ("enabling leaves the mask set", rd(0x320), 0x10020);
    wr(0x350, 0x700);
    wr(0x320, 0x20);
    wr(0x370, 0xfe);
    CHECK("unmasked after enable", rd(0x350) == 0x700 && rd(0x320) == 0x20 && rd(0x370) == 0xfe);
    lapic_accept(&l, 0x40, false);
    CHECK("accepted while enabled", vec_set(0x200, 0x40));
    wr(0xf0, 0xff);
    bool masked = true;
    for (unsigned off = 0x320; off <= 0x370; off += 0x10)
        masked &= (rd(off) & 0x10000) != 0;
    CHECK("disable masks every LVT", masked);
    CHECK_EQ("LINT0 keeps its other bits", rd(0x350), 0x10700);
    wr(0x350, 0x700);
    CHECK_EQ("and it stays masked", rd(0x350), 0x10700);
    CHECK("IRR held while disabled", vec_set(0x200, 0x40));
    CHECK_EQ("held interrupt still pending", lapic_pending(&l), 0x40);
}

static void test_priority(void)
{
    setup(1, false);
    enable();
    wr(0x80, 0x20);
    CHECK_EQ("PPR = TPR without ISR", rd(0xa0), 0x20);
    lapic_accept(&l, 0x51, false);
    CHECK_EQ("pending 0x51", lapic_pending(&l), 0x51);
    lapic_ack(&l, 0x51);
    CHECK("ack: IRR -> ISR", !vec_set(0x200, 0x51) && vec_set(0x100, 0x51));
    CHECK_EQ("PPR = ISR class", rd(0xa0), 0x50);
    wr(0x80, 0x5f);
    CHECK_EQ("TPR class equal: PPR = TPR", rd(0xa0), 0x5f);
    wr(0x80, 0x4f);
    CHECK_EQ("TPR class below: PPR = ISR class", rd(0xa0), 0x50);
    wr(0x80, 0x61);
    CHECK_EQ("TPR above", rd(0xa0), 0x61);
    wr(0xb0, 0);
    CHECK_EQ("EOI: PPR back to TPR", rd(0xa0), 0x61);

    setup(1, false);
    enable();
    wr(0x80, 0x40);
    unsigned kicks = fake.kicks[1];
    lapic_accept(&l, 0x45, false);
    CHECK_EQ("same class as TPR: not pending", lapic_pending(&l), -1);
    CHECK_EQ("no kick for a blocked vector", fake.kicks[1], kicks);
    wr(0x80, 0x3f);
    CHECK_EQ("TPR lowered: pending", lapic_pending(&l), 0x45);
    CHECK_EQ("TPR lowered: kick", fake.kicks[1], kicks + 1);
    lapic_accept(&l, 0x50, false);
    CHECK_EQ("accept: kick", fake.kicks[1], kicks + 2);
    CHECK_EQ("highest wins", lapic_pending(&l), 0x50);
    CHECK_EQ("APR reads 0", rd(0x90), 0);
}

static void test_nesting(void)
{
    setup(0, true);
    enable();
    lapic_accept(&l, 0x31, false);
    lapic_accept(&l, 0x62, false);
    lapic_accept(&l, 0x45, false);
    lapic_accept(&l, 0x45, false);
    CHECK_EQ("IRR word 1", rd(0x210), 1u << (0x31 - 32));
    CHECK_EQ("IRR word 2", rd(0x220), 1u << (0x45 - 64));
    CHECK_EQ("IRR word 3", rd(0x230), 1u << (0x62 - 96));
    CHECK_EQ("highest first", lapic_pending(&l), 0x62);
    lapic_ack(&l, 0x62);
    CHECK_EQ("lower class blocked by ISR", lapic_pending(&l), -1);
    lapic_accept(&l, 0x6a, false);
    CHECK_EQ("same class blocked by ISR", lapic_pending(&l), -1);
    lapic_accept(&l, 0x71, false);
    CHECK_EQ("higher class nests", lapic_pending(&l), 0x71);
    lapic_ack(&l, 0x71);
    CHECK("ISR has both", vec_set(0x100, 0x71) && vec_set(0x100, 0x62));
    unsigned kicks = fake.kicks[0];
    wr(0xb0, 0);
    CHECK("EOI clears the highest ISR bit", !vec_set(0x100, 0x71) && vec_set(0x100, 0x62));
    CHECK_EQ("0x6a still blocked", lapic_pending(&l), -1);
    CHECK_EQ("no kick while nothing deliverable", fake.kicks[0], kicks);
    wr(0xb0, 0);
    CHECK_EQ("then 0x6a", lapic_pending(&l), 0x6a);
    CHECK_EQ("EOI with more pending kicks", fake.kicks[0], kicks + 1);
    lapic_ack(&l, 0x6a);
    wr(0xb0, 0);
    CHECK_EQ("then 0x45", lapic_pending(&l), 0x45);
    lapic_ack(&l, 0x45);
    wr(0xb0, 0);
    CHECK_EQ("then 0x31", lapic_pending(&l), 0x31);
    lapic_ack(&l, 0x31);
    wr(0xb0, 0);
    CHECK_EQ("empty", lapic_pending(&l), -1);
    wr(0xb0, 0);
    CHECK_EQ("EOI with empty ISR harmless", fake.neoi, 0);
    lapic_accept(&l, 16, false);
    CHECK_EQ("vector 16 is legal", lapic_pending(&l), 16);
}

static void test_eoi_tmr(void)
{
    setup(0, true);
    enable();
    lapic_accept(&l, 0x40, true);
    CHECK("level sets TMR", vec_set(0x180, 0x40));
    lapic_accept(&l, 0x41, false);
    CHECK("edge leaves TMR clear", !vec_set(0x180, 0x41));
    lapic_ack(&l, 0x41);
    wr(0xb0, 0);
    CHECK_EQ("edge EOI: no vdev_eoi", fake.neoi, 0);
    lapic_ack(&l, 0x40);
    CHECK("TMR stays while in service", vec_set(0x180, 0x40));
    wr(0xb0, 0);
    CHECK_EQ("level EOI: vdev_eoi", fake.neoi, 1);
    CHECK_EQ("with the vector", fake.last_eoi, 0x40);
    lapic_accept(&l, 0x40, false);
    CHECK("edge acceptance clears TMR", !vec_set(0x180, 0x40));
}

static void test_esr(void)
{
    setup(0, true);
    enable();
    lapic_accept(&l, 5, false);
    CHECK_EQ("illegal vector dropped", lapic_pending(&l), -1);
    CHECK_EQ("ESR reads the old value before a write", rd(0x280), 0);
    wr(0x280, 0);
    CHECK_EQ("receive illegal vector", rd(0x280), LAPIC_ESR_RECV_ILLEGAL);
    wr(0x280, 0);
    CHECK_EQ("next write clears", rd(0x280), 0);

    wr(0x370, 0xfe);
    lapic_accept(&l, 15, false);
    CHECK_EQ("LVT error interrupt", lapic_pending(&l), 0xfe);
    wr(0x300, 0x0003);
    CHECK_EQ("fixed IPI with vector 3 not sent", fake.nipi, 0);
    wr(0x280, 0);
    CHECK_EQ("send + receive illegal", rd(0x280), LAPIC_ESR_SEND_ILLEGAL | LAPIC_ESR_RECV_ILLEGAL);
    wr(0x370, 0x05); /* an illegal error vector must not loop */
    lapic_accept(&l, 1, false);
    wr(0x280, 0);
    CHECK_EQ("illegal error vector: logged once, no loop", rd(0x280), LAPIC_ESR_RECV_ILLEGAL);
}

static void test_ipi_xapic(void)
{
    setup(2, false);
    enable();
    wr(0x310, 0x03000000);
    wr(0x300, 0x40f3);
    CHECK_EQ("one IPI", fake.nipi, 1);
    CHECK_EQ("source", fake.ipi_src, 2);
    CHECK_EQ("icr_low", fake.ipi_icr_low, 0x40f3);
    CHECK_EQ("dest = ICR bits 63:56", fake.ipi_dest, 3);
    CHECK_EQ("delivery status idle", rd(0x300) & (1u << 12), 0);
    wr(0x310, 0x01000000);
    CHECK_EQ("ICR high write alone sends nothing", fake.nipi, 1);
    wr(0x300, 0xc500);
    CHECK("INIT assert level", fake.nipi == 2 && fake.ipi_icr_low == 0xc500 && fake.ipi_dest == 1);
    wr(0x300, 0x4608);
    CHECK("SIPI with vector 8 is legal", fake.nipi == 3 && fake.ipi_icr_low == 0x4608);
    wr(0x300, 0x0400);
    CHECK("NMI vector 0 is legal", fake.nipi == 4 && fake.ipi_icr_low == 0x0400);
    wr(0x300, 0xc0000 | 0x0840 | 0x4000);
    CHECK("all-excluding-self logical", fake.nipi == 5 && fake.ipi_icr_low == 0xc4840);
    wr(0x300, 0x40000 | 0x41);
    CHECK("self shorthand goes through vdev_ipi", fake.nipi == 6 && fake.ipi_icr_low == 0x40041);
    CHECK_EQ("and is not accepted locally", lapic_pending(&l), -1);
}

static void test_apic_base(void)
{
    setup(0, true);
    CHECK("reserved bit 0: #GP", !lapic_msr_write(&l, 0x1b, 0xfee00901));
    CHECK("reserved bit 9: #GP", !lapic_msr_write(&l, 0x1b, 0xfee00b00));
    CHECK("reserved bit 63: #GP", !lapic_msr_write(&l, 0x1b, 0x80000000fee00900ull));
    CHECK("EXTD without EN: #GP", !lapic_msr_write(&l, 0x1b, 0xfee00500));
    CHECK_EQ("unchanged after #GPs", msr(0x1b), 0xfee00900);
    CHECK("same value: ok", lapic_msr_write(&l, 0x1b, 0xfee00900));
    CHECK("BSP bit: write ignored", lapic_msr_write(&l, 0x1b, 0xfee00800) && msr(0x1b) == 0xfee00900);

    CHECK("x2APIC MSR outside x2APIC mode: #GP", msr(0x802) == 0xbadbadbadull);
    CHECK("x2APIC MSR write outside x2APIC mode: #GP", !lapic_msr_write(&l, 0x808, 0));
    enable();
    wr(0x80, 0x30);
    CHECK("xAPIC -> x2APIC", lapic_msr_write(&l, 0x1b, 0xfee00d00) && lapic_x2apic(&l));
    CHECK_EQ("state kept across the switch", msr(0x808), 0x30);
    CHECK("x2APIC -> xAPIC: #GP", !lapic_msr_write(&l, 0x1b, 0xfee00900));
    CHECK("x2APIC -> invalid: #GP", !lapic_msr_write(&l, 0x1b, 0xfee00500));
    CHECK("x2APIC -> x2APIC ok", lapic_msr_write(&l, 0x1b, 0xfee00d00));
    CHECK("x2APIC -> disabled", lapic_msr_write(&l, 0x1b, 0xfee00100) && !lapic_enabled(&l));
    CHECK_EQ("disabled: BSP still reads", msr(0x1b), 0xfee00100);
    CHECK("disabled -> x2APIC: #GP", !lapic_msr_write(&l, 0x1b, 0xfee00d00));
    CHECK("disabled -> xAPIC", lapic_msr_write(&l, 0x1b, 0xfee00900) && !lapic_x2apic(&l));
    CHECK("registers back at power-up values", rd(0x80) == 0 && rd(0xf0) == 0xff && rd(0x320) == 0x10000);
    CHECK_EQ("disabled page reads all ones", (lapic_msr_write(&l, 0x1b, 0xfee00000), rd(0x30)), 0xffffffff);
    lapic_accept(&l, 0x40, false);
    CHECK_EQ("disabled: nothing pending", lapic_pending(&l), -1);
    unsigned logs = fake.logs;
    CHECK("relocate", lapic_msr_write(&l, 0x1b, 0xfed00800) && lapic_base(&l) == 0xfed00000);
    CHECK_EQ("relocation logged", fake.logs, logs + 1);
    CHECK("physical address bits above 51: #GP", !lapic_msr_write(&l, 0x1b, 0x0010000000000800ull));
    CHECK("unknown MSR: #GP", msr(0x10) == 0xbadbadbadull && !lapic_msr_write(&l, 0x10, 0));
    CHECK("lapic_is_msr", lapic_is_msr(0x1b) && lapic_is_msr(0x6e0) && lapic_is_msr(0x800) && lapic_is_msr(0x8ff)
                              && !lapic_is_msr(0x900) && !lapic_is_msr(0x7ff) && !lapic_is_msr(0x10));
}

static void test_x2apic_msrs(void)
{
    setup(0x13, false);
    enable();
    to_x2apic();
    CHECK("in x2APIC", lapic_x2apic(&l));
    CHECK_EQ("MMIO page off in x2APIC", rd(0x30), 0xffffffff);
    CHECK_EQ("32-bit ID", msr(0x802), 0x13);
    CHECK_EQ("version", msr(0x803), 0x50014);
    CHECK_EQ("LDR cluster 1, bit 3", msr(0x80d), 0x10008);
    CHECK_EQ("SVR", msr(0x80f), 0x1ff);
    CHECK("ID write: #GP", !lapic_msr_write(&l, 0x802, 0x13));
    CHECK("version write: #GP", !lapic_msr_write(&l, 0x803, 0));
    CHECK("LDR write: #GP", !lapic_msr_write(&l, 0x80d, 0x10008));
    CHECK("PPR write: #GP", !lapic_msr_write(&l, 0x80a, 0));
    CHECK("ISR write: #GP", !lapic_msr_write(&l, 0x810, 0));
    CHECK("IRR write: #GP", !lapic_msr_write(&l, 0x827, 0));
    CHECK("current count write: #GP", !lapic_msr_write(&l, 0x839, 0));
    CHECK("no DFR", msr(0x80e) == 0xbadbadbadull && !lapic_msr_write(&l, 0x80e, 0));
    CHECK("no APR", msr(0x809) == 0xbadbadbadull);
    CHECK("no RRD", msr(0x80c) == 0xbadbadbadull);
    CHECK("no ICR high", msr(0x831) == 0xbadbadbadull && !lapic_msr_write(&l, 0x831, 0));
    CHECK("no CMCI", msr(0x82f) == 0xbadbadbadull);
    CHECK("reserved 0x800, 0x840, 0x8ff", msr(0x800) == 0xbadbadbadull && msr(0x840) == 0xbadbadbadull
                                              && !lapic_msr_write(&l, 0x8ff, 0));
    CHECK("EOI read: #GP (write-only)", msr(0x80b) == 0xbadbadbadull);
    CHECK("SELF IPI read: #GP (write-only)", msr(0x83f) == 0xbadbadbadull);
    CHECK("TPR reserved bits: #GP", !lapic_msr_write(&l, 0x808, 0x100));
    CHECK("upper half reserved: #GP", !lapic_msr_write(&l, 0x808, 1ull << 32));
    CHECK("TPR write", lapic_msr_write(&l, 0x808, 0x20) && msr(0x808) == 0x20);
    CHECK("SVR reserved bit 12: #GP", !lapic_msr_write(&l, 0x80f, 0x11ff));
    CHECK("LVT reserved bit 20: #GP", !lapic_msr_write(&l, 0x832, 0x100020));
    CHECK("LVT timer mode 3: #GP", !lapic_msr_write(&l, 0x832, 0x60020));
    CHECK("LVT LINT0 with RO bits written as read", lapic_msr_write(&l, 0x835, 0x15700) && msr(0x835) == 0x10700);
    CHECK("DCR bit 2 reserved: #GP", !lapic_msr_write(&l, 0x83e, 4));
    CHECK("DCR write", lapic_msr_write(&l, 0x83e, 0xb) && msr(0x83e) == 0xb);
    CHECK("ESR non-zero write: #GP", !lapic_msr_write(&l, 0x828, 1));
    CHECK("ESR zero write", lapic_msr_write(&l, 0x828, 0) && msr(0x828) == 0);
    CHECK("EOI non-zero: #GP", !lapic_msr_write(&l, 0x80b, 1));

    CHECK("SELF IPI", lapic_msr_write(&l, 0x83f, 0x55));
    CHECK_EQ("self IPI accepted locally", lapic_pending(&l), 0x55);
    CHECK_EQ("without vdev_ipi", fake.nipi, 0);
    CHECK("IRR via MSR", msr(0x822) & (1u << (0x55 - 64)));
    lapic_ack(&l, 0x55);
    CHECK("ISR via MSR", msr(0x812) & (1u << (0x55 - 64)));
    CHECK_EQ("PPR via MSR", msr(0x80a), 0x50);
    CHECK("EOI zero", lapic_msr_write(&l, 0x80b, 0) && msr(0x812) == 0);
    CHECK("SELF IPI reserved bits: #GP", !lapic_msr_write(&l, 0x83f, 0x155));
    CHECK("SELF IPI illegal vector", lapic_msr_write(&l, 0x83f, 0x05) && lapic_pending(&l) == -1);
    lapic_msr_write(&l, 0x828, 0);
    CHECK_EQ("send illegal vector", msr(0x828), LAPIC_ESR_SEND_ILLEGAL);

    CHECK("ICR 64-bit", lapic_msr_write(&l, 0x830, 0x12345ull << 32 | 0x40f3));
    CHECK("IPI sent", fake.nipi == 1 && fake.ipi_src == 0x13 && fake.ipi_icr_low == 0x40f3);
    CHECK_EQ("full 32-bit destination", fake.ipi_dest, 0x12345);
    CHECK_EQ("ICR reads back", msr(0x830), 0x12345ull << 32 | 0x40f3);
    CHECK("ICR bit 12 reserved in x2APIC: #GP", !lapic_msr_write(&l, 0x830, 0x10f3));
    CHECK("ICR bit 13 reserved: #GP", !lapic_msr_write(&l, 0x830, 0x20f3));
    CHECK("ICR bit 20 reserved: #GP", !lapic_msr_write(&l, 0x830, 0x1000f3));
    CHECK_EQ("no IPI from faulting writes", fake.nipi, 1);
    CHECK("ICR broadcast", lapic_msr_write(&l, 0x830, 0xffffffffull << 32 | 0x80000 | 0xf0));
    CHECK_EQ("broadcast destination", fake.ipi_dest, 0xffffffff);
}

static void test_matches(void)
{
    setup(2, false);
    CHECK("physical own ID", lapic_matches(&l, 2, false, true));
    CHECK("physical other ID", !lapic_matches(&l, 3, false, true));
    CHECK("physical broadcast", lapic_matches(&l, 0xff, false, true));
    CHECK("physical 0xff without broadcast", !lapic_matches(&l, 0xff, false, false));
    wr(0xd0, 0x04000000);
    CHECK("flat: own bit", lapic_matches(&l, 0x04, true, false));
    CHECK("flat: set of CPUs", lapic_matches(&l, 0x06, true, false));
    CHECK("flat: others", !lapic_matches(&l, 0x03, true, false));
    CHECK("flat: broadcast", lapic_matches(&l, 0xff, true, true));
    CHECK("logical is not physical", !lapic_matches(&l, 0x02, true, false));
    wr(0xe0, 0x0fffffff);
    wr(0xd0, 0x21000000);
    CHECK("cluster: own", lapic_matches(&l, 0x21, true, false));
    CHECK("cluster: set", lapic_matches(&l, 0x23, true, false));
    CHECK("cluster: other cluster", !lapic_matches(&l, 0x11, true, false));
    CHECK("cluster: other member", !lapic_matches(&l, 0x22, true, false));
    CHECK("cluster: broadcast", lapic_matches(&l, 0xff, true, true));

    setup(0x13, false);
    to_x2apic();
    CHECK("x2APIC physical", lapic_matches(&l, 0x13, false, false));
    CHECK("x2APIC physical other", !lapic_matches(&l, 0x113, false, true));
    CHECK("x2APIC 0xff is an ID, not broadcast", !lapic_matches(&l, 0xff, false, true));
    CHECK("x2APIC broadcast", lapic_matches(&l, 0xffffffff, false, true));
    CHECK("x2APIC all ones without broadcast", !lapic_matches(&l, 0xffffffff, false, false));
    CHECK("x2APIC cluster own", lapic_matches(&l, 0x10008, true, false));
    CHECK("x2APIC cluster set", lapic_matches(&l, 0x1000f, true, false));
    CHECK("x2APIC other cluster", !lapic_matches(&l, 0x00008, true, false));
    CHECK("x2APIC other member", !lapic_matches(&l, 0x10001, true, false));
    CHECK("x2APIC logical broadcast", lapic_matches(&l, 0xffffffff, true, true));
    lapic_msr_write(&l, 0x1b, 0);
    CHECK("disabled APIC matches nothing", !lapic_matches(&l, 0x13, false, true) &&
                                               !lapic_matches(&l, 0xffffffff, false, true));
}

static void test_extint(void)
{
    setup(0, true);
    CHECK("power-on (software disabled): INTR passes", lapic_extint_ok(&l));
    enable();
    CHECK("enabled, LINT0 masked: blocked", !lapic_extint_ok(&l));
    wr(0x350, 0x700);
    CHECK("LINT0 ExtINT: passes", lapic_extint_ok(&l));
    wr(0x350, 0x10700);
    CHECK("LINT0 ExtINT masked: blocked", !lapic_extint_ok(&l));
    wr(0x350, 0x030);
    CHECK("LINT0 fixed: blocked", !lapic_extint_ok(&l));
    lapic_msr_write(&l, 0x1b, 0xfee00100);
    CHECK("globally disabled: passes", lapic_extint_ok(&l));
}

static void test_timer_oneshot(void)
{
    setup(1, false);
    enable();
    wr(0x320, 0x20);
    wr(0x3e0, 0xb);
    wr(0x380, 1000);
    CHECK_EQ("initial count", rd(0x380), 1000);
    CHECK_EQ("current = initial at start", rd(0x390), 1000);
    fake_advance(300);
    CHECK_EQ("current after 300 ns", rd(0x390), 700);
    fake_advance(699);
    CHECK_EQ("one tick left", rd(0x390), 1);
    CHECK_EQ("not yet", lapic_pending(&l), -1);
    unsigned kicks = fake.kicks[1];
    fake_advance(1);
    CHECK_EQ("expired: timer vector", lapic_pending(&l), 0x20);
    CHECK_EQ("kicked", fake.kicks[1], kicks + 1);
    CHECK_EQ("current stays 0", rd(0x390), 0);
    CHECK_EQ("initial keeps its value", rd(0x380), 1000);
    lapic_ack(&l, 0x20);
    wr(0xb0, 0);
    fake_advance(5000);
    CHECK_EQ("one-shot fires once", lapic_pending(&l), -1);
    CHECK_EQ("nothing armed", fake_next_deadline(), UINT64_MAX);

    static const struct { uint32_t dcr; unsigned div; const char *name; } divs[] = {
        {0x0, 2, "divide by 2"}, {0x1, 4, "divide by 4"}, {0x2, 8, "divide by 8"}, {0x3, 16, "divide by 16"},
        {0x8, 32, "divide by 32"}, {0x9, 64, "divide by 64"}, {0xa, 128, "divide by 128"}, {0xb, 1, "divide by 1"},
    };
    for (unsigned i = 0; i < 8; i++) {
        wr(0x3e0, divs[i].dcr);
        wr(0x380, 1000);
        uint64_t start = fake.now_ns;
        fake_advance(divs[i].div * 10ull + divs[i].div - 1);
        CHECK_EQ(divs[i].name, rd(0x390), 990);
        fake_advance(1);
        CHECK_EQ("next tick after another divisor's worth", rd(0x390), 989);
        CHECK_EQ("expiry at initial * divisor", fake_next_deadline(), start + 1000ull * divs[i].div);
    }
    wr(0x380, 0);
    CHECK_EQ("writing 0 stops", fake_next_deadline(), UINT64_MAX);
    CHECK_EQ("current 0 when stopped", rd(0x390), 0);

    wr(0x3e0, 0xb);
    wr(0x380, 1000);
    fake_advance(400);
    wr(0x3e0, 0x0);
    CHECK_EQ("divider change keeps the count", rd(0x390), 600);
    fake_advance(200);
    CHECK_EQ("and counts at the new rate", rd(0x390), 500);
    fake_advance(999);
    CHECK_EQ("not yet", lapic_pending(&l), -1);
    fake_advance(1);
    CHECK_EQ("expired at 400 + 600*2", lapic_pending(&l), 0x20);

    setup(1, false);
    enable();
    wr(0x320, 0x10022);
    wr(0x3e0, 0xb);
    wr(0x380, 10);
    fake_advance(5);
    CHECK_EQ("masked: counts", rd(0x390), 5);
    fake_advance(5);
    CHECK_EQ("masked: no interrupt", lapic_pending(&l), -1);
    CHECK_EQ("masked: no IRR", rd(0x210), 0);

    wr(0x320, 0x22);
    wr(0x380, 10);
    wr(0xf0, 0xff);
    fake_advance(10);
    CHECK_EQ("software disabled: timer masked", rd(0x210), 0);
}

static void test_timer_periodic(void)
{
    setup(0, true);
    enable();
    wr(0x320, 0x20021);
    wr(0x3e0, 0xb);
    wr(0x380, 100);
    fake_advance(100);
    CHECK_EQ("first period", lapic_pending(&l), 0x21);
    CHECK_EQ("reloaded", rd(0x390), 100);
    fake_advance(30);
    CHECK_EQ("counting again", rd(0x390), 70);
    lapic_ack(&l, 0x21);
    wr(0xb0, 0);
    fake_advance(70);
    CHECK_EQ("second period", lapic_pending(&l), 0x21);
    CHECK_EQ("re-armed from the expiry time", fake_next_deadline(), 300);

    lapic_ack(&l, 0x21);
    wr(0xb0, 0);
    fake.now_ns += 1050; /* the VMM was late by 10.5 periods */
    CHECK_EQ("current count while the expiry is late", rd(0x390), 50);
    unsigned kicks = fake.kicks[0];
    fake_advance(0);
    CHECK_EQ("late: one interrupt", fake.kicks[0], kicks + 1);
    CHECK_EQ("coalesced onto the period grid", fake_next_deadline(), 1300);
    CHECK_EQ("current count on the grid", rd(0x390), 50);

    wr(0x320, 0x30021);
    CHECK_EQ("masked periodic keeps running", fake_next_deadline(), 1300);
    lapic_ack(&l, 0x21);
    wr(0xb0, 0);
    fake_advance(500);
    CHECK_EQ("masked: silent", lapic_pending(&l), -1);
    CHECK_EQ("masked: still re-arming", fake_next_deadline(), 1800);

    wr(0x320, 0x00021);
    CHECK_EQ("mode change disarms", fake_next_deadline(), UINT64_MAX);
    CHECK_EQ("current 0 after disarm", rd(0x390), 0);
    fake_advance(1000);
    CHECK_EQ("no interrupt after disarm", lapic_pending(&l), -1);
}

static void test_timer_tsc_deadline(void)
{
    setup(0, true);
    enable();
    wr(0x320, 0x23);
    CHECK("TSC deadline write in one-shot mode ignored", lapic_msr_write(&l, 0x6e0, 1000) && msr(0x6e0) == 0);
    CHECK_EQ("nothing armed", fake_next_deadline(), UINT64_MAX);
    wr(0x320, 0x40023);
    wr(0x380, 500);
    CHECK_EQ("initial count ignored in TSC-deadline mode", rd(0x380), 0);
    CHECK_EQ("current count 0", rd(0x390), 0);
    CHECK_EQ("nothing armed by the count", fake_next_deadline(), UINT64_MAX);

    fake_advance(1000);                       /* TSC at 2 GHz = 2000 */
    CHECK("arm", lapic_msr_write(&l, 0x6e0, 4000));
    CHECK_EQ("reads back", msr(0x6e0), 4000);
    CHECK_EQ("deadline in ns", fake_next_deadline(), 2000);
    fake_advance(999);
    CHECK_EQ("not yet", lapic_pending(&l), -1);
    fake_advance(1);
    CHECK_EQ("fired", lapic_pending(&l), 0x23);
    CHECK_EQ("MSR cleared after firing", msr(0x6e0), 0);
    lapic_ack(&l, 0x23);
    wr(0xb0, 0);

    lapic_msr_write(&l, 0x6e0, 100);
    CHECK_EQ("deadline in the past: immediate", lapic_pending(&l), 0x23);
    CHECK_EQ("and cleared", msr(0x6e0), 0);
    lapic_ack(&l, 0x23);
    wr(0xb0, 0);

    lapic_msr_write(&l, 0x6e0, 10000);
    lapic_msr_write(&l, 0x6e0, 0);
    CHECK_EQ("writing 0 disarms", fake_next_deadline(), UINT64_MAX);
    fake_advance(10000);
    CHECK_EQ("nothing fires", lapic_pending(&l), -1);

    fake.tsc_hz = 3000000000ull;               /* now 12000 ns = TSC 36000 */
    lapic_msr_write(&l, 0x6e0, 36010);        /* 3.33 ns ahead: rounds up to 4 */
    CHECK_EQ("rounded up so the TSC has reached it", fake_next_deadline(), 12004);
    lapic_msr_write(&l, 0x6e0, 0xffffffffffffffffull);
    CHECK_EQ("huge deadline without overflow", fake_next_deadline(), 0x5555555555555555ull);
    fake.tsc_hz = 1000000;
    lapic_msr_write(&l, 0x6e0, 0xffffffffffffffffull);
    CHECK_EQ("beyond 2^64 ns: never", fake_next_deadline(), UINT64_MAX);
    fake.tsc_hz = 2000000000ull;

    lapic_msr_write(&l, 0x6e0, 1000000);
    wr(0x320, 0x00023);
    CHECK_EQ("leaving TSC-deadline mode disarms", fake_next_deadline(), UINT64_MAX);
    wr(0x320, 0x40023);
    CHECK_EQ("deadline cleared", msr(0x6e0), 0);
    lapic_msr_write(&l, 0x6e0, 30000);
    wr(0x320, 0x50023);
    CHECK_EQ("masking keeps the deadline", msr(0x6e0), 30000);
    fake_advance(10000);
    CHECK_EQ("masked deadline: silent", lapic_pending(&l), -1);
    CHECK_EQ("masked deadline: consumed", msr(0x6e0), 0);
}

static void test_init_reset(void)
{
    setup(1, false);
    enable();
    wr(0x80, 0x20);
    wr(0xd0, 0x02000000);
    wr(0x320, 0x20);
    wr(0x380, 100);
    lapic_accept(&l, 0x40, true);
    lapic_reset(&l);
    CHECK_EQ("INIT keeps APIC_BASE", msr(0x1b), 0xfee00800);
    CHECK_EQ("INIT keeps ID", rd(0x20), 0x01000000);
    CHECK("INIT resets registers", rd(0x80) == 0 && rd(0xd0) == 0 && rd(0xf0) == 0xff && rd(0x320) == 0x10000 &&
                                       rd(0x220) == 0 && rd(0x180 + 0x20) == 0 && rd(0x380) == 0);
    CHECK_EQ("INIT stops the timer", fake_next_deadline(), UINT64_MAX);
    enable();
    to_x2apic();
    lapic_reset(&l);
    CHECK("INIT keeps x2APIC mode", lapic_x2apic(&l) && msr(0x802) == 1);

    struct lapic other;
    lapic_init(&other, FAKE_VM, 2, false);
    lapic_msr_write(&l, 0x80f, 0x1ff);
    lapic_mmio_write(&other, 0xf0, 4, 0x1ff);
    lapic_accept(&other, 0x77, false);
    CHECK("instances independent", lapic_pending(&other) == 0x77 && lapic_pending(&l) == -1);
}

int main(void)
{
    test_reset_values();
    test_register_masks();
    test_software_disable();
    test_priority();
    test_nesting();
    test_eoi_tmr();
    test_esr();
    test_ipi_xapic();
    test_apic_base();
    test_x2apic_msrs();
    test_matches();
    test_extint();
    test_timer_oneshot();
    test_timer_periodic();
    test_timer_tsc_deadline();
    test_init_reset();
    return check_summary();
}
