/* SPDX-License-Identifier: MIT */
/* The i8042 keyboard controller with an AT keyboard and no mouse. Commands complete at once (IBF is
   never set). Bytes for the aux device are answered by the controller with 0xfe, flagged as aux data
   with the timeout bit, as a PS/2 controller does when no device clocks the byte in: Linux's psmouse
   probe then fails at its first command instead of waiting for timeouts. */

#include "dev/i8042.h"

#include <string.h>

#include "dev/vdev.h"

#define PORT_DATA 0x60
#define PORT_CMD  0x64
#define GSI_KBD   1
#define GSI_AUX   12

#define STS_OBF     0x01
#define STS_SYS     0x04
#define STS_CMD     0x08
#define STS_UNLOCK  0x10  /* keyboard not inhibited by the key lock */
#define STS_AUXOBF  0x20
#define STS_TIMEOUT 0x40

#define CTR_KBDINT 0x01
#define CTR_AUXINT 0x02
#define CTR_SYS    0x04
#define CTR_KBDDIS 0x10
#define CTR_AUXDIS 0x20
#define CTR_XLATE  0x40
#define CTR_RESET  (CTR_XLATE | CTR_AUXDIS | CTR_KBDINT) /* at power-on; SYS comes with the self test */

#define OUT_RESET  0x01  /* 0 = the CPU's reset line asserted */
#define OUT_A20    0x02
#define OUT_KBDOBF 0x10
#define OUT_AUXOBF 0x20
#define OUT_POWERON 0xcf /* not in reset, A20 on, clock/data lines and unused bits high */
#define INPORT     0xa0  /* keyboard not inhibited, no manufacturing jumper */

#define Q_AUX     0x100
#define Q_TIMEOUT 0x200

#define KBD_ACK    0xfa
#define KBD_RESEND 0xfe
#define KBD_BAT_OK 0xaa
#define KBD_ECHO   0xee
#define KBD_TYPEMATIC_DEFAULT 0x2b /* 10.9 characters/s after 500 ms */

#define CTR(k) ((k)->ram[0])

static bool q_push(struct i8042_queue *q, uint16_t v)
{
    if (q->count == I8042_QUEUE)
        return false;
    q->data[(q->head + q->count) % I8042_QUEUE] = v;
    q->count++;
    return true;
}

static bool q_pop(struct i8042_queue *q, uint16_t *v)
{
    if (!q->count)
        return false;
    *v = q->data[q->head];
    q->head = (q->head + 1) % I8042_QUEUE;
    q->count--;
    return true;
}

enum { LOG_A20 = 1, LOG_COMMAND = 2, LOG_WIDTH = 4 };

/* Each kind of problem is logged once. */
static void log_once(struct i8042 *kbc, unsigned kind, const char *what, unsigned value)
{
    if (kbc->logged & kind)
        return;
    kbc->logged |= (uint8_t)kind;
    vdev_log(kbc->vm, "i8042: %s %#x", what, value);
}

/* Move the next byte into an empty output buffer: controller replies first, then the keyboard's
   bytes while its interface is enabled. The interrupt is an edge for the new byte. */
static void refill(struct i8042 *kbc)
{
    uint16_t e;
    if (kbc->ob_full)
        return;
    if (!q_pop(&kbc->ctl, &e) && ((CTR(kbc) & CTR_KBDDIS) || !q_pop(&kbc->kbd, &e)))
        return;
    kbc->ob = e;
    kbc->ob_full = true;
    if (e & Q_AUX) {
        if (CTR(kbc) & CTR_AUXINT)
            vdev_irq_pulse(kbc->vm, GSI_AUX);
    } else if (CTR(kbc) & CTR_KBDINT) {
        vdev_irq_pulse(kbc->vm, GSI_KBD);
    }
}

static void reply(struct i8042 *kbc, uint16_t v)
{
    q_push(&kbc->ctl, v);
}

/* ---- the keyboard ---- */

static void kbd_send(struct i8042 *kbc, uint8_t byte)
{
    if (q_push(&kbc->kbd, byte) && byte != KBD_RESEND)
        kbc->kbd_last = byte;
}

static void kbd_defaults(struct i8042 *kbc)
{
    kbc->kbd_leds = 0;
    kbc->kbd_set = 2;
    kbc->kbd_typematic = KBD_TYPEMATIC_DEFAULT;
}

/* Scan set numbers as seen through the controller's set 2 -> set 1 translation. */
static uint8_t kbd_set_code(const struct i8042 *kbc)
{
    static const uint8_t translated[4] = {0, 0x43, 0x41, 0x3f};
    return CTR(kbc) & CTR_XLATE ? translated[kbc->kbd_set & 3] : kbc->kbd_set;
}

