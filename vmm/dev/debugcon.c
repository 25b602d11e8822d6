/* SPDX-License-Identifier: MIT */
/* The Bochs/QEMU debug console (port 0xe9): guest bytes to the VM console. Copy this file to start
   a new device model; docs/devices.md walks through it. */

#include "dev/debugcon.h"

#include <string.h>

#include "dev/vdev.h"

/* Guest input is untrusted: an access of any size (1, 2 or 4 for port I/O) can arrive. The port
   is one byte wide, so the bytes above it belong to ports 0xea.. and nothing drives them (all
   ones), as on an ISA bus. Report the odd width once, never per access: a guest in a loop must
   not flood the log. */
static void check_width(struct debugcon *d, unsigned size)
{
    if (size == 1 || d->logged_width)
        return;
    d->logged_width = true;
    vdev_log(d->vm, "debugcon: %u-byte access to port %#x: only the low byte is the port's", size, DEBUGCON_PORT);
}

/* offset is from the block's base and always inside it (the bus dispatches by an access's first
   port), but size may reach past the block's end: here the block is one port, so offset is 0. */
static uint64_t debugcon_read(void *dev, uint64_t offset, unsigned size)
{
    struct debugcon *d = dev;
    uint64_t ones = size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
    check_width(d, size);
    return (ones & ~0xffull) | DEBUGCON_READBACK;
}

/* Callbacks run under the VM lock on a vCPU's exit path: do the work and return, never block. */
static void debugcon_write(void *dev, uint64_t offset, unsigned size, uint64_t value)
{
    struct debugcon *d = dev;
    char c = (char)value;
    check_width(d, size);
    vdev_console_write(d->vm, &c, 1);
}

/* One static const table per register block; the dev pointer given at registration comes back as
   the first argument of every callback. */
static const struct vdev_ops debugcon_ops = {.read = debugcon_read, .write = debugcon_write};

void debugcon_init(struct debugcon *d, struct vm *vm)
{
    memset(d, 0, sizeof(*d));
    d->vm = vm;
    if (vdev_pio_register(vm, DEBUGCON_PORT, 1, &debugcon_ops, d) != 0)
        vdev_log(vm, "debugcon: port %#x already claimed", DEBUGCON_PORT);
}
