/* SPDX-License-Identifier: MIT */
/* A mutex for user tasks' threads and portal handlers (root task, VMM): a counter, and a
   semaphore on which contenders block (a holder preempted on the same CPU must not be spun on). */
#pragma once

#include <hc.h>
#include <nova/selectors.h>
#include <stdint.h>

struct lock {
    int32_t count;              /* holders + waiters */
    uint64_t sm;                /* created with count 0 by lock_init */
};

/* Create the lock's semaphore at the free selector sel; the status of create_sm. */
static inline unsigned lock_init(struct lock *l, uint64_t sel)
{
    l->count = 0;
    l->sm = sel;
    return hc_create_sm(sel, NOVA_SEL_PD_ROOT, 0);
}

static inline void lock_take(struct lock *l)
{
    if (__atomic_fetch_add(&l->count, 1, __ATOMIC_ACQUIRE) > 0)
        hc_sm_down(l->sm, 0, 0);
}

static inline void lock_give(struct lock *l)
{
    if (__atomic_fetch_sub(&l->count, 1, __ATOMIC_RELEASE) > 1)
        hc_sm_up(l->sm);
}
