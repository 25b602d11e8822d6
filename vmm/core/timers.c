/* SPDX-License-Identifier: MIT */
/* Guest time and the device models' one-shot timers (vdev.h): a sorted list the device thread
   (core/devthread.c) runs. Everything here is called with the VM lock held. */

#include "core/vm.h"

#include <hc.h>

#define NS_PER_S 1000000000ull

/* a * b / c without overflow for a < 2^64, b and c below 2^32 * 2^30 as used here. */
static uint64_t muldiv(uint64_t a, uint64_t b, uint64_t c)
{
    return a / c * b + a % c * b / c;
}

uint64_t vm_now_ns(const struct vm *vm)
{
    return muldiv(rdtsc_now() - vm->tsc0, NS_PER_S, vm->tsc_hz);
}

uint64_t vm_ns_to_tsc(const struct vm *vm, uint64_t ns)
{
    return vm->tsc0 + muldiv(ns, vm->tsc_hz, NS_PER_S);
}

uint64_t vdev_now_ns(struct vm *vm)
{
    return vm_now_ns(vm);
}

uint64_t vdev_tsc_hz(struct vm *vm)
{
    return vm->tsc_hz;
}

uint64_t vdev_wallclock_s(struct vm *vm)
{
    return vm->wallclock0 + vm_now_ns(vm) / NS_PER_S;
}

void vdev_timer_cancel(struct vm *vm, struct vtimer *t)
{
    if (!t->armed)
        return;
    for (struct vtimer **p = &vm->timers; *p; p = &(*p)->next)
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
    struct vtimer **p = &vm->timers;
    while (*p && (*p)->deadline_ns <= deadline_ns)
        p = &(*p)->next;
    t->next = *p;
    *p = t;
    /* The device thread sleeps until timer_wake_ns: wake it if this timer is due earlier. */
    if (vm->timers == t && deadline_ns < vm->timer_wake_ns) {
        vm->timer_wake_ns = deadline_ns;
        hc_sm_up(vm->timer_sm);
    }
}

/* Fire every due timer; return the next deadline (UINT64_MAX: none). */
uint64_t timers_run(struct vm *vm);
uint64_t timers_run(struct vm *vm)
{
    uint64_t now = vm_now_ns(vm);
    while (vm->timers && vm->timers->deadline_ns <= now) {
        struct vtimer *t = vm->timers;
        vm->timers = t->next;
        t->armed = false;
        t->fire(t);
    }
    return vm->timers ? vm->timers->deadline_ns : UINT64_MAX;
}
