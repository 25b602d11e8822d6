/* SPDX-License-Identifier: MIT */
/* Scheduling context: priority, budget and consumed time, bound to one EC. */

#include "core/sc.h"
#include "core/ec.h"
#include "core/sched.h"
#include "core/slab.h"

#include <stddef.h>
#include "x86/cpu.h"

static SLAB_CACHE(sc_cache, "sc", sizeof(struct sc));

struct sc *sc_create(struct ec *ec, unsigned prio, uint64_t budget_ticks, struct quota *q)
{
    struct sc *sc = slab_alloc_q(&sc_cache, q);
    if (!sc)
        return NULL;
    sc->obj.type = KOBJ_SC;
    sc->obj.q = q;
    sc->ec = ec; /* the caller's reference to ec */
    sc->prio = prio;
    sc->budget = sc->left = budget_ticks;
    sc->cpu = ec->cpu;
    if (!ec->sc)
        ec->sc = sc;
    return sc;
}

uint64_t sc_consumed(const struct sc *sc)
{
    return sc->consumed + (sc->started ? rdtsc() - sc->started : 0);
}

static void sc_free(struct rcu_item *r)
{
    struct sc *sc = (struct sc *)((char *)r - offsetof(struct sc, obj.rcu));
    slab_free_q(&sc_cache, sc, sc->obj.q);
}

/* No capability and no blocked EC refers to sc any more: it leaves the run queue for good. */
void sc_destroy(struct sc *sc)
{
    sched_remove(sc);
    if (sc->ec->sc == sc)
        sc->ec->sc = NULL;
    kobject_put(&sc->ec->obj);
    rcu_defer(&sc->obj.rcu, sc_free);
}
