/* SPDX-License-Identifier: MIT */
/* Fixed-priority preemptive scheduler: per-CPU run queues, round robin by budget within a priority. */

#include "core/sched.h"
#include "core/ec.h"
#include "core/memory.h"
#include "core/sc.h"
#include "core/spinlock.h"
#include "core/timeout.h"
#include "core/rcu.h"
#include "x86/cpu.h"
#include "x86/lapic.h"
#include "x86/paging.h"
#include "x86/percpu.h"
#include "x86/smp_layout.h"
#include "x86/suspend.h"
#include "x86/timer.h"
#include "x86/tlb.h"

#include <stddef.h>

struct runqueue {
    struct spinlock lock;
    struct sc *head[SCHED_PRIORITIES], *tail[SCHED_PRIORITIES];
    struct sc *running;
    uint64_t slice_end;         /* TSC at which the running SC's budget is used up */
    bool need_resched;
};

static struct runqueue rq[MAX_CPUS];

void idle_wait(void);

static unsigned this_id(void)
{
    return this_cpu()->id;
}

static void enqueue(struct runqueue *q, struct sc *sc)
{
    sc->next = NULL;
    if (q->tail[sc->prio])
        q->tail[sc->prio]->next = sc;
    else
        q->head[sc->prio] = sc;
    q->tail[sc->prio] = sc;
    sc->queued = 1;
}

static void dequeue(struct runqueue *q, struct sc *sc)
{
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

void sched_add(struct sc *sc)
{
    struct runqueue *q = &rq[sc->cpu];
    spin_lock(&q->lock);
    if (!sc->queued)
        enqueue(q, sc);
    bool preempt = !q->running || sc->prio > q->running->prio;
    spin_unlock(&q->lock);
    if (sc->cpu != this_id())
        lapic_send_ipi(cpus[sc->cpu]->apic_id, VEC_IPI_RESCHED);
    else if (preempt)
        q->need_resched = true;
}

void sched_remove(struct sc *sc)
{
    struct runqueue *q = &rq[sc->cpu];
    spin_lock(&q->lock);
    if (sc->queued)
        dequeue(q, sc);
    bool running = q->running == sc;
    if (running)
        q->running = NULL; /* its CPU must neither charge it nor hand it to a blocking EC any more */
    spin_unlock(&q->lock);
    if (running && sc->cpu != this_id())
        lapic_send_ipi(cpus[sc->cpu]->apic_id, VEC_IPI_RESCHED); /* stop its EC now */
    else if (running)
        q->need_resched = true;
}

struct sc *sched_current(void)
{
    return rq[this_id()].running;
}

bool sched_need_resched(void)
{
    return rq[this_id()].need_resched;
}

static void program_timer(struct runqueue *q, unsigned cpu)
{
    uint64_t next = timeout_next(cpu);
    if (q->running && (!next || q->slice_end < next))
        next = q->slice_end;
    timer_program(next);
}

void sched_timer_changed(unsigned cpu)
{
    if (cpu == this_id())
        program_timer(&rq[cpu], cpu);
    else
        lapic_send_ipi(cpus[cpu]->apic_id, VEC_IPI_RESCHED);
}

/* Charge the running SC; when its budget is gone, refill it and move it behind its peers. */
static void account(struct runqueue *q, uint64_t now)
{
    struct sc *sc = q->running;
    if (!sc)
        return;
    uint64_t used = now - sc->started;
    sc->consumed += used;
    sc->left = used >= sc->left ? 0 : sc->left - used;
    sc->started = now;
    if (!sc->left) {
        sc->left = sc->budget;
        if (sc->queued) {
            dequeue(q, sc);
            enqueue(q, sc);
        }
    }
}

void sched_tick(void)
{
    struct runqueue *q = &rq[this_id()];
    timeout_expire(this_id());
    q->need_resched = true;
}

/* The highest-priority ready SC whose EC chain can run; SCs whose chain is blocked leave. */
static struct sc *pick(struct runqueue *q)
{
    spin_lock(&q->lock);
    uint64_t now = rdtsc();
    account(q, now);
    struct sc *next = NULL;
    for (int p = SCHED_PRIORITIES - 1; p > 0 && !next; p--)
        while ((next = q->head[p]) && !ec_runnable(ec_chain_end(next->ec))) {
            dequeue(q, next);
            next = NULL;
        }
    if (q->running && q->running != next)
        q->running->started = 0;
    if (next && next != q->running)
        next->started = now;
    q->running = next;
    q->slice_end = next ? now + next->left : 0;
    q->need_resched = false;
    spin_unlock(&q->lock);
    return next;
}

void schedule(void)
{
    struct percpu *c = this_cpu();
    struct runqueue *q = &rq[c->id];
    for (;;) {
        suspend_point(); /* a sleep state is under way: wait here with the current EC saved */
        struct sc *sc = pick(q);
        program_timer(q, c->id);
        if (sc)
            ec_resume(ec_chain_end(sc->ec));
        /* Nothing to run: wait in the kernel's own address space for an interrupt. */
        c->current = NULL;
        tlb_activate_guest(c, NULL);
        tlb_activate(c, NULL);
        vcpu_cpu_release(true); /* a vCPU destroyed while this CPU idles cannot reach its cache */
        rcu_quiescent();
        __atomic_store_n(&c->idle, 1, __ATOMIC_RELEASE);
        idle_wait();
        /* A full barrier: a CPU that saw us idle and freed an EC cleared our FPU owner before. */
        __atomic_store_n(&c->idle, 0, __ATOMIC_SEQ_CST);
        timeout_expire(c->id);
    }
}