static void kbd_param(struct i8042 *kbc, uint8_t cmd, uint8_t v)
{
    switch (cmd) {
    case 0xed:
        kbc->kbd_leds = v & 7;
        kbd_send(kbc, KBD_ACK);
        break;
    case 0xf3:
        kbc->kbd_typematic = v & 0x7f;
        kbd_send(kbc, KBD_ACK);
        break;
    default: /* 0xf0: 0 asks for the current set, 1-3 select one */
        if (v > 3) {
            kbd_send(kbc, KBD_RESEND);
            break;
        }
        kbd_send(kbc, KBD_ACK);
        if (v)
            kbc->kbd_set = v;
        else
            kbd_send(kbc, kbd_set_code(kbc));
        break;
    }
}

static void kbd_command(struct i8042 *kbc, uint8_t v)
{
    switch (v) {
    case 0xff: /* reset and self test */
        kbc->kbd = (struct i8042_queue){0};
        kbd_defaults(kbc);
        kbc->kbd_scanning = true;
        kbd_send(kbc, KBD_ACK);
        kbd_send(kbc, KBD_BAT_OK);
        break;
    case 0xfe: kbd_send(kbc, kbc->kbd_last); break;
    case 0xf6: kbd_defaults(kbc); kbd_send(kbc, KBD_ACK); break;
    case 0xf5:
        kbd_defaults(kbc);
        kbc->kbd_scanning = false;
        kbd_send(kbc, KBD_ACK);
        break;
    case 0xf4:
        kbc->kbd_scanning = true;
        kbd_send(kbc, KBD_ACK);
        break;
    case 0xf2: /* identify: an MF2 keyboard, 0xab 0x83 (0x83 translates to 0x41) */
        kbd_send(kbc, KBD_ACK);
        kbd_send(kbc, 0xab);
        kbd_send(kbc, CTR(kbc) & CTR_XLATE ? 0x41 : 0x83);
        break;
    case 0xed:
    case 0xf0:
    case 0xf3:
        kbc->kbd_pending = v;
        kbd_send(kbc, KBD_ACK);
        break;
    case 0xee: kbd_send(kbc, KBD_ECHO); break;
    case 0xf7: case 0xf8: case 0xf9: case 0xfa: case 0xfb: case 0xfc: case 0xfd:
        kbd_send(kbc, KBD_ACK); /* scan set 3 key attributes: accepted, no effect */
        break;
    default: kbd_send(kbc, KBD_RESEND); break;
    }
}

/* A byte for the keyboard; a command byte (0xed and up) cancels a pending parameter. */
static void kbd_write(struct i8042 *kbc, uint8_t v)
{
    uint8_t cmd = kbc->kbd_pending;
    kbc->kbd_pending = 0;
    if (cmd && v < 0xed)
        kbd_param(kbc, cmd, v);
    else
        kbd_command(kbc, v);
}

/* ---- the controller ---- */

static void write_outport(struct i8042 *kbc, uint8_t v)
{
    kbc->outport = v;
    if (!(v & OUT_A20))
        log_once(kbc, LOG_A20, "A20 gate cleared (A20 stays enabled): output port", v);
    if (!(v & OUT_RESET))
        vdev_reset(kbc->vm);
}

static uint8_t read_outport(const struct i8042 *kbc)
{
    uint8_t v = kbc->outport & ~(OUT_KBDOBF | OUT_AUXOBF);
    if (kbc->ob_full)
        v |= kbc->ob & Q_AUX ? OUT_AUXOBF : OUT_KBDOBF;
    return v;
}

/* The data byte of a two-byte controller command. */
static void command_data(struct i8042 *kbc, uint8_t cmd, uint8_t v)
{
    switch (cmd) {
    case 0xd1: write_outport(kbc, v); break;
    case 0xd2: reply(kbc, v); break;
    case 0xd3: reply(kbc, v | Q_AUX); break;
    case 0xd4: /* to the aux device: none there, the transmission times out */
        CTR(kbc) &= ~CTR_AUXDIS;
        reply(kbc, 0xfe | Q_AUX | Q_TIMEOUT);
        break;
    default: kbc->ram[cmd & 0x1f] = v; break; /* 0x60-0x7f: write RAM, byte 0 = command byte */
    }
}

