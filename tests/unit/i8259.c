/* SPDX-License-Identifier: MIT */
/* Host test of vmm/dev/i8259.c against the 8259A datasheet and Linux's i8259 driver sequences. */

#include "../../vmm/dev/i8259.h"

#include "check.h"
#include "vdev_fake.h"

static struct i8259 pic;

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
    i8259_init(&pic, FAKE_VM);
}

/* Linux's init_8259A: mask all, ICW1-ICW4 (vectors 0x30/0x38), then unmask all. */
static void linux_init(bool aeoi)
{
    setup();
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
    outb(0x20, 0x11);
    outb(0x21, 0x30);
    outb(0x21, 0x04);
    outb(0x21, aeoi ? 0x03 : 0x01);
    outb(0xa0, 0x11);
    outb(0xa1, 0x38);
    outb(0xa1, 0x02);
    outb(0xa1, 0x01);
    outb(0x21, 0x00);
    outb(0xa1, 0x00);
}

static void pulse(unsigned irq)
{
    i8259_set_irq(&pic, irq, true);
    i8259_set_irq(&pic, irq, false);
}

static uint8_t read_isr(uint16_t cmd)
{
    outb(cmd, 0x0b);
    return inb(cmd);
}

static uint8_t read_irr(uint16_t cmd)
{
    outb(cmd, 0x0a);
    return inb(cmd);
}

/* Linux's EOI: specific EOI to the slave and 0x62 to the master for IRQ 8-15. */
static void linux_eoi(unsigned irq)
{
    if (irq >= 8) {
        outb(0xa0, (uint8_t)(0x60 + (irq & 7)));
        outb(0x20, 0x62);
    } else {
        outb(0x20, (uint8_t)(0x60 + irq));
    }
}

static void test_ports_and_power_on(void)
{
    setup();
    CHECK("ports 0x20, 0x21 claimed", fake_pio_claimed(0x20) && fake_pio_claimed(0x21));
    CHECK("ports 0xa0, 0xa1 claimed", fake_pio_claimed(0xa0) && fake_pio_claimed(0xa1));
    CHECK("ports 0x4d0, 0x4d1 claimed", fake_pio_claimed(0x4d0) && fake_pio_claimed(0x4d1));
    CHECK("port 0x22 not claimed", !fake_pio_claimed(0x22));
    CHECK_EQ("power-on master IMR 0", inb(0x21), 0);
    CHECK_EQ("power-on slave IMR 0", inb(0xa1), 0);
    CHECK_EQ("power-on master reads IRR (0)", inb(0x20), 0);
    CHECK_EQ("power-on ELCR 0", inb(0x4d0) | inb(0x4d1), 0);
    CHECK("power-on no INTR", !i8259_intr(&pic));
    CHECK_EQ("power-on INTA without INTR -> -1", i8259_ack(&pic), -1);
    pulse(0);
    CHECK("power-on IRQ 0 raises INTR", i8259_intr(&pic));
    CHECK_EQ("power-on master vector base 0x08", i8259_ack(&pic), 0x08);
    outb(0x20, 0x20);
    pulse(8);
    CHECK_EQ("power-on slave vector base 0x70", i8259_ack(&pic), 0x70);
    CHECK_EQ("0 logs", fake.logs, 0);
}

static void test_linux_probe(void)
{
    setup();
    outb(0x21, 0xff);
    CHECK_EQ("probe: IMR 0xff reads back", inb(0x21), 0xff);
    outb(0x21, 0x5a);
    CHECK_EQ("IMR 0x5a reads back", inb(0x21), 0x5a);
    outb(0xa1, 0xa5);
    CHECK_EQ("slave IMR 0xa5 reads back", inb(0xa1), 0xa5);
    CHECK_EQ("master IMR unchanged by slave write", inb(0x21), 0x5a);
}

