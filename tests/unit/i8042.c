/* SPDX-License-Identifier: MIT */
/* Host test of vmm/dev/i8042.c: status and command byte, controller commands, the keyboard's
   command replies, Linux's aux probing with no mouse, interrupts and the reset paths. */

#include "dev/i8042.h"

#include "check.h"
#include "vdev_fake.h"

#define OBF     0x01
#define SYS     0x04
#define CMDBIT  0x08
#define UNLOCK  0x10
#define AUXOBF  0x20
#define TIMEOUT 0x40

static struct i8042 kbc;

static unsigned st(void)
{
    return (unsigned)fake_pio_read(0x64, 1);
}

static unsigned data(void)
{
    return (unsigned)fake_pio_read(0x60, 1);
}

static void cmd(unsigned v)
{
    fake_pio_write(0x64, 1, v);
}

static void out(unsigned v)
{
    fake_pio_write(0x60, 1, v);
}

/* Read one byte the way Linux does: it must be there (OBF), then read it. 0x1ff if none. */
static unsigned get(void)
{
    return st() & OBF ? data() : 0x1ff;
}

/* Two or three bytes in the order they came, first in the high bits. */
static unsigned get2(void)
{
    unsigned a = get();
    return a << 8 | get();
}

static unsigned get3(void)
{
    unsigned a = get2();
    return a << 8 | get();
}

static unsigned ctr(void)
{
    cmd(0x20);
    return get();
}

static void set_ctr(unsigned v)
{
    cmd(0x60);
    out(v);
}

static void setup(void)
{
    fake_reset();
    i8042_init(&kbc, FAKE_VM);
}

static void test_reset_state(void)
{
    setup();
    CHECK("port 0x60 claimed", fake_pio_claimed(0x60));
    CHECK("port 0x64 claimed", fake_pio_claimed(0x64));
    CHECK("port 0x61 is not the controller's", !fake_pio_claimed(0x61));
    CHECK("port 0x62 not claimed", !fake_pio_claimed(0x62));
    CHECK("port 0x65 not claimed", !fake_pio_claimed(0x65));
    CHECK_EQ("status at power-on: not inhibited, nothing else", st(), UNLOCK);
    CHECK_EQ("command byte at power-on: translate, aux off, kbd irq", ctr(), 0x61);
    CHECK_EQ("status after a command: bit 3", st() & (CMDBIT | OBF), CMDBIT);
    out(0xf4);
    CHECK_EQ("status after a data write: bit 3 clear", st() & CMDBIT, 0);
    CHECK_EQ("IBF never set", st() & 0x02, 0);
}

static void test_self_test_and_command_byte(void)
{
    setup();
    cmd(0xaa);
    CHECK_EQ("self test: OBF, SYS, command", st(), OBF | SYS | CMDBIT | UNLOCK);
    CHECK_EQ("self test result 0x55", data(), 0x55);
    CHECK_EQ("OBF clear after the read", st() & OBF, 0);
    CHECK_EQ("SYS flag set by the self test", st() & SYS, SYS);
    CHECK_EQ("command byte has SYS", ctr(), 0x65);
    set_ctr(0x47);
    CHECK_EQ("command byte written", ctr(), 0x47);
    set_ctr(0x43);
    CHECK_EQ("SYS in status follows command byte bit 2", st() & SYS, 0);
    CHECK_EQ("the data byte after 0x60 did not go to the keyboard", st() & OBF, 0);
    cmd(0xab);
    CHECK_EQ("keyboard interface test 0x00", get(), 0x00);
    cmd(0xa9);
    CHECK_EQ("aux interface test 0x00", get(), 0x00);
    cmd(0xa4);
    CHECK_EQ("no password installed", get(), 0xf1);
    cmd(0xc0);
    CHECK_EQ("input port: keyboard not inhibited", get() & 0x80, 0x80);
    cmd(0x75);
    out(0x99);
    cmd(0x35);
    CHECK_EQ("controller RAM byte 0x15", get(), 0x99);
    cmd(0x20);
    CHECK_EQ("RAM byte 0 is the command byte", get(), 0x43);
    cmd(0xad);
    CHECK_EQ("0xad sets the keyboard disable bit", ctr(), 0x53);
    cmd(0xae);
    CHECK_EQ("0xae clears it", ctr(), 0x43);
    cmd(0xa7);
    CHECK_EQ("0xa7 sets the aux disable bit", ctr(), 0x63);
    cmd(0xa8);
    CHECK_EQ("0xa8 clears it", ctr(), 0x43);
    CHECK_EQ("nothing logged", fake.logs, 0);
    cmd(0x01);
    CHECK_EQ("unknown controller command: no reply", st() & OBF, 0);
    cmd(0x02);
    CHECK_EQ("unknown commands logged once", fake.logs, 1);
    /* A command cancels a pending two-byte command. */
    cmd(0x60);
    cmd(0xa7);
    out(0xf4);
    CHECK_EQ("cancelled 0x60: the byte went to the keyboard", get(), 0xfa);
    CHECK_EQ("command byte unchanged but for 0xa7 and the keyboard write", ctr(), 0x63);
}

