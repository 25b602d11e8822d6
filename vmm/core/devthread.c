/* SPDX-License-Identifier: MIT */
/* The device thread: runs due device timers and feeds console input to the guest's UART. It
   sleeps on a semaphore with a deadline; vdev_timer_arm wakes it when something is due earlier. */

#include "core/devthread.h"

#include <hc.h>
#include "core/console.h"

#define INPUT_POLL_NS 10000000ull /* host console input is polled every 10 ms */

uint64_t timers_run(struct vm *vm);

/* Bytes typed on the host console go to the guest's UART while it has room. */
static void console_input(struct vm *vm)
{
    int c;
    while (ns16550_rx_space(&vm->uart) && (c = host_console_getc()) >= 0)
        ns16550_receive(&vm->uart, (uint8_t)c);
}

void devthread_main(void *arg)
{
    struct vm *vm = arg;
    for (;;) {
        lock_take(&vm->lock);
        if (vm->stopped) {
            lock_give(&vm->lock);
            hc_sm_down(vm->timer_sm, 0, 0);
            continue;
        }
        uint64_t next = timers_run(vm);
        console_input(vm);
        uint64_t poll = vm_now_ns(vm) + INPUT_POLL_NS;
        if (next > poll)
            next = poll;
        vm->timer_wake_ns = next;
        lock_give(&vm->lock);
        hc_sm_down(vm->timer_sm, 0, vm_ns_to_tsc(vm, next));
    }
}
