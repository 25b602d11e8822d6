/* SPDX-License-Identifier: MIT */
/* HPET model: main counter derived from guest time, comparators driven by one vtimer each. */

#include "dev/hpet.h"

#include <string.h>

#define TIMER_REGS_END  HPET_REG_TN_CONFIG(HPET_TIMERS)
#define ROUTE_OF(cfg)   ((unsigned)(((cfg) & HPET_TN_ROUTE_MASK) >> HPET_TN_ROUTE_SHIFT))

static uint64_t merge(uint64_t old, uint64_t value, uint64_t mask)
{
    return (old & ~mask) | (value & mask);
}

static bool running(const struct hpet *h)
{
    return h->config & HPET_CFG_ENABLE;
}

static uint64_t counter_now(const struct hpet *h)
{
    if (!running(h))
        return h->counter;
    return h->counter + (vdev_now_ns(h->vm) - h->base_ns) / HPET_NS_PER_TICK;
}

/* The GSI a timer drives, or -1 if its route is not one it can use. */
static int timer_gsi(const struct hpet *h, unsigned n)
{
    if ((h->config & HPET_CFG_LEG_RT) && n < 2)
        return n == 0 ? 0 : 8;
    unsigned route = ROUTE_OF(h->timer[n].config);
    if (!(HPET_ROUTE_CAP & (1u << route)))
        return -1;
    return route == 2 ? 0 : (int)route; /* IOAPIC pin 2 is the line the VMM calls GSI 0 */
}

/* Level-triggered timers hold their line while their status bit is set. */
static void update_lines(struct hpet *h)
{
    uint32_t want = 0;
    for (unsigned n = 0; n < HPET_TIMERS; n++) {
        const struct hpet_timer *t = &h->timer[n];
        if (!running(h) || !(t->config & HPET_TN_INT_ENB) || !(t->config & HPET_TN_INT_TYPE) ||
            !(h->isr & (1u << n)))
            continue;
        int gsi = timer_gsi(h, n);
        if (gsi >= 0)
            want |= 1u << gsi;
    }
    uint32_t change = want ^ h->lines;
    h->lines = want;
    for (unsigned gsi = 0; gsi < 32; gsi++)
        if (change & (1u << gsi))
            vdev_irq_set(h->vm, gsi, want & (1u << gsi));
}

static void timer_raise(struct hpet *h, unsigned n)
{
    const struct hpet_timer *t = &h->timer[n];
    if (t->config & HPET_TN_INT_TYPE) {
        h->isr |= 1u << n; /* set even with INT_ENB clear; only the interrupt is masked */
        update_lines(h);
        return;
    }
    if (!(t->config & HPET_TN_INT_ENB))
        return;
    int gsi = timer_gsi(h, n);
    if (gsi < 0) {
        if (!h->logged_route)
            vdev_log(h->vm, "hpet: timer %u fired with unsupported route %u", n, ROUTE_OF(t->config));
        h->logged_route = true;
        return;
    }
    if (!(h->lines & (1u << gsi))) /* a line held high by a level timer shows no edge */
        vdev_irq_pulse(h->vm, (unsigned)gsi);
}

/* Arm the timer's vtimer for its next event: a comparator match or, for a 32-bit one-shot
   timer, the wrap of the counter's low half (which also interrupts). */
static void timer_schedule(struct hpet_timer *t)
{
    struct hpet *h = t->hpet;
    vdev_timer_cancel(h->vm, &t->vt);
    if (!running(h))
        return;
    uint64_t cur = counter_now(h);
    uint64_t ticks;
    bool wrap = false;
    if (t->config & HPET_TN_32MODE) {
        uint32_t low = (uint32_t)cur;
        ticks = (uint32_t)((uint32_t)t->cmp - low);
        if (ticks == 0)
            ticks = 1ull << 32; /* the match for the current value has passed */
        uint64_t to_wrap = (1ull << 32) - low;
        if (!(t->config & HPET_TN_TYPE) && to_wrap < ticks) {
            ticks = to_wrap;
            wrap = true;
        }
    } else {
        ticks = t->cmp - cur;
        if (ticks == 0)
            return;
    }
    uint64_t done = cur - h->counter; /* ticks since base_ns */
    uint64_t limit = (UINT64_MAX - h->base_ns) / HPET_NS_PER_TICK;
    if (done > limit || ticks > limit - done)
        return; /* beyond the end of guest time */
    uint64_t since = done + ticks;
    t->target = cur + ticks;
    t->wrap = wrap;
    vdev_timer_arm(h->vm, &t->vt, h->base_ns + since * HPET_NS_PER_TICK);
}

