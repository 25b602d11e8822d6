/* SPDX-License-Identifier: MIT */
/* The cascaded 8259A pair and the ELCR, after the Intel 8259A datasheet and the PIIX ELCR. */

#include "dev/i8259.h"

#include <string.h>

#include "dev/vdev.h"

enum {
    ICW1_IC4 = 0x01,
    ICW1_SNGL = 0x02,
    ICW1_LTIM = 0x08,
    ICW1_INIT = 0x10,
    ICW4_UPM = 0x01,
    ICW4_AEOI = 0x02,
    ICW4_SFNM = 0x10,
    OCW3_SEL = 0x08,
    CASCADE_IR = 2,
    ELCR_MASTER_RW = 0xf8, /* IRQ 0, 1, 2 are always edge-triggered */
    ELCR_SLAVE_RW = 0xde,  /* so are IRQ 8 and 13 */
};

/* Problems logged once. */
enum {
    LOG_MCS80 = 1u << 0,
    LOG_NO_SLAVE = 1u << 1,
};

static void log_once(struct i8259 *pic, uint32_t what, const char *msg)
{
    if (pic->logged & what)
        return;
    pic->logged |= what;
    vdev_log(pic->vm, "i8259: %s", msg);
}

static bool is_master(const struct i8259 *pic, const struct i8259_chip *c)
{
    return c == &pic->master;
}

static uint8_t level_mask(const struct i8259_chip *c)
{
    return c->icw1 & ICW1_LTIM ? 0xff : c->elcr;
}

/* 0 is the highest priority; the IR after the lowest one has it. */
static unsigned priority(const struct i8259_chip *c, unsigned ir)
{
    return (ir - c->lowest - 1) & 7;
}

/* The IR in mask with the highest priority, or -1. */
static int highest(const struct i8259_chip *c, uint8_t mask)
{
    for (unsigned p = 0; p < 8; p++) {
        unsigned ir = (c->lowest + 1 + p) & 7;
        if (mask >> ir & 1)
            return (int)ir;
    }
    return -1;
}

/* Whether the master treats IR ir as a slave's (cascade mode, ICW3 bit). */
static bool has_slave(const struct i8259 *pic, const struct i8259_chip *c, unsigned ir)
{
    return is_master(pic, c) && !(c->icw1 & ICW1_SNGL) && (c->icw3 >> ir & 1);
}

/* The IR this chip would interrupt for (its INT output), or -1. */
static int pending(const struct i8259 *pic, const struct i8259_chip *c)
{
    int ir = highest(c, c->irr & ~c->imr);
    if (ir < 0)
        return -1;
    uint8_t busy = c->isr;
    if (c->special_mask)
        busy &= ~c->imr; /* masked levels in service do not block others */
    if ((c->icw4 & ICW4_SFNM) && has_slave(pic, c, (unsigned)ir))
        busy &= ~(1u << ir); /* a slave in service may interrupt again for a higher level */
    int cur = highest(c, busy);
    if (cur >= 0 && priority(c, (unsigned)ir) >= priority(c, (unsigned)cur))
        return -1;
    return ir;
}

/* An input's new level: edges latch into IRR, level-triggered inputs' IRR bits follow the line. */
static void chip_input(struct i8259_chip *c, unsigned ir, bool level)
{
    uint8_t bit = (uint8_t)(1u << ir);
    if (level_mask(c) & bit)
        c->irr = level ? c->irr | bit : c->irr & ~bit;
    else if (level && !(c->line & bit))
        c->irr |= bit;
    c->line = level ? c->line | bit : c->line & ~bit;
}

/* After every change: the slave's INT drives the master's IR2; note INTR for a later INTA. */
static void sync(struct i8259 *pic)
{
    chip_input(&pic->master, CASCADE_IR, pending(pic, &pic->slave) >= 0);
    if (i8259_intr(pic))
        pic->intr_seen = true;
}

static uint8_t vector(const struct i8259_chip *c, unsigned ir)
{
    return (uint8_t)((c->icw2 & 0xf8) | ir);
}

/* INTA (or a poll) for IR ir: IRR to ISR, or with automatic EOI straight to done. */
static void intack(struct i8259_chip *c, unsigned ir)
{
    uint8_t bit = (uint8_t)(1u << ir);
    if (!(level_mask(c) & bit))
        c->irr &= ~bit;
    if (!(c->icw4 & ICW4_AEOI))
        c->isr |= bit;
    else if (c->rotate_aeoi)
        c->lowest = (uint8_t)ir;
}

bool i8259_intr(const struct i8259 *pic)
{
    return pending(pic, &pic->master) >= 0;
}