static void test_irq(void)
{
    setup();
    set_ctr(0x00);
    cmd(0x20);
    CHECK_EQ("KBDINT clear: no IRQ 1", fake.irq_rises[1], 0);
    data();
    set_ctr(0x01);
    cmd(0x20);
    CHECK_EQ("KBDINT: a reply pulses IRQ 1", fake.irq_rises[1], 1);
    CHECK_EQ("IRQ 1 is a pulse", fake.irq[1], 0);
    CHECK_EQ("no IRQ 12", fake.irq_rises[12], 0);
    data();
    i8042_key(&kbc, 0x1e);
    i8042_key(&kbc, 0x9e);
    CHECK_EQ("a key pulses IRQ 1 once (second byte waits)", fake.irq_rises[1], 2);
    CHECK_EQ("first scan code", get(), 0x1e);
    CHECK_EQ("the next byte pulses again", fake.irq_rises[1], 3);
    CHECK_EQ("second scan code", get(), 0x9e);
    CHECK_EQ("no pulse when the buffer empties", fake.irq_rises[1], 3);
    CHECK_EQ("empty data port reads the last byte", data(), 0x9e);
    CHECK_EQ("no OBF", st() & OBF, 0);
}

static void test_keyboard_commands(void)
{
    setup();
    set_ctr(0x41);
    out(0xff);
    CHECK_EQ("reset: ACK", get(), 0xfa);
    CHECK_EQ("reset: BAT passed", get(), 0xaa);
    CHECK_EQ("reset: nothing more", st() & OBF, 0);
    CHECK_EQ("reset: two IRQ 1 pulses", fake.irq_rises[1], 2);
    out(0xf2);
    CHECK_EQ("identify: ACK", get(), 0xfa);
    CHECK_EQ("identify: 0xab", get(), 0xab);
    CHECK_EQ("identify: 0x83 translated to 0x41", get(), 0x41);
    set_ctr(0x01);
    out(0xf2);
    CHECK_EQ("untranslated identify: ACK", get(), 0xfa);
    CHECK_EQ("untranslated identify: 0xab", get(), 0xab);
    CHECK_EQ("untranslated identify: 0x83", get(), 0x83);
    out(0xed);
    CHECK_EQ("set LEDs: ACK", get(), 0xfa);
    out(0x07);
    CHECK_EQ("LED byte: ACK", get(), 0xfa);
    CHECK_EQ("LEDs stored", kbc.kbd_leds, 7);
    out(0xf3);
    CHECK_EQ("typematic: ACK", get(), 0xfa);
    out(0x20);
    CHECK_EQ("typematic byte: ACK", get(), 0xfa);
    CHECK_EQ("typematic stored", kbc.kbd_typematic, 0x20);
    out(0xf0);
    CHECK_EQ("scan set: ACK", get(), 0xfa);
    out(0x00);
    CHECK_EQ("get set: ACK", get(), 0xfa);
    CHECK_EQ("get set: 2", get(), 0x02);
    out(0xf0);
    out(0x01);
    CHECK_EQ("select set 1: ACK ACK", get2(), 0xfafa);
    out(0xf0);
    out(0x00);
    CHECK_EQ("set 1 now: ACK ACK 1", get3(), 0xfafa01);
    set_ctr(0x41);
    out(0xf0);
    out(0x00);
    CHECK_EQ("translated set number 1 is 0x43", get3(), 0xfafa43);
    out(0xf0);
    out(0x09);
    CHECK_EQ("bad set: ACK then resend", get2(), 0xfafe);
    out(0xee);
    CHECK_EQ("echo", get(), 0xee);
    CHECK_EQ("echo has no ACK", st() & OBF, 0);
    out(0xf4);
    CHECK_EQ("enable: ACK", get(), 0xfa);
    out(0xf6);
    CHECK_EQ("defaults: ACK", get(), 0xfa);
    CHECK_EQ("defaults: LEDs off", kbc.kbd_leds, 0);
    CHECK_EQ("defaults: set 2", kbc.kbd_set, 2);
    out(0x12);
    CHECK_EQ("unknown keyboard command: resend", get(), 0xfe);
    out(0xab);
    CHECK_EQ("0xab is no keyboard command: resend", get(), 0xfe);
    out(0xee);
    get();
    out(0xfe);
    CHECK_EQ("resend repeats the last byte", get(), 0xee);
    /* A command while a parameter is expected is a command. */
    out(0xed);
    get();
    out(0xf4);
    CHECK_EQ("command instead of the LED byte: its ACK", get(), 0xfa);
    CHECK_EQ("LEDs unchanged", kbc.kbd_leds, 0);
    out(0x05);
    CHECK_EQ("no parameter pending any more: resend", get(), 0xfe);
    CHECK_EQ("no interrupts on IRQ 12", fake.irq_rises[12], 0);
}

