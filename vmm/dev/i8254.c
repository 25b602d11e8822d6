/* SPDX-License-Identifier: MIT */
/* The 8254 interval timer and port B, after the Intel 8254 datasheet; counts are derived from vdev_now_ns(). */

#include "dev/i8254.h"

#include <string.h>

#define NS_PER_S   1000000000ull
#define REFRESH_NS 15085u /* port B bit 4 toggles every 15.085 us */
#define NEVER      UINT64_MAX

/* Input clock ticks since the VM started; seconds and remainder apart so years do not overflow. */
static uint64_t ns_to_ticks(uint64_t ns)
{
    return ns / NS_PER_S * I8254_HZ + ns % NS_PER_S * I8254_HZ / NS_PER_S;
}

/* The first nanosecond at which ns_to_ticks() reaches tick. */
static uint64_t ticks_to_ns(uint64_t tick)
{
    return tick / I8254_HZ * NS_PER_S + (tick % I8254_HZ * NS_PER_S + I8254_HZ - 1) / I8254_HZ;
}

static uint64_t now_tick(const struct i8254 *pit)
{
    return ns_to_ticks(vdev_now_ns(pit->vm));
}

static unsigned mode_of(const struct i8254_channel *c)
{
    return c->mode > 5 ? c->mode - 4u : c->mode;
}

static uint32_t modulus(const struct i8254_channel *c)
{
    return c->bcd ? 10000 : 65536;
}

static uint16_t to_bcd(uint32_t v)
{
    v %= 10000;
    return (uint16_t)((v / 1000) << 12 | (v / 100 % 10) << 8 | (v / 10 % 10) << 4 | v % 10);
}

static uint32_t from_bcd(uint32_t raw)
{
    return ((raw >> 12 & 15) * 1000 + (raw >> 8 & 15) * 100 + (raw >> 4 & 15) * 10 + (raw & 15)) % 10000;
}

/* The counting element at tick t (binary, 0..modulus - 1). */
static uint32_t count_at(const struct i8254_channel *c, uint64_t t)
{
    if (!c->running)
        return c->frozen;
    uint64_t k = t - c->start_tick;
    uint32_t m = modulus(c), p = c->ce;
    switch (mode_of(c)) {
    case 2: /* p, p - 1, ..., 1 */
        return (uint32_t)((p - k % p) % m);
    case 3: { /* down by two in each half period */
        uint64_t j = k % p, half = (p + 1) / 2;
        if (j >= half)
            j -= half;
        return (uint32_t)(((p & ~1u) - 2 * j) % m);
    }
    default: /* wraps on after terminal count */
        return (uint32_t)((c->ce + m - k % m) % m);
    }
}

static bool out_at(const struct i8254_channel *c, uint64_t t)
{
    uint64_t k = c->running ? t - c->start_tick : 0;
    switch (mode_of(c)) {
    case 0: /* low until terminal count */
        return c->has_count && (c->done || (c->running && k >= c->ce));
    case 1: /* low from the trigger to terminal count */
        return !c->running || k >= c->ce;
    case 2: /* low for the clock at count 1 */
        return !c->running || k % c->ce != c->ce - 1u;
    case 3: /* high for the first (longer) half */
        return !c->running || k % c->ce < (c->ce + 1u) / 2;
    default: /* 4, 5: low for the clock at count 0 */
        return !c->running || c->done || k != c->ce;
    }
}

/* Modes 2 and 3: a count written while counting becomes the period when the current one ends. */
static void settle(struct i8254_channel *c, uint64_t t)
{
    if (c->running && c->reload_pending && t - c->start_tick >= c->ce) {
        c->start_tick += c->ce;
        c->ce = c->reload;
        c->reload_pending = false;
        c->null_count = false;
    }
}

/* Channel 0's next interrupt edge after tick t (settled): terminal count in modes 0 and 1, the end of
   each period in 2 and 3, the end of the strobe in 4 and 5. */
static uint64_t next_edge(const struct i8254_channel *c, uint64_t t)
{
    if (!c->running)
        return NEVER;
    uint64_t k = t - c->start_tick;
    switch (mode_of(c)) {
    case 0:
    case 1:
        return c->done || k >= c->ce ? NEVER : c->start_tick + c->ce;
    case 2:
    case 3:
        return c->start_tick + (k / c->ce + 1) * c->ce;
    default:
        return c->done || k > c->ce ? NEVER : c->start_tick + c->ce + 1;
    }
}

static void set_irq(struct i8254 *pit, bool level)
{
    if (level == pit->irq_level)
        return;
    pit->irq_level = level;
    vdev_isa_timer_irq(pit->vm, 0, level);
}