static void test_init_sequence(void)
{
    linux_init(false);
    for (unsigned irq = 0; irq < 16; irq++) {
        if (irq == 2)
            continue;
        pulse(irq);
        char name[64];
        snprintf(name, sizeof(name), "Linux init: IRQ %u vector", irq);
        CHECK_EQ(name, i8259_ack(&pic), irq < 8 ? 0x30 + irq : 0x38 + irq - 8);
        linux_eoi(irq);
    }
    CHECK_EQ("all ISR clear after EOIs (master)", read_isr(0x20), 0);
    CHECK_EQ("all ISR clear after EOIs (slave)", read_isr(0xa0), 0);
    CHECK_EQ("no logs for Linux's sequence", fake.logs, 0);

    /* ICW1 resets IMR, SMM, the read select and the priority; data bytes are ICWs until done. */
    outb(0x21, 0xff);
    outb(0x20, 0x68); /* SMM on */
    outb(0x20, 0xc3); /* IR3 lowest */
    outb(0x20, 0x0b); /* read ISR */
    outb(0x20, 0x11);
    outb(0x21, 0x40);
    CHECK_EQ("ICW2 does not reach IMR; ICW1 cleared IMR", inb(0x21), 0);
    outb(0x21, 0x04);
    outb(0x21, 0x01);
    outb(0x21, 0x80);
    CHECK_EQ("after ICW4 the data port is OCW1", inb(0x21), 0x80);
    pulse(1);
    CHECK_EQ("ICW1 selects IRR for reads", inb(0x20), 0x02);
    pulse(4);
    CHECK_EQ("ICW1 restores IR7 lowest: IRQ 1 first", i8259_ack(&pic), 0x41);
    CHECK("no nesting of IRQ 4 under IRQ 1 (priority 1 > 4)", !i8259_intr(&pic));
    outb(0x20, 0x20);
    CHECK_EQ("new ICW2 base for IRQ 4", i8259_ack(&pic), 0x44);
    outb(0x20, 0x20);

    /* Edge sense reset: a line high across ICW1 must go low and high again. */
    i8259_set_irq(&pic, 5, true);
    outb(0x20, 0x11);
    outb(0x21, 0x40);
    outb(0x21, 0x04);
    outb(0x21, 0x01);
    CHECK_EQ("ICW1 drops a latched edge", read_irr(0x20), 0);
    i8259_set_irq(&pic, 5, true);
    CHECK("a line still high is no new edge", !i8259_intr(&pic));
    i8259_set_irq(&pic, 5, false);
    i8259_set_irq(&pic, 5, true);
    CHECK_EQ("low then high again: IRQ 5", i8259_ack(&pic), 0x45);
    i8259_set_irq(&pic, 5, false);
    CHECK_EQ("IRQ 5 in service", read_isr(0x20), 0x20);
    outb(0x20, 0x11);
    outb(0x21, 0x40);
    outb(0x21, 0x04);
    outb(0x21, 0x01);
    CHECK_EQ("ICW1 clears ISR", read_isr(0x20), 0);
}

