/* SPDX-License-Identifier: MIT */
/* Fixed-priority scheduler: per-priority FIFO of ready SCs; the idle loop when none is ready. */

#include "core/sched.h"
#include "core/ec.h"
#include "core/sc.h"
#include "x86/cpu.h"
#include "x86/gdt.h"
#include "x86/paging.h"
#include "x86/percpu.h"
#include "core/memory.h"

#include <stddef.h>

/* One CPU for now: the SMP work gives every CPU its own queues. */
static struct sc *queue_head[SCHED_PRIORITIES], *queue_tail[SCHED_PRIORITIES];
static struct sc *running;

void idle_wait(void);

void sched_add(struct sc *sc)
{
    if (sc->queued)
        return;
    sc->next = NULL;
    if (queue_tail[sc->prio])
        queue_tail[sc->prio]->next = sc;
    else
        queue_head[sc->prio] = sc;
    queue_tail[sc->prio] = sc;
    sc->queued = 1;
}

void sched_remove(struct sc *sc)
{
    if (!sc->queued)
        return;
    struct sc **link = &queue_head[sc->prio], *prev = NULL;
    while (*link && *link != sc) {
        prev = *link;
        link = &(*link)->next;
    }
    if (*link)
        *link = sc->next;
    if (queue_tail[sc->prio] == sc)
        queue_tail[sc->prio] = prev;
    sc->queued = 0;
}

static struct sc *pick(void)
{
    for (int p = SCHED_PRIORITIES - 1; p > 0; p--)
        if (queue_head[p])
            return queue_head[p];
    return NULL;
}

static void account(struct sc *next)
{
    uint64_t now = rdtsc();
    if (running && running != next) {
        running->consumed += now - running->started;
        running->started = 0;
    }
    if (next && next != running)
        next->started = now;
    running = next;
}

void schedule(void)
{
    for (;;) {
        struct sc *sc = pick();
        account(sc);
        if (sc)
            ec_resume(sc->ec);
        /* Nothing to run: wait in the kernel's own address space for an interrupt. */
        struct percpu *c = this_cpu();
        c->current = NULL;
        set_cr3(virt_to_phys(boot_pml4));
        idle_wait();
    }
}
