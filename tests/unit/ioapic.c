/* SPDX-License-Identifier: MIT */
/* Host test of vmm/dev/ioapic.c against the 82093AA datasheet (plus the version 0x20 EOI register). */

#include "dev/ioapic.h"

#include "check.h"
#include "vdev_fake.h"

#define BASE 0xfec00000ull

static struct ioapic io;

static void setup(void)
{
    fake_reset();
    ioapic_init(&io, FAKE_VM, BASE, 1);
}

static uint32_t rd(uint32_t index)
{
    fake_mmio_write(BASE, 4, index);
    return (uint32_t)fake_mmio_read(BASE + 0x10, 4);
}

static void wr(uint32_t index, uint32_t value)
{
    fake_mmio_write(BASE, 4, index);
    fake_mmio_write(BASE + 0x10, 4, value);
}

static void rte(unsigned pin, uint32_t low, uint32_t high)
{
    wr(0x11 + 2 * pin, high);
    wr(0x10 + 2 * pin, low);
}

static void test_registers(void)
{
    setup();
    CHECK("claims the page", fake_mmio_claimed(BASE) && fake_mmio_claimed(BASE + 0x40));
    CHECK("not beyond 4 KiB", !fake_mmio_claimed(BASE + 0x1000));
    CHECK_EQ("ID after init", rd(0), 1u << 24);
    CHECK_EQ("version", rd(1), 0x00170020);
    CHECK_EQ("arbitration ID", rd(2), 1u << 24);
    wr(0, 0xffffffff);
    CHECK_EQ("ID writes bits 27:24 only", rd(0), 0x0f000000);
    wr(0, 0x03000000);
    CHECK_EQ("ID written", rd(0), 0x03000000);
    CHECK_EQ("arbitration follows", rd(2), 0x03000000);
    wr(1, 0);
    CHECK_EQ("version read-only", rd(1), 0x00170020);
    wr(2, 0x0f000000);
    CHECK_EQ("arbitration read-only", rd(2), 0x03000000);
    fake_mmio_write(BASE, 4, 0x12345);
    CHECK_EQ("IOREGSEL keeps 8 bits", fake_mmio_read(BASE, 4), 0x45);
    CHECK_EQ("unknown index reads 0", rd(0x03), 0);
    CHECK_EQ("index past the table reads 0", rd(0x10 + 48), 0);
    wr(0x10 + 48, 0xffffffff);
    CHECK_EQ("write past the table ignored (pin 23 intact)", rd(0x10 + 46), 0x10000);

    bool all_masked = true;
    for (unsigned pin = 0; pin < 24; pin++)
        all_masked &= rd(0x10 + 2 * pin) == 0x10000 && rd(0x11 + 2 * pin) == 0;
    CHECK("reset: every entry masked, all else 0", all_masked);

    wr(0x10, 0xffffffff);
    CHECK_EQ("RTE low: status and remote IRR read-only", rd(0x10), 0x1afff);
    wr(0x11, 0xffffffff);
    CHECK_EQ("RTE high: only the destination", rd(0x11), 0xff000000);
    wr(0x10 + 2 * 23, 0x0000a9b1);
    CHECK_EQ("RTE 23 low round trip", rd(0x10 + 2 * 23), 0xa9b1);
    CHECK_EQ("RTE 22 untouched", rd(0x10 + 2 * 22), 0x10000);

    unsigned logs = fake.logs;
    fake_mmio_write(BASE, 4, 0x45);
    fake_mmio_write(BASE, 1, 0x10);
    CHECK_EQ("byte write to IOREGSEL ignored", fake_mmio_read(BASE, 4), 0x45);
    CHECK_EQ("bad-width read all ones", fake_mmio_read(BASE + 0x10, 2), 0xffff);
    CHECK_EQ("reserved offset reads all ones", fake_mmio_read(BASE + 0x20, 4), 0xffffffff);
    CHECK_EQ("bad accesses logged once", fake.logs, logs + 1);
    CHECK_EQ("EOI register reads 0", fake_mmio_read(BASE + 0x40, 4), 0);

    ioapic_reset(&io);
    CHECK_EQ("reset masks again", rd(0x10 + 2 * 23), 0x10000);
    CHECK_EQ("reset keeps the ID", rd(0), 0x03000000);
}