/* The vector for the master's IR ir, whose INTA goes to a slave. */
static int ack_cascade(struct i8259 *pic, unsigned ir)
{
    struct i8259_chip *s = &pic->slave;
    intack(&pic->master, ir);
    pic->master.line &= (uint8_t)~(1u << ir); /* INT drops during INTA: a request still there is a new edge */
    if (ir != CASCADE_IR || (s->icw1 & ICW1_SNGL) || (s->icw3 & 7) != CASCADE_IR) {
        log_once(pic, LOG_NO_SLAVE, "INTA for a cascade input no slave answers: vector 0xff");
        return 0xff;
    }
    int sir = pending(pic, s);
    if (sir < 0)
        return vector(s, 7); /* the slave's request went away: its spurious IRQ 15 */
    intack(s, (unsigned)sir);
    return vector(s, (unsigned)sir);
}

int i8259_ack(struct i8259 *pic)
{
    struct i8259_chip *m = &pic->master;
    int ir = pending(pic, m);
    int vec;
    if (ir < 0) {
        if (!pic->intr_seen)
            return -1;
        vec = vector(m, 7); /* spurious IRQ 7: no ISR bit */
    } else if (has_slave(pic, m, (unsigned)ir)) {
        vec = ack_cascade(pic, (unsigned)ir);
    } else {
        intack(m, (unsigned)ir);
        vec = vector(m, (unsigned)ir);
    }
    pic->intr_seen = false;
    sync(pic);
    return vec;
}

void i8259_set_irq(struct i8259 *pic, unsigned irq, bool level)
{
    if (irq >= 16 || irq == CASCADE_IR)
        return;
    chip_input(irq < 8 ? &pic->master : &pic->slave, irq & 7, level);
    sync(pic);
}

/* ICW1 resets what the datasheet lists: edge sense, IMR, priority, SMM, read select, ICW4 if not needed. */
static void icw1(struct i8259 *pic, struct i8259_chip *c, uint8_t v)
{
    c->icw1 = v;
    c->init_step = 2;
    c->imr = 0;
    c->isr = 0; /* not in the datasheet's list, but a re-initialized chip has nothing in service */
    c->irr = c->line & level_mask(c);
    c->lowest = 7;
    c->special_mask = false;
    c->read_isr = false;
    c->poll = false;
    c->rotate_aeoi = false;
    if (!(v & ICW1_IC4))
        c->icw4 = 0;
    if (is_master(pic, c))
        pic->intr_seen = false;
}

/* Non-specific EOI: end the highest-priority level in service (in SMM, one not masked). */
static void eoi_nonspecific(struct i8259_chip *c, bool rotate)
{
    uint8_t busy = c->isr;
    if (c->special_mask)
        busy &= ~c->imr;
    int ir = highest(c, busy);
    if (ir < 0)
        return;
    c->isr &= (uint8_t)~(1u << ir);
    if (rotate)
        c->lowest = (uint8_t)ir;
}

static void ocw2(struct i8259_chip *c, uint8_t v)
{
    uint8_t l = v & 7;
    switch (v >> 5) {
    case 0: /* clear rotate in AEOI mode */
        c->rotate_aeoi = false;
        break;
    case 1: /* non-specific EOI */
        eoi_nonspecific(c, false);
        break;
    case 2: /* no operation */
        break;
    case 3: /* specific EOI */
        c->isr &= (uint8_t)~(1u << l);
        break;
    case 4: /* set rotate in AEOI mode */
        c->rotate_aeoi = true;
        break;
    case 5: /* rotate on non-specific EOI */
        eoi_nonspecific(c, true);
        break;
    case 6: /* set priority: l lowest */
        c->lowest = l;
        break;
    default: /* rotate on specific EOI */
        c->isr &= (uint8_t)~(1u << l);
        c->lowest = l;
        break;
    }
}

static void ocw3(struct i8259_chip *c, uint8_t v)
{
    if (v & 0x40)
        c->special_mask = v & 0x20;
    if (v & 0x04)
        c->poll = true;
    if (v & 0x02)
        c->read_isr = v & 1;
}

static void write_data(struct i8259 *pic, struct i8259_chip *c, uint8_t v)
{
    switch (c->init_step) {
    case 2:
        c->icw2 = v;
        c->init_step = !(c->icw1 & ICW1_SNGL) ? 3 : (c->icw1 & ICW1_IC4) ? 4 : 0;
        break;
    case 3:
        c->icw3 = v;
        c->init_step = c->icw1 & ICW1_IC4 ? 4 : 0;
        break;
    case 4:
        c->icw4 = v;
        c->init_step = 0;
        break;
    default:
        c->imr = v;
        return;
    }
    if (!c->init_step && !(c->icw4 & ICW4_UPM))
        log_once(pic, LOG_MCS80, "MCS-80/85 mode (ICW4 bit 0 clear) is not supported: 8086 vectors used");
}

static void write_port(struct i8259 *pic, struct i8259_chip *c, unsigned port, uint8_t v)
{
    if (port == 1)
        write_data(pic, c, v);
    else if (v & ICW1_INIT)
        icw1(pic, c, v);
    else if (v & OCW3_SEL)
        ocw3(c, v);
    else
        ocw2(c, v);
}