/* GSI 0 follows OUT in mode 0; the other modes pulse it once per edge (however late). */
static void ch0_catch_up(struct i8254 *pit, uint64_t t)
{
    settle(&pit->ch[0], t);
    if (pit->edge_tick > t)
        return;
    pit->edge_tick = NEVER;
    if (mode_of(&pit->ch[0]) == 0) {
        set_irq(pit, true);
    } else {
        vdev_isa_timer_irq(pit->vm, 0, true);
        vdev_isa_timer_irq(pit->vm, 0, false);
        pit->irq_level = false;
    }
}

static void ch0_schedule(struct i8254 *pit, uint64_t t)
{
    struct i8254_channel *c = &pit->ch[0];
    set_irq(pit, mode_of(c) == 0 && out_at(c, t));
    uint64_t e = next_edge(c, t);
    if (e != NEVER && e == pit->edge_tick && pit->timer.armed)
        return; /* already armed for it */
    pit->edge_tick = e;
    if (e == NEVER)
        vdev_timer_cancel(pit->vm, &pit->timer);
    else
        vdev_timer_arm(pit->vm, &pit->timer, ticks_to_ns(e));
}

static void ch0_fire(struct vtimer *timer)
{
    struct i8254 *pit = timer->dev;
    uint64_t t = now_tick(pit);
    ch0_catch_up(pit, t);
    ch0_schedule(pit, t);
}

/* A count written to the count register. */
static void load_count(struct i8254_channel *c, uint64_t t, uint32_t raw)
{
    uint32_t m = modulus(c), v = c->bcd ? from_bcd(raw) : raw;
    c->reload = v ? v : m;
    c->has_count = true;
    c->null_count = true;
    switch (mode_of(c)) {
    case 0:
    case 4: /* (re)start now; a low gate holds it */
        c->ce = c->reload;
        c->frozen = c->reload % m;
        c->done = false;
        c->null_count = false;
        c->running = c->gate;
        c->start_tick = t;
        break;
    case 2:
    case 3:
        if (c->running) {
            c->start_tick += (t - c->start_tick) / c->ce * c->ce; /* the current period's start */
            c->reload_pending = true;
        } else {
            c->ce = c->reload;
            c->frozen = c->reload % m;
            c->null_count = false;
            c->running = c->gate;
            c->start_tick = t;
        }
        break;
    default: /* 1, 5: loaded by a gate trigger */
        break;
    }
}

static void pause(struct i8254_channel *c, uint64_t t)
{
    if (t - c->start_tick >= c->ce)
        c->done = true;
    c->frozen = count_at(c, t);
    c->running = false;
}

static void set_gate(struct i8254_channel *c, bool level, uint64_t t)
{
    if (level == c->gate)
        return;
    settle(c, t);
    c->gate = level;
    switch (mode_of(c)) {
    case 0:
    case 4: /* the gate holds and resumes counting */
        if (!level && c->running) {
            pause(c, t);
        } else if (level && c->has_count && !c->running) {
            c->ce = c->frozen ? c->frozen : modulus(c);
            c->start_tick = t;
            c->running = true;
        }
        break;
    case 1:
    case 5: /* a rising edge (re)triggers */
        if (level && c->has_count) {
            c->ce = c->reload;
            c->start_tick = t;
            c->running = true;
            c->null_count = false;
        }
        break;
    default: /* 2, 3: low stops with OUT high, a rising edge restarts the period */
        if (!level && c->running) {
            c->frozen = count_at(c, t);
            c->running = false;
        } else if (level && c->has_count) {
            c->ce = c->reload;
            c->reload_pending = false;
            c->null_count = false;
            c->start_tick = t;
            c->running = true;
        }
        break;
    }
}

static uint16_t readout(const struct i8254_channel *c, uint32_t v)
{
    return c->bcd ? to_bcd(v) : (uint16_t)v;
}

static void latch_count(struct i8254_channel *c, uint64_t t)
{
    if (c->latch_state)
        return; /* the first latch holds until read */
    c->latch = readout(c, count_at(c, t));
    c->latch_state = c->access;
}

static uint8_t status_of(const struct i8254_channel *c, uint64_t t)
{
    return (uint8_t)(out_at(c, t) << 7 | c->null_count << 6 | c->access << 4 | c->mode << 1 | c->bcd);
}

static void read_back(struct i8254 *pit, uint8_t v, uint64_t t)
{
    for (unsigned i = 0; i < 3; i++) {
        struct i8254_channel *c = &pit->ch[i];
        if (!(v >> (i + 1) & 1))
            continue;
        settle(c, t);
        if (!(v & 0x20))
            latch_count(c, t);
        if (!(v & 0x10) && !c->status_latched) {
            c->status = status_of(c, t);
            c->status_latched = true;
        }
    }
}