static void command(struct i8042 *kbc, uint8_t cmd)
{
    if (cmd >= 0x20 && cmd <= 0x3f) {
        reply(kbc, kbc->ram[cmd & 0x1f]);
        return;
    }
    if ((cmd >= 0x60 && cmd <= 0x7f) || (cmd >= 0xd1 && cmd <= 0xd4)) {
        kbc->pending = cmd;
        return;
    }
    if (cmd >= 0xf0) { /* pulse output port bits 3:0 that are 0 in the command; bit 0 is reset */
        if (!(cmd & OUT_RESET))
            vdev_reset(kbc->vm);
        return;
    }
    switch (cmd) {
    case 0xa4: reply(kbc, 0xf1); break; /* no password installed */
    case 0xa7: CTR(kbc) |= CTR_AUXDIS; break;
    case 0xa8: CTR(kbc) &= ~CTR_AUXDIS; break;
    case 0xa9: reply(kbc, 0x00); break; /* aux interface test: lines fine */
    case 0xaa:
        CTR(kbc) |= CTR_SYS;
        reply(kbc, 0x55);
        break;
    case 0xab: reply(kbc, 0x00); break; /* keyboard interface test: lines fine */
    case 0xad: CTR(kbc) |= CTR_KBDDIS; break;
    case 0xae: CTR(kbc) &= ~CTR_KBDDIS; break;
    case 0xc0: reply(kbc, INPORT); break;
    case 0xd0: reply(kbc, read_outport(kbc)); break;
    default:   log_once(kbc, LOG_COMMAND, "unsupported controller command ignored:", cmd); break;
    }
}

static uint8_t read_status(const struct i8042 *kbc)
{
    uint8_t s = STS_UNLOCK | (CTR(kbc) & CTR_SYS ? STS_SYS : 0) | (kbc->last_was_cmd ? STS_CMD : 0);
    if (kbc->ob_full)
        s |= STS_OBF | (kbc->ob & Q_AUX ? STS_AUXOBF : 0) | (kbc->ob & Q_TIMEOUT ? STS_TIMEOUT : 0);
    return s;
}

static uint8_t read_data(struct i8042 *kbc)
{
    uint8_t v = (uint8_t)kbc->ob; /* an empty buffer reads its last byte again */
    if (kbc->ob_full) {
        kbc->ob_full = false;
        refill(kbc);
    }
    return v;
}

static void write_data(struct i8042 *kbc, uint8_t v)
{
    uint8_t cmd = kbc->pending;
    kbc->last_was_cmd = false;
    kbc->pending = 0;
    if (cmd) {
        command_data(kbc, cmd, v);
    } else {
        CTR(kbc) &= ~CTR_KBDDIS; /* sending to the keyboard enables its interface */
        kbd_write(kbc, v);
    }
    refill(kbc);
}

static void write_cmd(struct i8042 *kbc, uint8_t v)
{
    kbc->last_was_cmd = true;
    kbc->pending = 0;
    command(kbc, v);
    refill(kbc);
}

/* Byte ports: a wider access uses the low byte; the bytes above are other devices' (all ones). */
static uint64_t kbc_read(void *dev, uint64_t offset, unsigned size, bool cmd_port)
{
    struct i8042 *kbc = dev;
    uint64_t ones = size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
    if (size != 1)
        log_once(kbc, LOG_WIDTH, "non-byte access uses the low byte: size", size);
    return (ones & ~0xffull) | (cmd_port ? read_status(kbc) : read_data(kbc));
}

static uint64_t data_read(void *dev, uint64_t offset, unsigned size)
{
    return kbc_read(dev, offset, size, false);
}

static uint64_t status_read(void *dev, uint64_t offset, unsigned size)
{
    return kbc_read(dev, offset, size, true);
}

static void data_write(void *dev, uint64_t offset, unsigned size, uint64_t value)
{
    if (size != 1)
        log_once(dev, LOG_WIDTH, "non-byte access uses the low byte: size", size);
    write_data(dev, (uint8_t)value);
}

static void cmd_write(void *dev, uint64_t offset, unsigned size, uint64_t value)
{
    if (size != 1)
        log_once(dev, LOG_WIDTH, "non-byte access uses the low byte: size", size);
    write_cmd(dev, (uint8_t)value);
}

static const struct vdev_ops data_ops = {.read = data_read, .write = data_write};
static const struct vdev_ops cmd_ops = {.read = status_read, .write = cmd_write};

void i8042_init(struct i8042 *kbc, struct vm *vm)
{
    memset(kbc, 0, sizeof(*kbc));
    kbc->vm = vm;
    CTR(kbc) = CTR_RESET;
    kbc->outport = OUT_POWERON;
    kbc->kbd_scanning = true;
    kbd_defaults(kbc);
    vdev_pio_register(vm, PORT_DATA, 1, &data_ops, kbc);
    vdev_pio_register(vm, PORT_CMD, 1, &cmd_ops, kbc);
}

bool i8042_key(struct i8042 *kbc, uint8_t scancode)
{
    if (!kbc->kbd_scanning || !q_push(&kbc->kbd, scancode))
        return false;
    refill(kbc);
    return true;
}