static void test_init_variants(void)
{
    /* Single mode with ICW4: no ICW3. */
    setup();
    outb(0x20, 0x13);
    outb(0x21, 0x48);
    outb(0x21, 0x01);
    outb(0x21, 0x5a);
    CHECK_EQ("single + IC4: ICW2, ICW4, then IMR", inb(0x21), 0x5a);
    CHECK_EQ("no log for 8086 mode", fake.logs, 0);
    /* Single mode, no ICW4: ICW2 then IMR; ICW4 functions zero (MCS-80 mode, logged). */
    outb(0x20, 0x12);
    outb(0x21, 0x48);
    outb(0x21, 0x77);
    CHECK_EQ("single, no IC4: ICW2 then IMR", inb(0x21), 0x77);
    CHECK_EQ("MCS-80 mode logged once", fake.logs, 1);
    /* Cascade, no ICW4: ICW2, ICW3, then IMR. */
    outb(0x20, 0x10);
    outb(0x21, 0x48);
    outb(0x21, 0x04);
    outb(0x21, 0x33);
    CHECK_EQ("cascade, no IC4: ICW2, ICW3, then IMR", inb(0x21), 0x33);
    CHECK_EQ("logged only once", fake.logs, 1);

    /* IC4 = 0 clears a previous ICW4's AEOI. */
    linux_init(true);
    outb(0x20, 0x10);
    outb(0x21, 0x30);
    outb(0x21, 0x04);
    pulse(3);
    CHECK_EQ("IRQ 3 after re-init", i8259_ack(&pic), 0x33);
    CHECK_EQ("ICW1 without IC4 clears AEOI: ISR set", read_isr(0x20), 0x08);

    /* In single mode the master answers IR2 itself. */
    setup();
    outb(0x20, 0x13);
    outb(0x21, 0x50);
    outb(0x21, 0x01);
    pulse(10);
    CHECK_EQ("single master: the slave's INT on IR2 gives the master's vector", i8259_ack(&pic), 0x52);
    CHECK_EQ("slave ISR untouched", read_isr(0xa0), 0);

    /* Master ICW3 claims IR2 but the slave's ID is not 2: nobody answers, the bus floats. */
    setup();
    outb(0xa0, 0x11);
    outb(0xa1, 0x70);
    outb(0xa1, 0x05);
    outb(0xa1, 0x01);
    pulse(9);
    CHECK_EQ("no slave with ID 2: vector 0xff", i8259_ack(&pic), 0xff);
    CHECK_EQ("logged", fake.logs, 1);

    /* LTIM: every input level-triggered. */
    setup();
    outb(0x20, 0x19);
    outb(0x21, 0x30);
    outb(0x21, 0x04);
    outb(0x21, 0x01);
    pulse(0);
    CHECK("LTIM: a pulse on IRQ 0 is gone", !i8259_intr(&pic));
    i8259_set_irq(&pic, 0, true);
    CHECK_EQ("LTIM: IRQ 0 held", i8259_ack(&pic), 0x30);
    outb(0x20, 0x20);
    CHECK("LTIM: still high after EOI -> again", i8259_intr(&pic));
}

static void test_masking(void)
{
    linux_init(false);
    outb(0x21, 0x08);
    pulse(3);
    CHECK("masked IRQ 3: no INTR", !i8259_intr(&pic));
    CHECK_EQ("masked IRQ 3 is in IRR", read_irr(0x20), 0x08);
    outb(0x21, 0x00);
    CHECK("unmasked: INTR", i8259_intr(&pic));
    CHECK_EQ("IRQ 3 vector", i8259_ack(&pic), 0x33);
    outb(0x20, 0x63);

    outb(0x21, 0x04);
    pulse(12);
    CHECK("master IR2 masked: slave IRQ 12 blocked", !i8259_intr(&pic));
    CHECK_EQ("slave IRR has IRQ 12", read_irr(0xa0), 0x10);
    CHECK_EQ("master IRR has the cascade", read_irr(0x20), 0x04);
    outb(0x21, 0x00);
    outb(0xa1, 0x10);
    CHECK("the master's IR2 edge stays latched", i8259_intr(&pic));
    CHECK_EQ("slave IMR masks IRQ 12: the slave answers spurious IRQ 15", i8259_ack(&pic), 0x3f);
    outb(0x20, 0x62);
    outb(0xa1, 0x00);
    CHECK_EQ("unmasked in the slave: IRQ 12", i8259_ack(&pic), 0x3c);
}

