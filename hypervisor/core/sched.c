/* SPDX-License-Identifier: MIT */
/* Fixed-priority scheduler: per-CPU, per-priority FIFOs of ready SCs; the idle loop when none is ready. */

#include "core/sched.h"
#include "core/ec.h"
#include "core/memory.h"
#include "core/sc.h"
#include "core/spinlock.h"
#include "x86/cpu.h"
#include "x86/paging.h"
#include "x86/percpu.h"
#include "x86/smp_layout.h"

#include <stddef.h>

struct runqueue {
    struct spinlock lock;
    struct sc *head[SCHED_PRIORITIES], *tail[SCHED_PRIORITIES];
    struct sc *running;
};

static struct runqueue rq[MAX_CPUS];

void idle_wait(void);

void sched_add(struct sc *sc)
{
    struct runqueue *q = &rq[sc->cpu];
    spin_lock(&q->lock);
    if (!sc->queued) {
        sc->next = NULL;
        if (q->tail[sc->prio])
            q->tail[sc->prio]->next = sc;
        else
            q->head[sc->prio] = sc;
        q->tail[sc->prio] = sc;
        sc->queued = 1;
    }
    spin_unlock(&q->lock);
}

void sched_remove(struct sc *sc)
{
    struct runqueue *q = &rq[sc->cpu];
    spin_lock(&q->lock);
    if (sc->queued) {
        struct sc **link = &q->head[sc->prio], *prev = NULL;
        while (*link && *link != sc) {
            prev = *link;
            link = &(*link)->next;
        }
        if (*link)
            *link = sc->next;
        if (q->tail[sc->prio] == sc)
            q->tail[sc->prio] = prev;
        sc->queued = 0;
    }
    spin_unlock(&q->lock);
}

/* The highest-priority ready SC, with the time accounting of the switch. */
static struct sc *pick(struct runqueue *q)
{
    spin_lock(&q->lock);
    struct sc *next = NULL;
    for (int p = SCHED_PRIORITIES - 1; p > 0 && !next; p--)
        next = q->head[p];
    uint64_t now = rdtsc();
    if (q->running && q->running != next) {
        q->running->consumed += now - q->running->started;
        q->running->started = 0;
    }
    if (next && next != q->running)
        next->started = now;
    q->running = next;
    spin_unlock(&q->lock);
    return next;
}

void schedule(void)
{
    struct percpu *c = this_cpu();
    for (;;) {
        struct sc *sc = pick(&rq[c->id]);
        if (sc)
            ec_resume(sc->ec);
        /* Nothing to run: wait in the kernel's own address space for an interrupt. */
        c->current = NULL;
        if (get_cr3() != virt_to_phys(boot_pml4))
            set_cr3(virt_to_phys(boot_pml4));
        idle_wait();
    }
}
