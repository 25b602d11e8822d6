/* SPDX-License-Identifier: MIT */
/* The fake VMM behind device-model unit tests (see vdev_fake.h). */

#include "vdev_fake.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct fake_vm fake;

#define RANGES_MAX 64
struct range {
    uint64_t base, len;
    const struct vdev_ops *ops;
    void *dev;
};
static struct range pio[RANGES_MAX], mmio[RANGES_MAX];
static unsigned npio, nmmio;
static struct vtimer *timers;

void fake_reset(void)
{
    memset(&fake, 0, sizeof(fake));
    fake.tsc_hz = 2000000000ull;
    fake.wallclock_s = 1767225600ull; /* 2026-01-01 00:00:00 UTC */
    npio = nmmio = 0;
    timers = NULL;
}

static int add(struct range *t, unsigned *n, uint64_t base, uint64_t len, const struct vdev_ops *ops, void *dev)
{
    for (unsigned i = 0; i < *n; i++)
        if (base < t[i].base + t[i].len && t[i].base < base + len)
            return -1;
    if (*n == RANGES_MAX || len == 0)
        return -1;
    t[(*n)++] = (struct range){base, len, ops, dev};
    return 0;
}

static struct range *find(struct range *t, unsigned n, uint64_t a)
{
    for (unsigned i = 0; i < n; i++)
        if (a >= t[i].base && a - t[i].base < t[i].len)
            return &t[i];
    return NULL;
}

int vdev_pio_register(struct vm *vm, uint16_t base, uint16_t len, const struct vdev_ops *ops, void *dev)
{
    (void)vm;
    return add(pio, &npio, base, len, ops, dev);
}

int vdev_mmio_register(struct vm *vm, uint64_t base, uint64_t len, const struct vdev_ops *ops, void *dev)
{
    (void)vm;
    return add(mmio, &nmmio, base, len, ops, dev);
}

