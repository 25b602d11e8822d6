/* SPDX-License-Identifier: MIT */
/* Deferred freeing: an object is freed only after every CPU has passed a point where it holds
   no pointer into kernel objects (return to user mode, or idle). */

#include "core/rcu.h"
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
    item->stamp = generation++;
    item->next = pending;
    pending = item;
    spin_unlock(&lock);
}

void rcu_quiescent(void)
{
    struct percpu *c = this_cpu();
    c->rcu_seen = __atomic_load_n(&generation, __ATOMIC_ACQUIRE);
    if (!__atomic_load_n(&pending, __ATOMIC_RELAXED))
        return;
    unsigned long safe = c->rcu_seen;
    for (unsigned i = 0; i < cpu_count; i++)
        if (!__atomic_load_n(&cpus[i]->idle, __ATOMIC_ACQUIRE) && cpus[i]->rcu_seen < safe)
            safe = cpus[i]->rcu_seen; /* a halted CPU holds nothing */
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
