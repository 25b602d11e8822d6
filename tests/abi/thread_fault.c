/* SPDX-License-Identifier: MIT */
/* lib/thread's fault catcher: an exception of a thread on another CPU reaches the catcher of
   that CPU, the thread dies, and the CPU's startup portal still starts threads. */

#include "cases.h"

#include <hc.h>
#include <nova/events.h>
#include <res.h>
#include <suite.h>
#include <thread.h>

#define FAULT_ADDR 0x18ull  /* in page 0, which the root task never maps */

static struct thread_fault seen;
static unsigned catches;
static uint64_t caught_sm, alive_sm;
static volatile uint64_t after; /* volatile: the store after the fault stays after it */

static void catcher(const struct thread_fault *f)
{
    seen = *f;
    catches++;
    hc_sm_up(caught_sm);
}

static void faulter(void *arg)
{
    (void)arg;
    static volatile uintptr_t where = FAULT_ADDR; /* through a variable: the compiler cannot see it */
    volatile uint64_t *p = (volatile uint64_t *)where;
    after = *p; /* never gets further */
    after = 1;
    for (;;)
        hc_sm_down(alive_sm, 0, 0);
}

static void greeter(void *arg)
{
    (void)arg;
    hc_sm_up(alive_sm);
    for (;;)
        hc_sm_down(caught_sm, 0, 0); /* park: nothing ups it again */
}

void cases_thread_fault(void)
{
    unsigned cpu = cpu_num() - 1;
    caught_sm = sel_alloc(1);
    alive_sm = sel_alloc(1);
    hc_create_sm(caught_sm, NOVA_SEL_PD_ROOT, 0);
    hc_create_sm(alive_sm, NOVA_SEL_PD_ROOT, 0);
    EXPECT_STATUS("thread_catch_faults", thread_catch_faults(cpu, catcher), NOVA_SUCCESS);
    EXPECT_STATUS("thread_catch_faults_bad_cpu", thread_catch_faults(64, catcher), NOVA_BAD_CPU);
    thread_start(sel_alloc(1), sel_alloc(1), cpu, utcb_alloc(), stack_alloc(), 30, 10, faulter, 0);
    EXPECT_STATUS("thread_fault_caught", hc_sm_down(caught_sm, 0, deadline_ms(1000)), NOVA_SUCCESS);
    suite_case("thread_fault_details", seen.cpu == cpu && seen.vector == NOVA_EV_PF && seen.qual1 == FAULT_ADDR &&
                                           !(seen.qual0 & 1) && seen.rip,
               "cpu %u vector %u error %#lx address %#lx rip %#lx", seen.cpu, seen.vector, seen.qual0, seen.qual1,
               seen.rip);
    EXPECT_STATUS("thread_fault_thread_dead", hc_sm_down(caught_sm, 0, deadline_ms(100)), NOVA_TIMEOUT);
    suite_case("thread_fault_once", catches == 1 && after == 0, "%u catches, after %#lx", catches, after);
    thread_start(sel_alloc(1), sel_alloc(1), cpu, utcb_alloc(), stack_alloc(), 30, 10, greeter, 0);
    EXPECT_STATUS("thread_fault_cpu_still_starts_threads", hc_sm_down(alive_sm, 0, deadline_ms(1000)),
                  NOVA_SUCCESS);
}