static uint64_t ones(unsigned size)
{
    return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

uint64_t fake_pio_read(uint16_t port, unsigned size)
{
    struct range *r = find(pio, npio, port);
    return r && r->ops->read ? r->ops->read(r->dev, port - r->base, size) : ones(size);
}

void fake_pio_write(uint16_t port, unsigned size, uint64_t value)
{
    struct range *r = find(pio, npio, port);
    if (r && r->ops->write)
        r->ops->write(r->dev, port - r->base, size, value & ones(size));
}

uint64_t fake_mmio_read(uint64_t gpa, unsigned size)
{
    struct range *r = find(mmio, nmmio, gpa);
    return r && r->ops->read ? r->ops->read(r->dev, gpa - r->base, size) : ones(size);
}

void fake_mmio_write(uint64_t gpa, unsigned size, uint64_t value)
{
    struct range *r = find(mmio, nmmio, gpa);
    if (r && r->ops->write)
        r->ops->write(r->dev, gpa - r->base, size, value & ones(size));
}

bool fake_pio_claimed(uint16_t port)
{
    return find(pio, npio, port) != NULL;
}

bool fake_mmio_claimed(uint64_t gpa)
{
    return find(mmio, nmmio, gpa) != NULL;
}

void vdev_irq_set(struct vm *vm, unsigned gsi, bool level)
{
    (void)vm;
    if (gsi >= 24)
        return;
    if (level && !fake.irq[gsi])
        fake.irq_rises[gsi]++;
    fake.irq[gsi] = level;
}

void vdev_isa_timer_irq(struct vm *vm, unsigned gsi, bool level)
{
    fake.isa_timer[gsi == 8] = level;
    if (!fake.hpet_legacy)
        vdev_irq_set(vm, gsi, level);
}

void vdev_hpet_legacy(struct vm *vm, bool on)
{
    fake.hpet_legacy = on;
    fake.hpet_legacy_calls++;
    for (unsigned i = 0; i < 2; i++)
        if (fake.isa_timer[i])
            vdev_irq_set(vm, i ? 8 : 0, !on);
}

void vdev_msi(struct vm *vm, uint64_t address, uint32_t data)
{
    (void)vm;
    if (fake.nmsi < FAKE_MSI_MAX)
        fake.msi[fake.nmsi] = (struct fake_msi){address, data};
    fake.nmsi++;
}

void vdev_ipi(struct vm *vm, unsigned src, uint32_t icr_low, uint32_t dest)
{
    (void)vm;
    fake.nipi++;
    fake.ipi_src = src;
    fake.ipi_icr_low = icr_low;
    fake.ipi_dest = dest;
}

void vdev_vcpu_kick(struct vm *vm, unsigned vcpu)
{
    (void)vm;
    if (vcpu < 64)
        fake.kicks[vcpu]++;
}

void vdev_eoi(struct vm *vm, unsigned vector)
{
    (void)vm;
    fake.neoi++;
    fake.last_eoi = vector;
}

uint64_t vdev_now_ns(struct vm *vm)
{
    (void)vm;
    return fake.now_ns;
}

uint64_t vdev_tsc_hz(struct vm *vm)
{
    (void)vm;
    return fake.tsc_hz;
}

uint64_t vdev_wallclock_s(struct vm *vm)
{
    (void)vm;
    return fake.wallclock_s + fake.now_ns / 1000000000ull;
}

void vdev_timer_cancel(struct vm *vm, struct vtimer *t)
{
    (void)vm;
    for (struct vtimer **p = &timers; *p; p = &(*p)->next)
        if (*p == t) {
            *p = t->next;
            break;
        }
    t->armed = false;
}

void vdev_timer_arm(struct vm *vm, struct vtimer *t, uint64_t deadline_ns)
{
    vdev_timer_cancel(vm, t);
    t->deadline_ns = deadline_ns;
    t->armed = true;
    t->next = timers;
    timers = t;
}

uint64_t fake_next_deadline(void)
{
    uint64_t d = UINT64_MAX;
    for (struct vtimer *t = timers; t; t = t->next)
        if (t->deadline_ns < d)
            d = t->deadline_ns;
    return d;
}

void fake_advance(uint64_t ns)
{
    uint64_t end = fake.now_ns + ns;
    for (;;) {
        struct vtimer *first = NULL;
        for (struct vtimer *t = timers; t; t = t->next)
            if (!first || t->deadline_ns < first->deadline_ns)
                first = t;
        if (!first || first->deadline_ns > end)
            break;
        if (first->deadline_ns > fake.now_ns)
            fake.now_ns = first->deadline_ns;
        vdev_timer_cancel(FAKE_VM, first);
        first->fire(first);
    }
    fake.now_ns = end;
}

bool vdev_mem_read(struct vm *vm, uint64_t gpa, void *buf, size_t len)
{
    (void)vm;
    if (gpa > FAKE_MEM_SIZE || len > FAKE_MEM_SIZE - gpa)
        return false;
    memcpy(buf, fake.mem + gpa, len);
    return true;
}

bool vdev_mem_write(struct vm *vm, uint64_t gpa, const void *buf, size_t len)
{
    (void)vm;
    if (gpa > FAKE_MEM_SIZE || len > FAKE_MEM_SIZE - gpa)
        return false;
    memcpy(fake.mem + gpa, buf, len);
    return true;
}

void vdev_console_write(struct vm *vm, const char *buf, size_t len)
{
    (void)vm;
    for (size_t i = 0; i < len && fake.console_len + 1 < FAKE_CONSOLE_MAX; i++)
        fake.console[fake.console_len++] = buf[i];
    fake.console[fake.console_len] = 0;
}

void vdev_poweroff(struct vm *vm)
{
    (void)vm;
    fake.poweroffs++;
}

void vdev_reset(struct vm *vm)
{
    (void)vm;
    fake.resets++;
}

void vdev_log(struct vm *vm, const char *fmt, ...)
{
    (void)vm;
    va_list ap;
    va_start(ap, fmt);
    printf("# device log: ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    fake.logs++;
}
