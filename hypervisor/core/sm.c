/* SPDX-License-Identifier: MIT */
/* Semaphore: a counter and a FIFO of ECs blocked in down. */

#include "core/sm.h"
#include "core/ec.h"
#include "core/ipc.h"
#include "core/slab.h"
#include "core/timeout.h"

#include <stddef.h>

#include <nova/status.h>

static SLAB_CACHE(sm_cache, "sm", sizeof(struct sm));

struct sm *sm_create(uint64_t counter, struct quota *q)
{
    struct sm *sm = slab_alloc_q(&sm_cache, q);
    if (!sm)
        return NULL;
    sm->obj.type = KOBJ_SM;
    sm->obj.q = q;
    sm->counter = counter;
    return sm;
}

static void dequeue(struct sm *sm, struct ec *ec)
{
    struct ec **link = &sm->head, *prev = NULL;
    while (*link && *link != ec) {
        prev = *link;
        link = &(*link)->sm_next;
    }
    if (!*link)
        return;
    *link = ec->sm_next;
    if (sm->tail == ec)
        sm->tail = prev;
    ec->sm_next = NULL;
    ec->blocked_sm = NULL;
}

unsigned sm_up(struct sm *sm)
{
    spin_lock(&sm->lock);
    struct ec *w = sm->head;
    if (w) {
        dequeue(sm, w);
        spin_unlock(&sm->lock);
        timeout_cancel(w);
        w->regs.rdi = NOVA_SUCCESS;
        ec_wake(w);
        kobject_put(&w->obj);
        return NOVA_SUCCESS;
    }
    unsigned st = NOVA_SUCCESS;
    if (sm->counter == UINT64_MAX)
        st = NOVA_OVRFLOW;
    else
        sm->counter++;
    spin_unlock(&sm->lock);
    return st;
}

unsigned sm_down(struct sm *sm, struct ec *ec, bool zero, uint64_t deadline)
{
    spin_lock(&sm->lock);
    if (sm->dead) {
        spin_unlock(&sm->lock);
        return NOVA_ABORTED;
    }
    if (sm->counter) {
        sm->counter = zero ? 0 : sm->counter - 1;
        spin_unlock(&sm->lock);
        return NOVA_SUCCESS;
    }
    if (deadline && timeout_expired(deadline)) {
        spin_unlock(&sm->lock);
        return NOVA_TIMEOUT;
    }
    if (!kobject_get(&ec->obj)) { /* the queue holds the waiter */
        spin_unlock(&sm->lock);
        return NOVA_ABORTED; /* ec is being destroyed on another CPU */
    }
    ec->sm_next = NULL;
    ec->blocked_sm = sm;
    if (sm->tail)
        sm->tail->sm_next = ec;
    else
        sm->head = ec;
    sm->tail = ec;
    ec_block(ec);
    spin_unlock(&sm->lock);
    if (deadline)
        timeout_arm(ec, deadline);
    return NOVA_SUCCESS; /* the caller switches away; the EC continues through its cont */
}

bool sm_timeout(struct sm *sm, struct ec *ec)
{
    spin_lock(&sm->lock);
    bool queued = ec->blocked_sm == sm;
    if (queued)
        dequeue(sm, ec);
    spin_unlock(&sm->lock);
    return queued; /* the caller wakes ec and drops the queue's reference */
}

static void sm_free(struct rcu_item *r)
{
    struct sm *sm = (struct sm *)((char *)r - offsetof(struct sm, obj.rcu));
    slab_free_q(&sm_cache, sm, sm->obj.q);
}

void sm_destroy(struct sm *sm)
{
    for (;;) {
        spin_lock(&sm->lock);
        sm->dead = true;
        struct ec *w = sm->head;
        if (w)
            dequeue(sm, w);
        spin_unlock(&sm->lock);
        if (!w)
            break;
        timeout_cancel(w);
        w->regs.rdi = NOVA_ABORTED;
        ec_wake(w);
        kobject_put(&w->obj);
    }
    rcu_defer(&sm->obj.rcu, sm_free);
}