static void control_word(struct i8254 *pit, uint8_t v, uint64_t t)
{
    if (v >> 6 == 3) {
        read_back(pit, v, t);
        return;
    }
    struct i8254_channel *c = &pit->ch[v >> 6];
    settle(c, t);
    if (!(v & 0x30)) {
        latch_count(c, t);
        return;
    }
    if (c->running)
        c->frozen = count_at(c, t);
    c->mode = v >> 1 & 7;
    c->access = v >> 4 & 3;
    c->bcd = v & 1;
    c->write_msb = c->read_msb = false;
    c->latch_state = 0;
    c->status_latched = false;
    c->has_count = c->running = c->done = c->reload_pending = false;
    c->null_count = true;
}

static void write_count(struct i8254_channel *c, uint8_t v, uint64_t t)
{
    settle(c, t);
    switch (c->access) {
    case 1:
        load_count(c, t, v);
        break;
    case 2:
        load_count(c, t, (uint32_t)v << 8);
        break;
    default:
        if (c->write_msb) {
            c->write_msb = false;
            load_count(c, t, c->write_lsb | (uint32_t)v << 8);
            break;
        }
        c->write_lsb = v;
        c->write_msb = true;
        if (mode_of(c) == 0 && c->has_count) { /* the first byte stops counting, OUT low */
            if (c->running)
                c->frozen = count_at(c, t);
            c->running = c->has_count = c->done = false;
        }
        break;
    }
}

static uint8_t read_count(struct i8254_channel *c, uint64_t t)
{
    settle(c, t);
    if (c->status_latched) {
        c->status_latched = false;
        return c->status;
    }
    if (c->latch_state) {
        bool msb = c->latch_state == 2;
        c->latch_state = c->latch_state == 3 ? 2 : 0;
        return (uint8_t)(msb ? c->latch >> 8 : c->latch);
    }
    uint16_t v = readout(c, count_at(c, t));
    bool msb = c->access == 2 || (c->access == 3 && c->read_msb);
    if (c->access == 3)
        c->read_msb = !c->read_msb;
    return (uint8_t)(msb ? v >> 8 : v);
}

static uint64_t pit_read(void *dev, uint64_t offset, unsigned size)
{
    struct i8254 *pit = dev;
    uint64_t t = now_tick(pit), v = 0;
    for (unsigned i = 0; i < size && i < 8; i++) {
        uint64_t port = offset + i;
        uint8_t byte = port < 3 ? read_count(&pit->ch[port], t) : 0xff; /* 0x43 cannot be read */
        v |= (uint64_t)byte << (8 * i);
    }
    return v;
}

static void pit_write(void *dev, uint64_t offset, unsigned size, uint64_t value)
{
    struct i8254 *pit = dev;
    uint64_t t = now_tick(pit);
    ch0_catch_up(pit, t); /* an edge the timer has not delivered yet happened before this write */
    for (unsigned i = 0; i < size && i < 8; i++) {
        uint64_t port = offset + i;
        uint8_t byte = (uint8_t)(value >> (8 * i));
        if (port < 3)
            write_count(&pit->ch[port], byte, t);
        else if (port == 3)
            control_word(pit, byte, t);
    }
    ch0_schedule(pit, t);
}

static uint64_t portb_read(void *dev, uint64_t offset, unsigned size)
{
    struct i8254 *pit = dev;
    struct i8254_channel *c = &pit->ch[2];
    uint64_t ns = vdev_now_ns(pit->vm), t = ns_to_ticks(ns);
    settle(c, t);
    uint8_t b = (uint8_t)(c->gate | pit->speaker << 1 | (ns / REFRESH_NS & 1) << 4 | out_at(c, t) << 5);
    uint64_t v = ~0ull;
    if (offset == 0)
        v = (v << 8) | b;
    return size >= 8 ? v : v & ((1ull << (8 * size)) - 1);
}

static void portb_write(void *dev, uint64_t offset, unsigned size, uint64_t value)
{
    struct i8254 *pit = dev;
    if (offset != 0)
        return;
    pit->speaker = value & 2;
    set_gate(&pit->ch[2], value & 1, now_tick(pit));
}

static const struct vdev_ops pit_ops = {pit_read, pit_write};
static const struct vdev_ops portb_ops = {portb_read, portb_write};

void i8254_init(struct i8254 *pit, struct vm *vm)
{
    memset(pit, 0, sizeof(*pit));
    pit->vm = vm;
    pit->edge_tick = NEVER;
    pit->timer.fire = ch0_fire;
    pit->timer.dev = pit;
    for (unsigned i = 0; i < 3; i++) {
        pit->ch[i].access = 3;
        pit->ch[i].null_count = true;
        pit->ch[i].gate = i != 2; /* channels 0 and 1 have their gates tied high */
    }
    if (vdev_pio_register(vm, 0x40, 4, &pit_ops, pit) || vdev_pio_register(vm, 0x61, 1, &portb_ops, pit))
        vdev_log(vm, "i8254: ports already claimed");
}
