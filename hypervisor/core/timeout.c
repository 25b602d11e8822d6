/* SPDX-License-Identifier: MIT */
/* Absolute STC (TSC) deadlines of ECs blocked in a semaphore down, per CPU. */

#include "core/timeout.h"
#include "core/ec.h"
#include "core/ipc.h"
#include "core/sched.h"
#include "core/sm.h"
#include "core/spinlock.h"
#include "x86/cpu.h"
#include "x86/smp_layout.h"

#include <nova/status.h>
#include <stddef.h>

struct timeout_list {
    struct spinlock lock;
    struct ec *head;            /* sorted by deadline, earliest first */
};

static struct timeout_list lists[MAX_CPUS];

bool timeout_expired(uint64_t deadline)
{
    return rdtsc() >= deadline;
}

void timeout_arm(struct ec *ec, uint64_t deadline)
{
    struct timeout_list *l = &lists[ec->cpu];
    spin_lock(&l->lock);
    ec->deadline = deadline;
    struct ec **link = &l->head;
    while (*link && (*link)->deadline <= deadline)
        link = &(*link)->timeout_next;
    ec->timeout_next = *link;
    *link = ec;
    spin_unlock(&l->lock);
    sched_timer_changed(ec->cpu);
}

void timeout_cancel(struct ec *ec)
{
    struct timeout_list *l = &lists[ec->cpu];
    spin_lock(&l->lock);
    for (struct ec **link = &l->head; *link; link = &(*link)->timeout_next)
        if (*link == ec) {
            *link = ec->timeout_next;
            break;
        }
    ec->deadline = 0;
    ec->timeout_next = NULL;
    spin_unlock(&l->lock);
}

uint64_t timeout_expire(unsigned cpu)
{
    struct timeout_list *l = &lists[cpu];
    for (;;) {
        spin_lock(&l->lock);
        struct ec *ec = l->head;
        if (!ec || !timeout_expired(ec->deadline)) {
            uint64_t next = ec ? ec->deadline : 0;
            spin_unlock(&l->lock);
            return next;
        }
        l->head = ec->timeout_next;
        ec->timeout_next = NULL;
        ec->deadline = 0;
        spin_unlock(&l->lock);
        struct sm *sm = ec->blocked_sm;
        if (sm && sm_timeout(sm, ec)) {
            ec->regs.rdi = NOVA_TIMEOUT;
            ec_wake(ec);
            kobject_put(&ec->obj);
        }
    }
}

uint64_t timeout_next(unsigned cpu)
{
    struct timeout_list *l = &lists[cpu];
    spin_lock(&l->lock);
    uint64_t next = l->head ? l->head->deadline : 0;
    spin_unlock(&l->lock);
    return next;
}
