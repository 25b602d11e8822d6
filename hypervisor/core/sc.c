/* SPDX-License-Identifier: MIT */
/* Scheduling context: priority, budget and consumed time, bound to one EC. */

#include "core/sc.h"
#include "core/ec.h"
#include "core/slab.h"
#include "x86/cpu.h"

static SLAB_CACHE(sc_cache, "sc", sizeof(struct sc));

struct sc *sc_create(struct ec *ec, unsigned prio, uint64_t budget_ticks, struct quota *q)
{
    struct sc *sc = slab_alloc_q(&sc_cache, q);
    if (!sc)
        return NULL;
    sc->obj.type = KOBJ_SC;
    sc->ec = ec;
    kobject_get(&ec->obj);
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
