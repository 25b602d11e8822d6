/* SPDX-License-Identifier: MIT */
/* Host test of vmm/dev/port80.c: the POST code port stores and returns the last byte written. */

#include "dev/port80.h"

#include "check.h"
#include "vdev_fake.h"

int main(void)
{
    struct port80 p;
    fake_reset();
    port80_init(&p, FAKE_VM);

    CHECK("port 0x80 claimed", fake_pio_claimed(0x80));
    CHECK("port 0x7f not claimed", !fake_pio_claimed(0x7f));
    CHECK("port 0x81 not claimed", !fake_pio_claimed(0x81));
    CHECK_EQ("reads 0xff before any write", fake_pio_read(0x80, 1), 0xff);
    CHECK_EQ("struct starts at 0xff", p.last, 0xff);

    fake_pio_write(0x80, 1, 0x42);
    CHECK_EQ("reads back 0x42", fake_pio_read(0x80, 1), 0x42);
    CHECK_EQ("stored in last", p.last, 0x42);
    CHECK_EQ("reads stay the same", fake_pio_read(0x80, 1), 0x42);
    fake_pio_write(0x80, 1, 0x00);
    CHECK_EQ("reads back 0x00", fake_pio_read(0x80, 1), 0x00);
    fake_pio_write(0x80, 1, 0xa5);
    CHECK_EQ("the last write wins", fake_pio_read(0x80, 1), 0xa5);

    /* A 16-bit access also covers port 0x81, which is not this device's. */
    fake_pio_write(0x80, 2, 0x1234);
    CHECK_EQ("word write stores the low byte", fake_pio_read(0x80, 1), 0x34);
    CHECK_EQ("word read: ones above the low byte", fake_pio_read(0x80, 2), 0xff34);
    CHECK_EQ("dword read", fake_pio_read(0x80, 4), 0xffffff34u);

    CHECK_EQ("no interrupts", fake.irq_rises[0] + fake.irq_rises[1] + fake.irq_rises[8], 0);
    CHECK_EQ("no resets", fake.resets, 0);
    CHECK_EQ("no logs", fake.logs, 0);

    /* A second instance is independent (no global state). */
    struct port80 q;
    fake_reset();
    port80_init(&p, FAKE_VM);
    q.last = 0;
    fake_pio_write(0x80, 1, 0x77);
    CHECK_EQ("other instance untouched", q.last, 0);
    CHECK_EQ("re-init starts at 0xff then stores", p.last, 0x77);
    return check_summary();
}