static void test_priority(void)
{
    linux_init(false);
    pulse(3);
    pulse(1);
    CHECK_EQ("IRQ 1 before IRQ 3", i8259_ack(&pic), 0x31);
    CHECK_EQ("ISR bit 1", read_isr(0x20), 0x02);
    CHECK_EQ("IRR keeps IRQ 3", read_irr(0x20), 0x08);
    CHECK("lower priority blocked while IRQ 1 in service", !i8259_intr(&pic));
    pulse(0);
    CHECK_EQ("higher priority nests", i8259_ack(&pic), 0x30);
    CHECK_EQ("ISR bits 0 and 1", read_isr(0x20), 0x03);
    pulse(1);
    CHECK("same level blocked while in service", !i8259_intr(&pic));
    outb(0x20, 0x20);
    CHECK_EQ("non-specific EOI ends the highest (IRQ 0)", read_isr(0x20), 0x02);
    CHECK("IRQ 1 blocked by its own ISR", !i8259_intr(&pic));
    outb(0x20, 0x20);
    CHECK_EQ("ISR clear", read_isr(0x20), 0x00);
    CHECK_EQ("IRQ 1 again", i8259_ack(&pic), 0x31);
    outb(0x20, 0x20);
    CHECK_EQ("then IRQ 3", i8259_ack(&pic), 0x33);
    outb(0x20, 0x20);

    /* The slave sits at IR2's priority: between IRQ 1 and IRQ 3. */
    pulse(3);
    pulse(15);
    CHECK_EQ("IRQ 15 (on IR2) before IRQ 3", i8259_ack(&pic), 0x3f);
    CHECK("IRQ 3 blocked by the cascade in service", !i8259_intr(&pic));
    pulse(1);
    CHECK_EQ("IRQ 1 nests over the slave", i8259_ack(&pic), 0x31);
    outb(0x20, 0x61);
    linux_eoi(15);
    CHECK_EQ("IRQ 3 last", i8259_ack(&pic), 0x33);
    outb(0x20, 0x63);
    pulse(9);
    pulse(8);
    CHECK_EQ("slave: IRQ 8 before IRQ 9", i8259_ack(&pic), 0x38);
    CHECK("IRQ 9 waits for the EOIs", !i8259_intr(&pic));
    outb(0xa0, 0x60);
    CHECK("slave EOI alone is not enough (master ISR2)", !i8259_intr(&pic));
    outb(0x20, 0x62);
    CHECK_EQ("IRQ 9 after both EOIs", i8259_ack(&pic), 0x39);
    linux_eoi(9);
    CHECK_EQ("master ISR clear", read_isr(0x20), 0);
    CHECK_EQ("slave ISR clear", read_isr(0xa0), 0);
}

static void test_eoi_forms(void)
{
    linux_init(false);
    pulse(5);
    i8259_ack(&pic);
    pulse(4);
    i8259_ack(&pic);
    CHECK_EQ("ISR 4 and 5", read_isr(0x20), 0x30);
    outb(0x20, 0x40);
    CHECK_EQ("OCW2 0x40 is a no-op", read_isr(0x20), 0x30);
    outb(0x20, 0x65);
    CHECK_EQ("specific EOI 5 leaves 4", read_isr(0x20), 0x10);
    outb(0x20, 0x66);
    CHECK_EQ("specific EOI of a level not in service: no change", read_isr(0x20), 0x10);
    outb(0x20, 0x20);
    CHECK_EQ("non-specific EOI ends 4", read_isr(0x20), 0x00);
    outb(0x20, 0x20);
    CHECK_EQ("non-specific EOI with nothing in service", read_isr(0x20), 0x00);
    CHECK("no INTR", !i8259_intr(&pic));
}

