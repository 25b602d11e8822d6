/* SPDX-License-Identifier: MIT */
/* Semaphore: a counter and a FIFO of ECs blocked in down. */
#pragma once

#include "core/kobject.h"

struct quota;
#include "core/spinlock.h"

#include <stdbool.h>
#include <stdint.h>

struct ec;
struct irq;

struct sm {
    struct kobject obj;
    struct spinlock lock;
    uint64_t counter;
    struct ec *head, *tail;     /* waiters, oldest first (each holds a reference) */
    bool dead;
    struct irq *irq;            /* set for the interrupt semaphores of PD_NOVA */
};

struct sm *sm_create(uint64_t counter, struct quota *q);
/* Last capability gone: waiters wake with ABORTED. */
void sm_destroy(struct sm *sm);
/* up: wake the oldest waiter or count; OVRFLOW when the counter would wrap. */
unsigned sm_up(struct sm *sm);
/* down (zero: clear the counter instead of decrementing); blocks ec when the counter is 0.
   Returns only if it did not block. */
unsigned sm_down(struct sm *sm, struct ec *ec, bool zero, uint64_t deadline);
/* A blocked EC's deadline passed: take it out of the queue (the caller then wakes it and drops
   the queue's reference); false if it was already woken. */
bool sm_timeout(struct sm *sm, struct ec *ec);
