/* SPDX-License-Identifier: MIT */
/* Ticket spinlock for the few kernel structures shared between CPUs. */
#pragma once

#include <stdint.h>

struct spinlock {
    volatile uint16_t next, owner;
};

static inline void spin_lock(struct spinlock *l)
{
    uint16_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_ACQUIRE);
    while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
        __asm__ volatile("pause");
}

static inline void spin_unlock(struct spinlock *l)
{
    __atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
}