static void test_rotation(void)
{
    linux_init(false);
    /* Rotate on non-specific EOI: the level ended becomes the lowest. */
    pulse(3);
    CHECK_EQ("IRQ 3", i8259_ack(&pic), 0x33);
    outb(0x20, 0xa0);
    CHECK_EQ("rotate on EOI cleared ISR", read_isr(0x20), 0);
    pulse(3);
    pulse(4);
    CHECK_EQ("after rotation IRQ 4 is highest", i8259_ack(&pic), 0x34);
    pulse(0);
    CHECK("IRQ 0 now below IRQ 4: blocked", !i8259_intr(&pic));
    outb(0x20, 0x20);
    CHECK_EQ("IRQ 0 before IRQ 3 (order 4..7,0..3)", i8259_ack(&pic), 0x30);
    outb(0x20, 0x20);
    CHECK_EQ("IRQ 3 last", i8259_ack(&pic), 0x33);
    outb(0x20, 0x20);

    /* Set priority: 0xc5 makes IR5 lowest, IR6 highest. */
    outb(0x20, 0xc5);
    pulse(0);
    pulse(5);
    pulse(6);
    CHECK_EQ("set priority: IRQ 6 first", i8259_ack(&pic), 0x36);
    outb(0x20, 0x66);
    CHECK_EQ("then IRQ 0", i8259_ack(&pic), 0x30);
    outb(0x20, 0x60);
    CHECK_EQ("IRQ 5 last", i8259_ack(&pic), 0x35);

    /* Rotate on specific EOI: 0xe5 ends IR5 and makes it lowest (unchanged order here), 0xe1 makes IR1 lowest. */
    outb(0x20, 0xe5);
    CHECK_EQ("rotate on specific EOI clears ISR 5", read_isr(0x20), 0);
    outb(0x20, 0xe1);
    pulse(1);
    pulse(7);
    pulse(3);
    CHECK_EQ("IR1 lowest: IRQ 3 first", i8259_ack(&pic), 0x33);
    outb(0x20, 0x20);
    CHECK_EQ("then IRQ 7", i8259_ack(&pic), 0x37);
    outb(0x20, 0x20);
    CHECK_EQ("IRQ 1 last", i8259_ack(&pic), 0x31);
    outb(0x20, 0x20);

    /* Slave rotation is independent. */
    outb(0xa0, 0xc0);
    pulse(8);
    pulse(9);
    CHECK_EQ("slave IR0 lowest: IRQ 9 first", i8259_ack(&pic), 0x39);
    linux_eoi(9);
    CHECK_EQ("then IRQ 8", i8259_ack(&pic), 0x38);
    linux_eoi(8);
}

static void test_aeoi(void)
{
    linux_init(true);
    pulse(1);
    CHECK_EQ("AEOI: IRQ 1", i8259_ack(&pic), 0x31);
    CHECK_EQ("AEOI: no ISR bit", read_isr(0x20), 0);
    pulse(3);
    CHECK_EQ("AEOI: a lower level is not blocked", i8259_ack(&pic), 0x33);
    pulse(1);
    pulse(0);
    CHECK_EQ("AEOI without rotation: IRQ 0 first", i8259_ack(&pic), 0x30);
    CHECK_EQ("then IRQ 1", i8259_ack(&pic), 0x31);

    /* Rotate in AEOI mode: each acknowledged level becomes the lowest. */
    outb(0x20, 0x80);
    pulse(1);
    CHECK_EQ("IRQ 1", i8259_ack(&pic), 0x31);
    pulse(0);
    pulse(3);
    CHECK_EQ("after rotation IRQ 3 before IRQ 0", i8259_ack(&pic), 0x33);
    CHECK_EQ("and IRQ 0 after (3 now lowest)", i8259_ack(&pic), 0x30);
    outb(0x20, 0x00);
    pulse(5);
    CHECK_EQ("rotation cleared: IRQ 5", i8259_ack(&pic), 0x35);
    pulse(4);
    pulse(6);
    CHECK_EQ("IR0 still lowest (5 did not become lowest): IRQ 4 first", i8259_ack(&pic), 0x34);
    CHECK_EQ("then IRQ 6", i8259_ack(&pic), 0x36);
}

static void test_reads_and_poll(void)
{
    linux_init(false);
    pulse(6);
    pulse(11);
    CHECK_EQ("OCW3 0x0a: IRR (cascade)", read_irr(0x20), 0x44);
    CHECK_EQ("slave IRR", read_irr(0xa0), 0x08);
    CHECK_EQ("IRR read again without OCW3", inb(0x20), 0x44);
    outb(0x20, 0x0b);
    CHECK_EQ("ISR empty", inb(0x20), 0);
    outb(0x20, 0x08);
    CHECK_EQ("OCW3 without RR keeps ISR selected", inb(0x20), 0);
    CHECK_EQ("data port still reads IMR", inb(0x21), 0);

    outb(0x20, 0x0c);
    CHECK_EQ("poll: 0x80 | IR2 (the cascade)", inb(0x20), 0x82);
    CHECK_EQ("poll set ISR 2", read_isr(0x20), 0x04);
    outb(0xa0, 0x0c);
    CHECK_EQ("slave poll: 0x80 | 3", inb(0xa0), 0x83);
    CHECK_EQ("slave ISR 3", read_isr(0xa0), 0x08);
    CHECK_EQ("slave IRR cleared", read_irr(0xa0), 0);
    outb(0x20, 0x0c);
    CHECK_EQ("master poll: IRQ 6 blocked by ISR 2", inb(0x21), 0x00);
    CHECK_EQ("poll is one-shot: then the selected ISR", inb(0x20), 0x04);
    CHECK_EQ("master IRR keeps IRQ 6", read_irr(0x20), 0x40);
    linux_eoi(11);
    outb(0x20, 0x0c);
    CHECK_EQ("poll via the data port: IRQ 6", inb(0x21), 0x86);
    CHECK_EQ("then IMR again", inb(0x21), 0x00);
    outb(0x20, 0x66);
    CHECK("nothing left", !i8259_intr(&pic));
}

