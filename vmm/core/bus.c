/* SPDX-License-Identifier: MIT */
/* Address decoding for port I/O and MMIO. */

#include "core/bus.h"

int bus_add(struct bus *b, uint64_t base, uint64_t len, const struct vdev_ops *ops, void *dev)
{
    if (len == 0 || base + len < base || b->n == BUS_RANGES_MAX)
        return -1;
    unsigned i = 0;
    for (; i < b->n; i++) {
        const struct bus_range *r = &b->r[i];
        if (base < r->base + r->len && r->base < base + len)
            return -1;
        if (r->base > base)
            break;
    }
    for (unsigned j = b->n; j > i; j--)
        b->r[j] = b->r[j - 1];
    b->r[i] = (struct bus_range){base, len, ops, dev};
    b->n++;
    return 0;
}

const struct bus_range *bus_find(const struct bus *b, uint64_t addr)
{
    unsigned lo = 0, hi = b->n;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        const struct bus_range *r = &b->r[mid];
        if (addr < r->base)
            hi = mid;
        else if (addr - r->base >= r->len)
            lo = mid + 1;
        else
            return r;
    }
    return 0;
}

static uint64_t ones(unsigned size)
{
    return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

bool bus_read(const struct bus *b, uint64_t addr, unsigned size, uint64_t *value)
{
    const struct bus_range *r = bus_find(b, addr);
    *value = ones(size);
    if (!r)
        return false;
    if (r->ops->read)
        *value = r->ops->read(r->dev, addr - r->base, size) & ones(size);
    return true;
}

bool bus_write(const struct bus *b, uint64_t addr, unsigned size, uint64_t value)
{
    const struct bus_range *r = bus_find(b, addr);
    if (!r)
        return false;
    if (r->ops->write)
        r->ops->write(r->dev, addr - r->base, size, value & ones(size));
    return true;
}
