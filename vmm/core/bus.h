/* SPDX-License-Identifier: MIT */
/* Address decoding for port I/O and MMIO: ranges claimed by device models, looked up per access. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "dev/vdev.h"

#define BUS_RANGES_MAX 48

struct bus_range {
    uint64_t base, len;
    const struct vdev_ops *ops;
    void *dev;
};

struct bus {
    unsigned n;
    struct bus_range r[BUS_RANGES_MAX];     /* sorted by base */
};

int bus_add(struct bus *b, uint64_t base, uint64_t len, const struct vdev_ops *ops, void *dev);
/* The range holding addr, or NULL. */
const struct bus_range *bus_find(const struct bus *b, uint64_t addr);
/* An access through the bus: unclaimed reads give all ones, unclaimed writes vanish.
   Returns whether a device claimed the address. */
bool bus_read(const struct bus *b, uint64_t addr, unsigned size, uint64_t *value);
bool bus_write(const struct bus *b, uint64_t addr, unsigned size, uint64_t value);