static void timer_fire(struct vtimer *vt)
{
    struct hpet_timer *t = vt->dev;
    struct hpet *h = t->hpet;
    if (!running(h))
        return;
    uint64_t cur = counter_now(h);
    if (cur < t->target)
        cur = t->target;
    if (!t->wrap && (t->config & HPET_TN_TYPE)) {
        /* Periodic: the comparator advances by the period for every match up to now (several
           if the VMM ran the timer late; they coalesce into one interrupt). */
        uint64_t period = t->config & HPET_TN_32MODE ? (uint32_t)t->period : t->period;
        if (period == 0) {
            if (!h->logged_period)
                vdev_log(h->vm, "hpet: periodic timer %u with period 0", t->index);
            h->logged_period = true;
        } else {
            t->cmp += ((cur - t->target) / period + 1) * period;
            if (t->config & HPET_TN_32MODE)
                t->cmp = (uint32_t)t->cmp;
        }
    }
    timer_raise(h, t->index);
    timer_schedule(t);
}

static uint64_t timer_config_read(const struct hpet_timer *t)
{
    uint64_t v = t->config | HPET_TN_SIZE_CAP | (uint64_t)HPET_ROUTE_CAP << 32;
    if (t->index == 0)
        v |= HPET_TN_PER_INT_CAP;
    return v;
}

static void timer_config_write(struct hpet_timer *t, uint64_t value)
{
    struct hpet *h = t->hpet;
    uint64_t writable = HPET_TN_INT_TYPE | HPET_TN_INT_ENB | HPET_TN_VAL_SET | HPET_TN_32MODE | HPET_TN_ROUTE_MASK;
    if (t->index == 0)
        writable |= HPET_TN_TYPE; /* only timer 0 is periodic capable */
    uint64_t cfg = value & writable;
    unsigned route = ROUTE_OF(cfg);
    if (!(HPET_ROUTE_CAP & (1u << route))) {
        /* Unsupported routes do not stick: software reads back what it wrote to find out. */
        if (route != ROUTE_OF(t->config) && !h->logged_route)
            vdev_log(h->vm, "hpet: timer %u route %u not supported", t->index, route);
        if (route != ROUTE_OF(t->config))
            h->logged_route = true;
        cfg = merge(cfg, t->config, HPET_TN_ROUTE_MASK);
    }
    if (cfg & HPET_TN_32MODE) {
        t->cmp = (uint32_t)t->cmp;
        t->period = (uint32_t)t->period;
    }
    if (!(cfg & HPET_TN_INT_TYPE))
        h->isr &= ~(1ull << t->index); /* edge timers have no status */
    t->config = cfg;
    timer_schedule(t);
    update_lines(h);
}

/* A comparator write sets the period and, unless the timer is periodic without VAL_SET, the
   comparator itself (a periodic timer's accumulator changes only with VAL_SET). */
static void timer_cmp_write(struct hpet_timer *t, uint64_t value, uint64_t mask)
{
    if (t->config & HPET_TN_32MODE) {
        mask &= 0xffffffffu;
        if (!mask)
            return;
    }
    if (!(t->config & HPET_TN_TYPE) || (t->config & HPET_TN_VAL_SET))
        t->cmp = merge(t->cmp, value, mask);
    t->period = merge(t->period, value, mask);
    t->config &= ~(uint64_t)HPET_TN_VAL_SET;
    timer_schedule(t);
}

static void config_write(struct hpet *h, uint64_t value)
{
    uint64_t cfg = value & (HPET_CFG_ENABLE | HPET_CFG_LEG_RT);
    bool toggled = (cfg ^ h->config) & HPET_CFG_ENABLE;
    if (toggled && (cfg & HPET_CFG_ENABLE))
        h->base_ns = vdev_now_ns(h->vm);
    else if (toggled)
        h->counter = counter_now(h);
    bool legacy_on = (cfg & ~h->config) & HPET_CFG_LEG_RT, legacy_off = (h->config & ~cfg) & HPET_CFG_LEG_RT;
    h->config = cfg;
    if (toggled)
        for (unsigned n = 0; n < HPET_TIMERS; n++)
            timer_schedule(&h->timer[n]);
    if (legacy_on) /* the PIT and RTC let go of GSI 0 and 8 before timers 0 and 1 drive them */
        vdev_hpet_legacy(h->vm, true);
    update_lines(h);
    if (legacy_off)
        vdev_hpet_legacy(h->vm, false);
}