static void test_keyboard_input(void)
{
    setup();
    CHECK("key accepted", i8042_key(&kbc, 0x1c));
    CHECK_EQ("key in the buffer, keyboard data", st() & (OBF | AUXOBF), OBF);
    CHECK_EQ("scan code", data(), 0x1c);
    out(0xf5);
    get();
    CHECK("disabled keyboard (0xf5) takes no keys", !i8042_key(&kbc, 0x1c));
    out(0xf4);
    get();
    CHECK("enabled again (0xf4)", i8042_key(&kbc, 0x9c));
    get();
    /* Interface disabled by 0xad: the keyboard holds its bytes. */
    cmd(0xad);
    CHECK("key taken while the interface is off", i8042_key(&kbc, 0x2a));
    CHECK_EQ("but not in the output buffer", st() & OBF, 0);
    unsigned rises = fake.irq_rises[1];
    cmd(0xae);
    CHECK_EQ("0xae releases it", st() & OBF, OBF);
    CHECK_EQ("with an IRQ 1 pulse", fake.irq_rises[1], rises + 1);
    CHECK_EQ("the held scan code", data(), 0x2a);
    /* Writing to the keyboard enables its interface. */
    cmd(0xad);
    out(0xee);
    CHECK_EQ("keyboard write re-enables the interface", get(), 0xee);
    CHECK_EQ("KBDDIS clear", ctr() & 0x10, 0);
    /* The output buffer plus a 16-byte keyboard queue, in order. */
    bool all = true;
    for (unsigned i = 0; i < 17; i++)
        all &= i8042_key(&kbc, (uint8_t)(0x10 + i));
    CHECK("17 keys taken (buffer + 16 queued)", all);
    CHECK("18th refused", !i8042_key(&kbc, 0x77));
    bool order = true;
    for (unsigned i = 0; i < 17; i++)
        order &= get() == 0x10 + i;
    CHECK("queue order", order);
    CHECK("space again", i8042_key(&kbc, 0x77));
    /* Controller replies go before queued keyboard bytes. */
    i8042_key(&kbc, 0x78);
    cmd(0x20);
    CHECK_EQ("the byte already in the buffer first", get(), 0x77);
    CHECK_EQ("then the controller's reply", get(), 0x61);
    CHECK_EQ("then the keyboard", get(), 0x78);
}

