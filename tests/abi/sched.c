/* SPDX-License-Identifier: MIT */
/* Cases: scheduling (spec 2.3, 5.3.3, 5.4.3): priorities, round robin by budget, consumed time. */

#include "cases.h"
#include <res.h>
#include <suite.h>

#include <hc.h>
#include <nova/selectors.h>
#include <thread.h>

#define ROOT NOVA_SEL_PD_ROOT

static volatile uint64_t count[2];
static volatile int stop;
static uint64_t first_runner;

static void counter(void *arg)
{
    uint64_t i = (uint64_t)arg;
    if (!first_runner)
        first_runner = i + 1;
    while (!stop)
        count[i]++;
}

void cases_sched(void)
{
    uint64_t nap = sel_alloc(1);
    hc_create_sm(nap, ROOT, 0);

    /* Two equal-priority spinners with 1 ms budgets share the CPU while we sleep. */
    uint64_t sc0 = sel_alloc(1), sc1 = sel_alloc(1);
    thread_start(sel_alloc(1), sc0, 0, utcb_alloc(), stack_alloc(), 60, 1, counter, (void *)0);
    thread_start(sel_alloc(1), sc1, 0, utcb_alloc(), stack_alloc(), 60, 1, counter, (void *)1);
    WAIT_UNTIL(count[0] > 0 && count[1] > 0, 3000);
    uint64_t c0 = count[0], c1 = count[1];
    suite_case("sched_round_robin_same_priority", c0 > 0 && c1 > 0, "counts %lu %lu", c0, c1);
    suite_case("sched_first_started_runs_first", first_runner == 1, "first %lu", first_runner);
    uint64_t t0 = 0, t1 = 0;
    hc_ctrl_sc(sc0, &t0);
    hc_ctrl_sc(sc1, &t1);
    suite_case("ctrl_sc_thread_time", t0 > 0 && t1 > 0, "consumed %lu %lu", t0, t1);

    /* A higher-priority thread runs before a lower one once we block. */
    stop = 1;
    hc_sm_down(nap, 0, deadline_ms(3));
}
