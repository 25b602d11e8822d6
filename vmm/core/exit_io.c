/* SPDX-License-Identifier: MIT */
/* Port I/O exits: IN and OUT through the port bus. */

#include "core/vcpu.h"

#include <stdio.h>

static uint8_t logged[65536 / 8]; /* unclaimed ports already reported */

static void log_unclaimed(struct vm *vm, unsigned port, bool in)
{
    if (logged[port / 8] & (1u << (port % 8)))
        return;
    logged[port / 8] |= (uint8_t)(1u << (port % 8));
    vdev_log(vm, "%s of unclaimed port %#x ignored (reported once)", in ? "read" : "write", port);
}

uint64_t exit_io(struct vcpu *v, struct nova_utcb_arch *a, bool *ok)
{
    (void)ok;
    struct vm *vm = v->vm;
    uint64_t q = a->qual[0];
    unsigned port = q >> 16 & 0xffff, size = (q >> 4 & 7) == 1 ? 1 : (q >> 4 & 7) == 2 ? 2 : 4;
    bool in = q & 1;
    /* VMX gives the length; SVM gives the next RIP in EXITINFO2. */
    unsigned len = a->inst_len ? a->inst_len : a->qual[1] > a->rip && a->qual[1] - a->rip <= 15 ? a->qual[1] - a->rip : 1;
    if (q & 4) {
        vdev_log(vm, "string I/O on port %#x is not emulated: skipped", port);
        vcpu_skip(a, len);
        return 0;
    }
    if (in) {
        uint64_t val;
        if (!bus_read(&vm->pio, port, size, &val))
            log_unclaimed(vm, port, true);
        if (size == 4)
            a->rax = val & 0xffffffffu; /* a 32-bit destination zero-extends */
        else {
            uint64_t mask = size == 1 ? 0xffu : 0xffffu;
            a->rax = (a->rax & ~mask) | (val & mask);
        }
    } else if (!bus_write(&vm->pio, port, size, a->rax)) {
        log_unclaimed(vm, port, false);
    }
    vcpu_skip(a, len);
    return 0;
}