static void test_edge(void)
{
    setup();
    ioapic_set_irq(&io, 4, true);
    ioapic_set_irq(&io, 4, false);
    CHECK_EQ("masked at reset: nothing", fake.nmsi, 0);
    rte(4, 0x0031, 0x02000000);
    CHECK_EQ("unmasking an edge pin sends nothing", fake.nmsi, 0);
    ioapic_set_irq(&io, 4, true);
    CHECK_EQ("rising edge delivers", fake.nmsi, 1);
    CHECK_EQ("address: physical dest 2", fake.msi[0].address, 0xfee02000);
    CHECK_EQ("data: vector, fixed, assert, edge", fake.msi[0].data, 0x4031);
    CHECK_EQ("edge: no remote IRR", rd(0x18) & (1u << 14), 0);
    ioapic_set_irq(&io, 4, true);
    CHECK_EQ("a held line is no new edge", fake.nmsi, 1);
    ioapic_set_irq(&io, 4, false);
    ioapic_set_irq(&io, 4, true);
    CHECK_EQ("second edge delivers", fake.nmsi, 2);
    ioapic_set_irq(&io, 4, false);

    rte(4, 0x10031, 0x02000000);
    ioapic_set_irq(&io, 4, true);
    rte(4, 0x0031, 0x02000000);
    CHECK_EQ("an edge while masked is lost", fake.nmsi, 2);
    ioapic_set_irq(&io, 4, false);

    rte(5, 0x0942, 0x0f000000);     /* lowest priority, logical, dest 0x0f */
    ioapic_set_irq(&io, 5, true);
    CHECK_EQ("logical: address bit 2 and dest", fake.msi[2].address, 0xfee0f004);
    CHECK_EQ("lowest priority mode in data", fake.msi[2].data, 0x4142);

    rte(6, 0x8400, 0x01000000);     /* NMI programmed level: treated as edge */
    ioapic_set_irq(&io, 6, true);
    CHECK_EQ("NMI data, edge", fake.msi[3].data, 0x4400);
    CHECK_EQ("NMI sets no remote IRR", rd(0x1c) & (1u << 14), 0);
    rte(7, 0x0700, 0);              /* ExtINT */
    ioapic_set_irq(&io, 7, true);
    CHECK_EQ("ExtINT data", fake.msi[4].data, 0x4700);
    rte(8, 0x0500, 0);              /* INIT */
    ioapic_set_irq(&io, 8, true);
    CHECK_EQ("INIT data", fake.msi[5].data, 0x4500);
    rte(9, 0x0220, 0);              /* SMI: not supported */
    ioapic_set_irq(&io, 9, true);
    CHECK_EQ("SMI dropped", fake.nmsi, 6);

    rte(3, 0x2050, 0);              /* active low: the line is given in asserted terms */
    ioapic_set_irq(&io, 3, true);
    CHECK_EQ("polarity stored", rd(0x16), 0x2050);
    CHECK_EQ("active-low pin delivers on assertion", fake.nmsi, 7);
    ioapic_set_irq(&io, 24, true);
    ioapic_set_irq(&io, 1000, true);
    CHECK_EQ("pins out of range ignored", fake.nmsi, 7);
}

static void test_level(void)
{
    setup();
    rte(10, 0x8061, 0x01000000);
    ioapic_set_irq(&io, 10, true);
    CHECK_EQ("level delivers", fake.nmsi, 1);
    CHECK_EQ("level data: trigger bit", fake.msi[0].data, 0xc061);
    CHECK_EQ("remote IRR set", rd(0x10 + 20), 0xc061);
    ioapic_set_irq(&io, 10, true);
    CHECK_EQ("no redelivery while remote IRR", fake.nmsi, 1);
    wr(0x10 + 20, 0x8061 | 0x4000);
    CHECK_EQ("guest cannot clear remote IRR", rd(0x10 + 20), 0xc061);

    ioapic_eoi(&io, 0x62);
    CHECK_EQ("EOI of another vector: remote IRR stays", rd(0x10 + 20) & 0x4000, 0x4000);
    ioapic_eoi(&io, 0x61);
    CHECK_EQ("EOI with the line asserted redelivers", fake.nmsi, 2);
    CHECK_EQ("remote IRR set again", rd(0x10 + 20) & 0x4000, 0x4000);
    ioapic_set_irq(&io, 10, false);
    fake_mmio_write(BASE + 0x40, 4, 0x61);
    CHECK_EQ("EOI register clears remote IRR", rd(0x10 + 20), 0x8061);
    CHECK_EQ("deasserted: no redelivery", fake.nmsi, 2);

    ioapic_set_irq(&io, 10, true);
    CHECK_EQ("assert again delivers", fake.nmsi, 3);
    ioapic_set_irq(&io, 10, false);
    ioapic_eoi(&io, 0x61);

    rte(10, 0x18061, 0x01000000);
    ioapic_set_irq(&io, 10, true);
    CHECK_EQ("masked level pin holds", fake.nmsi, 3);
    CHECK_EQ("masked: no remote IRR", rd(0x10 + 20) & 0x4000, 0);
    rte(10, 0x8061, 0x01000000);
    CHECK_EQ("unmasking an asserted level pin delivers", fake.nmsi, 4);
    CHECK_EQ("to the destination just written", fake.msi[3].address, 0xfee01000);

    rte(10, 0x0061, 0x01000000);
    CHECK_EQ("switch to edge clears remote IRR", rd(0x10 + 20) & 0x4000, 0);
    CHECK_EQ("switch to edge sends nothing", fake.nmsi, 4);
    rte(10, 0x8061, 0x01000000);
    CHECK_EQ("back to level with the line asserted delivers", fake.nmsi, 5);

    /* Two pins sharing a vector: one EOI serves both. */
    rte(11, 0x8061, 0x01000000);
    ioapic_set_irq(&io, 11, true);
    CHECK_EQ("second pin delivers", fake.nmsi, 6);
    ioapic_set_irq(&io, 10, false);
    ioapic_set_irq(&io, 11, false);
    ioapic_eoi(&io, 0x61);
    CHECK("shared vector EOI clears both", !(rd(0x14 + 20) & 0x4000) && !(rd(0x10 + 20) & 0x4000));
    CHECK_EQ("nothing more sent", fake.nmsi, 6);
}

int main(void)
{
    test_registers();
    test_edge();
    test_level();
    return check_summary();
}