/* Linux's i8042_check_aux() and i8042_set_mux_mode() probes with no mouse. */
static void test_linux_aux_probe(void)
{
    setup();
    set_ctr(0x47);
    cmd(0xd3);
    out(0x5a);
    CHECK_EQ("aux loop: OBF with AUXDATA", st() & (OBF | AUXOBF | TIMEOUT), OBF | AUXOBF);
    CHECK_EQ("aux loop: the byte back", data(), 0x5a);
    CHECK_EQ("aux loop: IRQ 12 with AUXINT", fake.irq_rises[12], 1);
    CHECK_EQ("aux loop: no IRQ 1", fake.irq_rises[1], 0);
    cmd(0xa7);
    CHECK_EQ("aux disabled: AUXDIS in the command byte", ctr() & 0x20, 0x20);
    cmd(0xa8);
    CHECK_EQ("aux enabled: AUXDIS clear", ctr() & 0x20, 0);
    unsigned rises1 = fake.irq_rises[1];
    cmd(0xd3);
    out(0xa5);
    CHECK_EQ("IRQ test: IRQ 12 delivered", fake.irq_rises[12], 2);
    CHECK_EQ("IRQ test: aux data 0xa5", st() & AUXOBF ? data() : 0, 0xa5);
    CHECK_EQ("IRQ test: no keyboard interrupt", fake.irq_rises[1], rises1);
    /* Active multiplexing probe: a plain controller echoes all three bytes. */
    static const uint8_t mux[3] = {0xf0, 0x56, 0xa4};
    bool echo = true;
    for (unsigned i = 0; i < 3; i++) {
        cmd(0xd3);
        out(mux[i]);
        echo &= (st() & AUXOBF) && data() == mux[i];
    }
    CHECK("no MUX: 0xa4 comes back unchanged", echo);
    /* psmouse: the first byte for the mouse times out at once. */
    cmd(0xa7);
    unsigned rises12 = fake.irq_rises[12];
    cmd(0xd4);
    out(0xf2);
    CHECK_EQ("no mouse: OBF | AUXDATA | TIMEOUT", st() & (OBF | AUXOBF | TIMEOUT), OBF | AUXOBF | TIMEOUT);
    CHECK_EQ("with IRQ 12", fake.irq_rises[12], rises12 + 1);
    CHECK_EQ("no mouse: 0xfe", data(), 0xfe);
    CHECK_EQ("timeout and aux bits go with the byte", st() & (OBF | AUXOBF | TIMEOUT), 0);
    CHECK_EQ("0xd4 enabled the aux interface", ctr() & 0x20, 0);
    cmd(0xd4);
    out(0xff);
    CHECK_EQ("every aux byte times out", st() & (AUXOBF | TIMEOUT), AUXOBF | TIMEOUT);
    data();
    CHECK_EQ("nothing follows", st() & OBF, 0);
    /* Without AUXINT, aux bytes raise no interrupt. */
    set_ctr(0x45);
    rises12 = fake.irq_rises[12];
    rises1 = fake.irq_rises[1];
    cmd(0xd3);
    out(0x11);
    CHECK_EQ("AUXINT clear: no IRQ 12", fake.irq_rises[12], rises12);
    CHECK_EQ("AUXINT clear: no IRQ 1 either", fake.irq_rises[1], rises1);
    data();
    /* 0xd2: a byte as if from the keyboard. */
    cmd(0xd2);
    out(0x42);
    CHECK_EQ("0xd2: keyboard data", st() & (OBF | AUXOBF), OBF);
    CHECK_EQ("0xd2 byte", data(), 0x42);
    CHECK_EQ("0xd2: IRQ 1", fake.irq_rises[1], rises1 + 1);
}

static void test_reset_paths(void)
{
    setup();
    cmd(0xd0);
    unsigned op = get();
    CHECK_EQ("output port: not in reset, A20 on", op & 0x03, 0x03);
    CHECK_EQ("output port: no buffer-full bits", op & 0x30, 0);
    i8042_key(&kbc, 0x01);
    cmd(0xd0);
    data();
    CHECK_EQ("output port with keyboard data: bit 4", get() & 0x30, 0x10);
    cmd(0xd1);
    out(0xdf);
    CHECK_EQ("output port write without reset: no reset", fake.resets, 0);
    cmd(0xd0);
    CHECK_EQ("output port reads back", get(), 0xcf);
    cmd(0xd1);
    out(0xde);
    CHECK_EQ("output port bit 0 clear: reset", fake.resets, 1);
    cmd(0xfe);
    CHECK_EQ("0xfe: reset", fake.resets, 2);
    cmd(0xff);
    CHECK_EQ("0xff pulses nothing", fake.resets, 2);
    cmd(0xf1);
    cmd(0xfd);
    CHECK_EQ("odd pulse commands keep bit 0", fake.resets, 2);
    cmd(0xf0);
    cmd(0xfa);
    CHECK_EQ("even pulse commands reset", fake.resets, 4);
    CHECK_EQ("pulse commands reply nothing", st() & OBF, 0);
    unsigned logs = fake.logs;
    cmd(0xd1);
    out(0xcd);
    CHECK_EQ("A20 off is logged", fake.logs, logs + 1);
    CHECK_EQ("A20 off does not reset", fake.resets, 4);
}

static void test_widths(void)
{
    setup();
    CHECK_EQ("16-bit status read: ones above", fake_pio_read(0x64, 2), 0xff00 | UNLOCK);
    fake_pio_write(0x64, 2, 0xffaa);
    CHECK_EQ("16-bit command write uses the low byte", get(), 0x55);
    CHECK_EQ("width logged once", fake.logs, 1);
    fake_pio_write(0x60, 4, 0xeeeeeeee);
    CHECK_EQ("32-bit data write", fake_pio_read(0x60, 4), 0xffffffeeu);
    CHECK_EQ("still logged once", fake.logs, 1);
}

int main(void)
{
    test_reset_state();
    test_self_test_and_command_byte();
    test_irq();
    test_keyboard_commands();
    test_keyboard_input();
    test_linux_aux_probe();
    test_reset_paths();
    test_widths();
    return check_summary();
}