static void test_edge_level(void)
{
    linux_init(false);
    outb(0x4d0, 0xff);
    CHECK_EQ("ELCR1: IRQ 0-2 stay edge", inb(0x4d0), 0xf8);
    outb(0x4d1, 0xff);
    CHECK_EQ("ELCR2: IRQ 8 and 13 stay edge", inb(0x4d1), 0xde);
    fake_pio_write(0x4d0, 2, 0x0a20);
    CHECK_EQ("16-bit ELCR write and read", fake_pio_read(0x4d0, 2), 0x0a20);

    /* Level IRQ 5: IRR follows the line; still high after EOI interrupts again. */
    i8259_set_irq(&pic, 5, true);
    CHECK_EQ("level IRQ 5 in IRR", read_irr(0x20), 0x20);
    i8259_set_irq(&pic, 5, false);
    CHECK_EQ("level IRQ 5 dropped from IRR", read_irr(0x20), 0x00);
    i8259_set_irq(&pic, 5, true);
    CHECK_EQ("level IRQ 5", i8259_ack(&pic), 0x35);
    CHECK_EQ("level: IRR stays while the line is high", read_irr(0x20), 0x20);
    outb(0x20, 0x65);
    CHECK_EQ("level still high after EOI: again", i8259_ack(&pic), 0x35);
    i8259_set_irq(&pic, 5, false);
    outb(0x20, 0x65);
    CHECK("level dropped: no INTR", !i8259_intr(&pic));

    /* Level IRQ 11 on the slave. */
    i8259_set_irq(&pic, 11, true);
    CHECK_EQ("level IRQ 11", i8259_ack(&pic), 0x3b);
    linux_eoi(11);
    CHECK_EQ("level IRQ 11 again after EOIs", i8259_ack(&pic), 0x3b);
    i8259_set_irq(&pic, 11, false);
    linux_eoi(11);
    CHECK("IRQ 11 low: no INTR", !i8259_intr(&pic));

    /* Edge IRQ 4: a pulse latches; a line held high interrupts once. */
    pulse(4);
    CHECK_EQ("edge pulse latched", read_irr(0x20), 0x10);
    i8259_set_irq(&pic, 4, true);
    CHECK_EQ("edge IRQ 4", i8259_ack(&pic), 0x34);
    CHECK_EQ("edge: IRR cleared by INTA", read_irr(0x20), 0x00);
    outb(0x20, 0x64);
    CHECK("edge held high: no second interrupt", !i8259_intr(&pic));
    i8259_set_irq(&pic, 4, false);
    i8259_set_irq(&pic, 4, true);
    CHECK_EQ("new edge", i8259_ack(&pic), 0x34);
    i8259_set_irq(&pic, 4, false);
    outb(0x20, 0x64);

    /* Switching trigger mode: level -> edge keeps the request, edge -> level follows the line. */
    i8259_set_irq(&pic, 5, true);
    outb(0x4d0, 0x00);
    CHECK_EQ("level -> edge: request kept", read_irr(0x20), 0x20);
    i8259_set_irq(&pic, 5, false);
    CHECK_EQ("now edge: line low keeps the latch", read_irr(0x20), 0x20);
    outb(0x4d0, 0x20);
    CHECK_EQ("edge -> level with the line low: dropped", read_irr(0x20), 0x00);

    /* IRQ 0 cannot be level-triggered. */
    outb(0x4d0, 0x01);
    pulse(0);
    CHECK_EQ("IRQ 0 stays edge", i8259_ack(&pic), 0x30);
}

