/* SPDX-License-Identifier: MIT */
/* Deferred freeing: an object is freed only after every CPU has passed a point where it holds
   no pointer into kernel objects (return to user mode, or idle). */

#include "core/rcu.h"
#include "core/ec.h"
#include "core/spinlock.h"
#include "x86/percpu.h"

#include <stddef.h>

static unsigned long generation = 1;
static struct rcu_item *pending;
static struct spinlock lock;

void rcu_defer(struct rcu_item *item, void (*free)(struct rcu_item *item))
{
    item->free = free;
    spin_lock(&lock);
    /* Whatever marked the object dead comes before this for a CPU that sees the new generation. */
    item->stamp = __atomic_fetch_add(&generation, 1, __ATOMIC_SEQ_CST);
    item->next = pending;
    pending = item;
    spin_unlock(&lock);
}

void rcu_quiescent(void)
{
    struct percpu *c = this_cpu();
    unsigned long seen = __atomic_load_n(&generation, __ATOMIC_SEQ_CST);
    /* Everything deferred before `seen` is dead by now: the CPU lets go of it before it says so. */
    ec_forget_dead(c);
    __atomic_store_n(&c->rcu_seen, seen, __ATOMIC_RELEASE);
    if (!__atomic_load_n(&pending, __ATOMIC_RELAXED))
        return;
    unsigned long safe = seen;
    for (unsigned i = 0; i < cpu_count; i++) {
        unsigned long other = __atomic_load_n(&cpus[i]->rcu_seen, __ATOMIC_ACQUIRE);
        if (!__atomic_load_n(&cpus[i]->idle, __ATOMIC_SEQ_CST) && other < safe)
            safe = other; /* a halted CPU holds nothing (ec_destroy clears its FPU owner) */
    }
    /* Items stamped before every CPU's last quiescent point can go. */
    struct rcu_item *done = NULL;
    spin_lock(&lock);
    for (struct rcu_item **link = &pending; *link;) {
        struct rcu_item *it = *link;
        if (it->stamp < safe) {
            *link = it->next;
            it->next = done;
            done = it;
        } else {
            link = &it->next;
        }
    }
    spin_unlock(&lock);
    while (done) {
        struct rcu_item *next = done->next;
        done->free(done);
        done = next;
    }
}
