/* SPDX-License-Identifier: MIT */
/* The VM lock: device models run under it. A counter with a semaphore for the contended case
   (a holder preempted on the same CPU must not be spun on). */
#pragma once

#include <hc.h>
#include <stdint.h>

struct vm_lock {
    int32_t count;              /* holders + waiters */
    uint64_t sm;                /* waiters block here */
};

static inline void vm_lock(struct vm_lock *l)
{
    if (__atomic_fetch_add(&l->count, 1, __ATOMIC_ACQUIRE) > 0)
        hc_sm_down(l->sm, 0, 0);
}

static inline void vm_unlock(struct vm_lock *l)
{
    if (__atomic_fetch_sub(&l->count, 1, __ATOMIC_RELEASE) > 1)
        hc_sm_up(l->sm);
}