static void counter_write(struct hpet *h, uint64_t value, uint64_t mask)
{
    if (running(h)) {
        if (!h->logged_counter)
            vdev_log(h->vm, "hpet: main counter write while running ignored");
        h->logged_counter = true;
        return;
    }
    h->counter = merge(h->counter, value, mask);
}

static uint64_t reg_read(struct hpet *h, unsigned reg)
{
    switch (reg) {
    case HPET_REG_CAP:
        return (uint64_t)HPET_PERIOD_FS << 32 | HPET_CAP_ID_LOW;
    case HPET_REG_CONFIG:
        return h->config;
    case HPET_REG_ISR:
        return h->isr;
    case HPET_REG_COUNTER:
        return counter_now(h);
    }
    if (reg < HPET_REG_TN_CONFIG(0) || reg >= TIMER_REGS_END)
        return 0; /* reserved */
    const struct hpet_timer *t = &h->timer[(reg - HPET_REG_TN_CONFIG(0)) / 0x20];
    switch ((reg - HPET_REG_TN_CONFIG(0)) % 0x20) {
    case 0x00:
        return timer_config_read(t);
    case 0x08:
        return t->cmp;
    default:
        return 0; /* FSB route (not supported) and reserved */
    }
}

static void reg_write(struct hpet *h, unsigned reg, uint64_t value, uint64_t mask)
{
    switch (reg) {
    case HPET_REG_CONFIG:
        config_write(h, merge(h->config, value, mask));
        return;
    case HPET_REG_ISR:
        h->isr &= ~(value & mask); /* write 1 to clear */
        update_lines(h);
        return;
    case HPET_REG_COUNTER:
        counter_write(h, value, mask);
        return;
    }
    if (reg < HPET_REG_TN_CONFIG(0) || reg >= TIMER_REGS_END)
        return;
    struct hpet_timer *t = &h->timer[(reg - HPET_REG_TN_CONFIG(0)) / 0x20];
    switch ((reg - HPET_REG_TN_CONFIG(0)) % 0x20) {
    case 0x00:
        timer_config_write(t, merge(timer_config_read(t), value, mask));
        return;
    case 0x08:
        timer_cmp_write(t, value, mask);
        return;
    }
}

static bool access_ok(struct hpet *h, uint64_t offset, unsigned size)
{
    if ((size == 4 || size == 8) && offset % size == 0 && offset < HPET_MMIO_SIZE)
        return true;
    if (!h->logged_width)
        vdev_log(h->vm, "hpet: unsupported %u-byte access at offset %#llx", size, (unsigned long long)offset);
    h->logged_width = true;
    return false;
}

static uint64_t hpet_read(void *dev, uint64_t offset, unsigned size)
{
    struct hpet *h = dev;
    if (!access_ok(h, offset, size))
        return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
    uint64_t v = reg_read(h, (unsigned)offset & ~7u);
    return size == 8 ? v : (uint32_t)(v >> (offset & 4) * 8);
}

static void hpet_write(void *dev, uint64_t offset, unsigned size, uint64_t value)
{
    struct hpet *h = dev;
    if (!access_ok(h, offset, size))
        return;
    unsigned shift = (unsigned)(offset & 4) * 8;
    uint64_t mask = size == 8 ? ~0ull : 0xffffffffull << shift;
    reg_write(h, (unsigned)offset & ~7u, value << shift, mask);
}

static const struct vdev_ops hpet_ops = {.read = hpet_read, .write = hpet_write};

void hpet_init(struct hpet *h, struct vm *vm, uint64_t base)
{
    memset(h, 0, sizeof(*h));
    h->vm = vm;
    for (unsigned n = 0; n < HPET_TIMERS; n++) {
        struct hpet_timer *t = &h->timer[n];
        t->hpet = h;
        t->index = n;
        t->cmp = ~0ull; /* reset value of the comparators */
        t->vt.fire = timer_fire;
        t->vt.dev = t;
    }
    if (vdev_mmio_register(vm, base, HPET_MMIO_SIZE, &hpet_ops, h) != 0)
        vdev_log(vm, "hpet: cannot claim MMIO at %#llx", (unsigned long long)base);
}

bool hpet_legacy_enabled(const struct hpet *h)
{
    return h->config & HPET_CFG_LEG_RT;
}