static void test_spurious(void)
{
    linux_init(false);
    CHECK_EQ("no INTR at all: -1", i8259_ack(&pic), -1);

    /* A level request that goes away before INTA: IRQ 7, no ISR bit. */
    outb(0x4d0, 0x10);
    i8259_set_irq(&pic, 4, true);
    CHECK("level IRQ 4 raises INTR", i8259_intr(&pic));
    i8259_set_irq(&pic, 4, false);
    CHECK("gone: INTR low", !i8259_intr(&pic));
    CHECK_EQ("INTA after the request went away: IRQ 7", i8259_ack(&pic), 0x37);
    CHECK_EQ("spurious: no ISR bit", read_isr(0x20), 0);
    CHECK_EQ("and only once: -1", i8259_ack(&pic), -1);

    /* Masked after INTR was seen. */
    pulse(3);
    outb(0x21, 0x08);
    CHECK_EQ("masked after INTR: IRQ 7", i8259_ack(&pic), 0x37);
    CHECK_EQ("the edge stays in IRR", read_irr(0x20), 0x08);
    outb(0x21, 0x00);
    CHECK_EQ("unmasked: IRQ 3", i8259_ack(&pic), 0x33);
    outb(0x20, 0x20);

    /* A real IRQ 7 is in service, a spurious one is not (Linux reads ISR to tell). */
    pulse(7);
    CHECK_EQ("real IRQ 7", i8259_ack(&pic), 0x37);
    CHECK_EQ("real IRQ 7 in ISR", read_isr(0x20), 0x80);
    outb(0x20, 0x67);

    /* The slave's request goes away after the master latched the cascade edge: IRQ 15, master ISR2 set. */
    outb(0x4d1, 0x02);
    i8259_set_irq(&pic, 9, true);
    i8259_set_irq(&pic, 9, false);
    CHECK("master IR2 latched: INTR", i8259_intr(&pic));
    CHECK_EQ("slave spurious: IRQ 15 vector", i8259_ack(&pic), 0x3f);
    CHECK_EQ("slave ISR empty", read_isr(0xa0), 0);
    CHECK_EQ("master ISR2 set", read_isr(0x20), 0x04);
    outb(0x20, 0x62);
    CHECK("nothing left", !i8259_intr(&pic));
}

static void test_cascade(void)
{
    linux_init(false);
    pulse(12);
    CHECK_EQ("IRQ 12 vector", i8259_ack(&pic), 0x3c);
    CHECK_EQ("master ISR2", read_isr(0x20), 0x04);
    CHECK_EQ("slave ISR4", read_isr(0xa0), 0x10);
    CHECK_EQ("master IRR2 cleared", read_irr(0x20), 0);
    pulse(8);
    CHECK("IRQ 8 (higher on the slave) blocked by master ISR2 without SFNM", !i8259_intr(&pic));
    linux_eoi(12);
    CHECK_EQ("IRQ 8 after the EOIs", i8259_ack(&pic), 0x38);
    linux_eoi(8);

    /* Special fully nested mode: a higher slave level nests under the cascade in service. */
    outb(0x20, 0x11);
    outb(0x21, 0x30);
    outb(0x21, 0x04);
    outb(0x21, 0x11);
    pulse(12);
    CHECK_EQ("SFNM: IRQ 12", i8259_ack(&pic), 0x3c);
    pulse(13);
    CHECK("SFNM: lower slave level still blocked", !i8259_intr(&pic));
    pulse(8);
    CHECK_EQ("SFNM: IRQ 8 nests", i8259_ack(&pic), 0x38);
    CHECK_EQ("slave ISR 0 and 4", read_isr(0xa0), 0x11);
    pulse(3);
    CHECK("SFNM: master IRQ 3 still below IR2", !i8259_intr(&pic));

    /* Two slave requests in AEOI mode on both: the second follows without EOIs. */
    linux_init(true);
    outb(0xa0, 0x11);
    outb(0xa1, 0x38);
    outb(0xa1, 0x02);
    outb(0xa1, 0x03);
    pulse(10);
    pulse(14);
    CHECK_EQ("AEOI cascade: IRQ 10", i8259_ack(&pic), 0x3a);
    CHECK("IRQ 14 still requested through IR2", i8259_intr(&pic));
    CHECK_EQ("AEOI cascade: IRQ 14", i8259_ack(&pic), 0x3e);
    CHECK("done", !i8259_intr(&pic));
}

