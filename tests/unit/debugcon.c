/* SPDX-License-Identifier: MIT */
/* Host test of vmm/dev/debugcon.c (port 0xe9) against the fake VMM; the template for device tests. */

#include "dev/debugcon.h"

#include "check.h"
#include "vdev_fake.h"

/* A stand-in for another device, to see which accesses reach whom. */
static unsigned other_reads, other_writes;

static uint64_t other_read(void *dev, uint64_t offset, unsigned size)
{
    other_reads++;
    return 0x5a;
}

static void other_write(void *dev, uint64_t offset, unsigned size, uint64_t value)
{
    other_writes++;
}

static const struct vdev_ops other_ops = {.read = other_read, .write = other_write};

static unsigned irq_rises(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < 24; i++)
        n += fake.irq_rises[i];
    return n;
}

static void registration(void)
{
    struct debugcon d;
    fake_reset();
    debugcon_init(&d, FAKE_VM);
    CHECK("port 0xe9 claimed", fake_pio_claimed(0xe9));
    CHECK("port 0xe8 not claimed", !fake_pio_claimed(0xe8));
    CHECK("port 0xea not claimed", !fake_pio_claimed(0xea));
    CHECK_EQ("init logs nothing", fake.logs, 0);
    CHECK_EQ("init writes nothing", fake.console_len, 0);

    /* Neighbours on both sides do not collide with the one-port block. */
    struct debugcon e;
    fake_reset();
    CHECK_EQ("neighbour at 0xe8", vdev_pio_register(FAKE_VM, 0xe8, 1, &other_ops, NULL), 0);
    CHECK_EQ("neighbour at 0xea", vdev_pio_register(FAKE_VM, 0xea, 1, &other_ops, NULL), 0);
    debugcon_init(&e, FAKE_VM);
    CHECK_EQ("init between neighbours logs nothing", fake.logs, 0);
    CHECK_EQ("0xe9 is the debug console's", fake_pio_read(0xe9, 1), 0xe9);

    /* A port someone else holds: the device says so and leaves it to its owner. */
    fake_reset();
    other_reads = 0;
    vdev_pio_register(FAKE_VM, 0xe9, 1, &other_ops, NULL);
    debugcon_init(&e, FAKE_VM);
    CHECK_EQ("conflict logged", fake.logs, 1);
    CHECK_EQ("the owner keeps the port", fake_pio_read(0xe9, 1), 0x5a);
    CHECK_EQ("the owner got the read", other_reads, 1);
}

static void detection_and_output(void)
{
    struct debugcon d;
    fake_reset();
    debugcon_init(&d, FAKE_VM);
    CHECK_EQ("detection read returns 0xe9", fake_pio_read(0xe9, 1), 0xe9);
    CHECK_EQ("again", fake_pio_read(0xe9, 1), 0xe9);
    CHECK_EQ("reads write nothing", fake.console_len, 0);

    const char *msg = "hello, 0xe9\n";
    for (const char *p = msg; *p; p++)
        fake_pio_write(0xe9, 1, (uint8_t)*p);
    CHECK_STR("bytes reach the console in order", fake.console, msg);
    CHECK_EQ("one console byte per write", fake.console_len, 12);

    /* The port is binary-clean: NUL and 0xff pass as they are. */
    fake_pio_write(0xe9, 1, 0x00);
    fake_pio_write(0xe9, 1, 0xff);
    CHECK_EQ("two more bytes", fake.console_len, 14);
    CHECK_EQ("NUL passed", (uint8_t)fake.console[12], 0x00);
    CHECK_EQ("0xff passed", (uint8_t)fake.console[13], 0xff);
    CHECK_EQ("byte accesses log nothing", fake.logs, 0);
    CHECK_EQ("reads still give 0xe9 after writes", fake_pio_read(0xe9, 1), 0xe9);
}

static void wide_accesses(void)
{
    struct debugcon d;
    fake_reset();
    debugcon_init(&d, FAKE_VM);
    CHECK_EQ("word read: ones above the port's byte", fake_pio_read(0xe9, 2), 0xffe9);
    CHECK_EQ("a wide access is logged", fake.logs, 1);
    CHECK_EQ("dword read", fake_pio_read(0xe9, 4), 0xffffffe9u);
    CHECK_EQ("qword read", fake_pio_read(0xe9, 8), 0xffffffffffffffe9ull);

    fake_pio_write(0xe9, 2, 0x4241);
    CHECK_EQ("word write sends one byte", fake.console_len, 1);
    CHECK_EQ("the low byte", fake.console[0], 'A');
    fake_pio_write(0xe9, 4, 0x44434258);
    CHECK_EQ("dword write sends one byte", fake.console_len, 2);
    CHECK_EQ("its low byte", fake.console[1], 'X');
    CHECK_EQ("logged once, not per access", fake.logs, 1);

    /* The log flag belongs to the instance: a fresh one reports again. */
    fake_reset();
    debugcon_init(&d, FAKE_VM);
    fake_pio_write(0xe9, 2, 0x4241);
    CHECK_EQ("a new instance logs again", fake.logs, 1);
}

static void nothing_else(void)
{
    struct debugcon d;
    fake_reset();
    other_reads = other_writes = 0;
    vdev_pio_register(FAKE_VM, 0xe8, 1, &other_ops, NULL);
    vdev_pio_register(FAKE_VM, 0xea, 1, &other_ops, NULL);
    debugcon_init(&d, FAKE_VM);
    for (unsigned i = 0; i < 100; i++) {
        fake_pio_write(0xe9, 1, 'a' + i % 26);
        fake_pio_read(0xe9, 1);
    }
    fake_pio_write(0xe9, 4, 0x41414141);
    CHECK_EQ("101 bytes out", fake.console_len, 101);
    CHECK_EQ("neighbours never read", other_reads, 0);
    CHECK_EQ("neighbours never written", other_writes, 0);
    fake_pio_write(0xea, 1, 'z');
    CHECK_EQ("0xea writes go to its owner", other_writes, 1);
    CHECK_EQ("not to the console", fake.console_len, 101);
    fake_pio_write(0xe8, 1, 'z');
    CHECK_EQ("0xe8 writes go to its owner", other_writes, 2);
    CHECK_EQ("console still 101", fake.console_len, 101);
    fake_advance(1000000000ull);
    CHECK_EQ("no timers", fake_next_deadline(), UINT64_MAX);
    CHECK_EQ("no interrupts", irq_rises(), 0);
    CHECK_EQ("no MSIs", fake.nmsi, 0);
    CHECK_EQ("no resets or poweroffs", fake.resets + fake.poweroffs, 0);
}

int main(void)
{
    registration();
    detection_and_output();
    wide_accesses();
    nothing_else();
    return check_summary();
}
