/* SPDX-License-Identifier: MIT */
/* The device thread: runs due device timers and feeds console input to the guest's UART. It
   sleeps on a semaphore with a deadline; vdev_timer_arm wakes it when something is due earlier. */

#include "core/devthread.h"

#include <hc.h>
#include "core/console.h"
#ifdef VMM_DEBUG
#include <stdio.h>
#endif

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
        vm_lock(&vm->lock);
        if (vm->stopped) {
            vm_unlock(&vm->lock);
            hc_sm_down(vm->timer_sm, 0, 0);
            continue;
        }
        uint64_t next = timers_run(vm);
#ifdef VMM_DEBUG
        static uint64_t last_dbg;
        if (vm_now_ns(vm) - last_dbg > 3000000000ull) {
            last_dbg = vm_now_ns(vm);
            struct vcpu *v0 = &vm->vcpu[0];
            printf("dbg: t=%lus halted=%d in_guest=%d pic_intr=%d lapic_pending=%d exits:", last_dbg / 1000000000, v0->halted, v0->in_guest, i8259_intr(&vm->pic), lapic_pending(&v0->lapic));
            for (unsigned e = 0; e < VM_EVENTS; e++)
                if (v0->exits[e])
                    printf(" %#x:%lu", e, v0->exits[e]);
            printf(" pic m irr %x isr %x imr %x s irr %x imr %x pit0 mode %u run %d count? lvt0 %x lint0 %x tdcr %x tinit %x svr %x base %lx", vm->pic.master.irr, vm->pic.master.isr, vm->pic.master.imr, vm->pic.slave.irr, vm->pic.slave.imr, vm->pit.ch[0].mode, vm->pit.ch[0].running, v0->lapic.lvt[0], v0->lapic.lvt[3], v0->lapic.timer_dcr, v0->lapic.timer_initial, v0->lapic.svr, v0->lapic.base_msr);
            printf(" uart ier %x mcr %x thre %d rte4 %lx line4 %d rte2 %lx isr0 %x irr0 %x", vm->uart.ier, vm->uart.mcr, vm->uart.thre_pending, vm->ioapic.rte[4], vm->ioapic.line[4], vm->ioapic.rte[2], v0->lapic.isr[7], v0->lapic.irr[7]);
            printf(" timers:");
            for (struct vtimer *t = vm->timers; t; t = t->next)
                printf(" %lu", t->deadline_ns / 1000000);
            printf("\n");
            extern volatile int dbg_recall;
            dbg_recall = 1;
            hc_ctrl_ec(v0->ec, 0);
        }
#endif
        console_input(vm);
        uint64_t poll = vm_now_ns(vm) + INPUT_POLL_NS;
        if (next > poll)
            next = poll;
        vm->timer_wake_ns = next;
        vm_unlock(&vm->lock);
        hc_sm_down(vm->timer_sm, 0, vm_ns_to_tsc(vm, next));
    }
}