/* A poll: INTA without the CPU, answered with 0x80 | IR or 0 if nothing is requested. */
static uint8_t poll_read(struct i8259 *pic, struct i8259_chip *c)
{
    c->poll = false;
    int ir = pending(pic, c);
    if (ir < 0)
        return 0;
    intack(c, (unsigned)ir); /* a master polled for IR2 leaves the slave to be polled too */
    return (uint8_t)(0x80 | ir);
}

static uint8_t read_port(struct i8259 *pic, struct i8259_chip *c, unsigned port)
{
    if (c->poll)
        return poll_read(pic, c);
    if (port == 1)
        return c->imr;
    return c->read_isr ? c->isr : c->irr;
}

/* ELCR: one byte per chip; the bits of IRQ 0, 1, 2, 8 and 13 stay 0. */
static void write_elcr(struct i8259 *pic, unsigned port, uint8_t v)
{
    struct i8259_chip *c = port ? &pic->slave : &pic->master;
    c->elcr = v & (port ? ELCR_SLAVE_RW : ELCR_MASTER_RW);
    uint8_t lm = level_mask(c);
    c->irr = (uint8_t)((c->irr & ~lm) | (c->line & lm));
}

/* Byte-wise access to a 2-port block: wider accesses reach the following ports, bytes past it float. */
enum block { BLOCK_MASTER, BLOCK_SLAVE, BLOCK_ELCR };

static uint8_t read_byte(struct i8259 *pic, enum block b, unsigned port)
{
    switch (b) {
    case BLOCK_MASTER:
        return read_port(pic, &pic->master, port);
    case BLOCK_SLAVE:
        return read_port(pic, &pic->slave, port);
    default:
        return port ? pic->slave.elcr : pic->master.elcr;
    }
}

static void write_byte(struct i8259 *pic, enum block b, unsigned port, uint8_t v)
{
    switch (b) {
    case BLOCK_MASTER:
        write_port(pic, &pic->master, port, v);
        break;
    case BLOCK_SLAVE:
        write_port(pic, &pic->slave, port, v);
        break;
    default:
        write_elcr(pic, port, v);
        break;
    }
}

static uint64_t block_read(struct i8259 *pic, enum block b, uint64_t offset, unsigned size)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < size && i < 8; i++) {
        uint64_t port = offset + i;
        uint8_t byte = port < 2 ? read_byte(pic, b, (unsigned)port) : 0xff;
        v |= (uint64_t)byte << (8 * i);
    }
    sync(pic); /* polls acknowledge */
    return v;
}

static void block_write(struct i8259 *pic, enum block b, uint64_t offset, unsigned size, uint64_t value)
{
    for (unsigned i = 0; i < size && i < 8; i++)
        if (offset + i < 2)
            write_byte(pic, b, (unsigned)(offset + i), (uint8_t)(value >> (8 * i)));
    sync(pic);
}

static uint64_t master_read(void *dev, uint64_t offset, unsigned size)
{
    return block_read(dev, BLOCK_MASTER, offset, size);
}

static void master_write(void *dev, uint64_t offset, unsigned size, uint64_t value)
{
    block_write(dev, BLOCK_MASTER, offset, size, value);
}

static uint64_t slave_read(void *dev, uint64_t offset, unsigned size)
{
    return block_read(dev, BLOCK_SLAVE, offset, size);
}

static void slave_write(void *dev, uint64_t offset, unsigned size, uint64_t value)
{
    block_write(dev, BLOCK_SLAVE, offset, size, value);
}

static uint64_t elcr_read(void *dev, uint64_t offset, unsigned size)
{
    return block_read(dev, BLOCK_ELCR, offset, size);
}

static void elcr_write(void *dev, uint64_t offset, unsigned size, uint64_t value)
{
    block_write(dev, BLOCK_ELCR, offset, size, value);
}

static const struct vdev_ops master_ops = {master_read, master_write};
static const struct vdev_ops slave_ops = {slave_read, slave_write};
static const struct vdev_ops elcr_ops = {elcr_read, elcr_write};

static void chip_reset(struct i8259 *pic, struct i8259_chip *c, uint8_t base, uint8_t icw3)
{
    memset(c, 0, sizeof(*c));
    icw1(pic, c, ICW1_INIT | ICW1_IC4);
    c->icw2 = base;
    c->icw3 = icw3;
    c->icw4 = ICW4_UPM;
    c->init_step = 0;
}

void i8259_init(struct i8259 *pic, struct vm *vm)
{
    memset(pic, 0, sizeof(*pic));
    pic->vm = vm;
    chip_reset(pic, &pic->master, 0x08, 1u << CASCADE_IR);
    chip_reset(pic, &pic->slave, 0x70, CASCADE_IR);
    if (vdev_pio_register(vm, 0x20, 2, &master_ops, pic) || vdev_pio_register(vm, 0xa0, 2, &slave_ops, pic) ||
        vdev_pio_register(vm, 0x4d0, 2, &elcr_ops, pic))
        vdev_log(vm, "i8259: ports already claimed");
}
