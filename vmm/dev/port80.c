/* SPDX-License-Identifier: MIT */
/* Port 0x80, the POST code / I/O delay port (Linux writes it for short delays). */

#include "dev/port80.h"

#include "dev/vdev.h"

#define PORT80 0x80

/* Only the low byte belongs to this port; wider reads see all ones above it (nothing drives them). */
static uint64_t port80_read(void *dev, uint64_t offset, unsigned size)
{
    struct port80 *p = dev;
    uint64_t ones = size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
    return offset == 0 ? (ones & ~0xffull) | p->last : ones;
}

static void port80_write(void *dev, uint64_t offset, unsigned size, uint64_t value)
{
    struct port80 *p = dev;
    if (offset == 0)
        p->last = (uint8_t)value;
}

static const struct vdev_ops port80_ops = {.read = port80_read, .write = port80_write};

void port80_init(struct port80 *p, struct vm *vm)
{
    p->last = 0xff;
    vdev_pio_register(vm, PORT80, 1, &port80_ops, p);
}