static void test_special_mask(void)
{
    linux_init(false);
    pulse(1);
    CHECK_EQ("IRQ 1", i8259_ack(&pic), 0x31);
    pulse(3);
    CHECK("IRQ 3 blocked", !i8259_intr(&pic));
    outb(0x21, 0x02);
    outb(0x20, 0x68);
    CHECK("SMM with IRQ 1 masked: IRQ 3 gets through", i8259_intr(&pic));
    CHECK_EQ("IRQ 3 under SMM", i8259_ack(&pic), 0x33);
    CHECK_EQ("ISR 1 and 3", read_isr(0x20), 0x0a);
    outb(0x20, 0x20);
    CHECK_EQ("SMM: non-specific EOI skips the masked IRQ 1", read_isr(0x20), 0x02);
    pulse(4);
    outb(0x20, 0x48);
    CHECK("SMM off: IRQ 4 blocked by IRQ 1 again", !i8259_intr(&pic));
    outb(0x20, 0x20);
    CHECK_EQ("normal EOI ends IRQ 1", read_isr(0x20), 0x00);
    CHECK_EQ("IRQ 4", i8259_ack(&pic), 0x34);
    outb(0x20, 0x68);
    outb(0x20, 0x28);
    outb(0x21, 0x12);
    pulse(5);
    CHECK("OCW3 without ESMM leaves SMM on: IRQ 5 passes the masked IRQ 4 in service", i8259_intr(&pic));
}

static void test_widths_and_junk(void)
{
    linux_init(false);
    outb(0x21, 0xa5);
    pulse(0);
    CHECK_EQ("16-bit read of 0x20: IRR | IMR << 8", fake_pio_read(0x20, 2), 0xa501);
    CHECK_EQ("32-bit read: bytes past the block float", fake_pio_read(0x20, 4), 0xffffa501);
    fake_pio_write(0xa0, 2, 0x5a0a);
    CHECK_EQ("16-bit write to 0xa0: OCW3 then IMR", inb(0xa1), 0x5a);
    fake_pio_write(0x20, 8, ~0ull); /* ICW1 0xff (single, IC4, LTIM), ICW2 0xff; the rest floats */
    outb(0x21, 0x01);
    outb(0x21, 0x00);
    i8259_set_irq(&pic, 0, true);
    CHECK_EQ("64-bit write reached 0x20 and 0x21 only: vector base 0xf8", i8259_ack(&pic), 0xf8);

    linux_init(false);
    i8259_set_irq(&pic, 2, true);
    i8259_set_irq(&pic, 16, true);
    i8259_set_irq(&pic, 0xffffffffu, true);
    CHECK("IRQ 2, 16 and ~0 ignored: no INTR", !i8259_intr(&pic));
    CHECK_EQ("no IRR bits", read_irr(0x20) | read_irr(0xa0), 0);
}

int main(void)
{
    test_ports_and_power_on();
    test_linux_probe();
    test_init_sequence();
    test_init_variants();
    test_masking();
    test_priority();
    test_eoi_forms();
    test_rotation();
    test_aeoi();
    test_reads_and_poll();
    test_edge_level();
    test_spurious();
    test_cascade();
    test_special_mask();
    test_widths_and_junk();
    return check_summary();
}
