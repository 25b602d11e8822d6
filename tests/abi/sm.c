/* SPDX-License-Identifier: MIT */
/* Cases: semaphores (spec 5.4.5): up, down, down-to-zero, timeouts, OVRFLOW, FIFO wake order. */

#include "cases.h"
#include <res.h>
#include <suite.h>

#include <hc.h>
#include <nova/selectors.h>
#include <thread.h>

#define ROOT NOVA_SEL_PD_ROOT

static uint64_t fifo_sm, wake_order[3], wake_len;

static void fifo_waiter(void *arg)
{
    hc_sm_down(fifo_sm, 0, 0);
    wake_order[wake_len++] = (uint64_t)arg;
}

static uint64_t new_sm(uint64_t count)
{
    uint64_t s = sel_alloc(1);
    hc_create_sm(s, ROOT, count);
    return s;
}

void cases_sm(void)
{
    uint64_t s = new_sm(2);
    EXPECT_STATUS("sm_down_counter_2", hc_sm_down(s, 0, 0), NOVA_SUCCESS);
    EXPECT_STATUS("sm_down_counter_1", hc_sm_down(s, 0, 0), NOVA_SUCCESS);
    EXPECT_STATUS("sm_down_empty_past_deadline_timeout", hc_sm_down(s, 0, 1), NOVA_TIMEOUT);
    uint64_t t0 = rdtsc_now(), deadline = deadline_ms(10);
    unsigned st = hc_sm_down(s, 0, deadline);
    uint64_t t1 = rdtsc_now();
    suite_case("sm_down_timeout_status", st == NOVA_TIMEOUT, "status %s", nova_status_name(st));
    suite_case("sm_down_timeout_not_early", t1 >= deadline, "woke %lu ticks early", deadline - t1);
    suite_case("sm_down_timeout_not_late", t1 - t0 < (deadline - t0) * 100, "took %lu ticks for %lu", t1 - t0,
               deadline - t0);
    EXPECT_STATUS("sm_up_success", hc_sm_up(s), NOVA_SUCCESS);
    EXPECT_STATUS("sm_down_after_up", hc_sm_down(s, 0, deadline_ms(10)), NOVA_SUCCESS);

    uint64_t z = new_sm(5);
    EXPECT_STATUS("sm_down_zero_success", hc_sm_down(z, 1, 0), NOVA_SUCCESS);
    EXPECT_STATUS("sm_down_zero_cleared_counter", hc_sm_down(z, 0, 1), NOVA_TIMEOUT);

    uint64_t max = new_sm(UINT64_MAX);
    EXPECT_STATUS("sm_up_overflow", hc_sm_up(max), NOVA_OVRFLOW);
    EXPECT_STATUS("sm_overflow_keeps_counter", hc_sm_down(max, 0, 1), NOVA_SUCCESS);

    EXPECT_STATUS("sm_up_null_bad_cap", hc_sm_up(sel_alloc(1)), NOVA_BAD_CAP);
    EXPECT_STATUS("sm_down_not_sm_bad_cap", hc_sm_down(NOVA_SEL_SC_ROOT, 0, 1), NOVA_BAD_CAP);
    uint64_t up_only = sel_alloc(1), down_only = sel_alloc(1);
    hc_ctrl_pd(ROOT, ROOT, s, up_only, 0, NOVA_PERM_SM_CTRL_UP, NOVA_SPC_OBJ, 0, 0);
    hc_ctrl_pd(ROOT, ROOT, s, down_only, 0, NOVA_PERM_SM_CTRL_DN, NOVA_SPC_OBJ, 0, 0);
    EXPECT_STATUS("sm_down_without_dn_bad_cap", hc_sm_down(up_only, 0, 1), NOVA_BAD_CAP);
    EXPECT_STATUS("sm_up_without_up_bad_cap", hc_sm_up(down_only), NOVA_BAD_CAP);
    EXPECT_STATUS("sm_up_with_up_only", hc_sm_up(up_only), NOVA_SUCCESS);
    EXPECT_STATUS("sm_down_with_dn_only", hc_sm_down(down_only, 0, 1), NOVA_SUCCESS);

    /* Three threads block in order; three ups wake them in the same order. */
    fifo_sm = new_sm(0);
    uint64_t nap = new_sm(0);
    for (uint64_t i = 1; i <= 3; i++) {
        thread_start(sel_alloc(1), sel_alloc(1), 0, utcb_alloc(), stack_alloc(), 30, 10, fifo_waiter, (void *)i);
        hc_sm_down(nap, 0, deadline_ms(20)); /* let it block before the next one starts */
    }
    suite_case("sm_waiters_blocked", wake_len == 0, "%lu woke without an up", wake_len);
    for (int i = 0; i < 3; i++)
        hc_sm_up(fifo_sm);
    WAIT_UNTIL(wake_len == 3, 2000);
    suite_case("sm_fifo_wake_order", wake_len == 3 && wake_order[0] == 1 && wake_order[1] == 2 && wake_order[2] == 3,
               "order %lu %lu %lu (%lu woke)", wake_order[0], wake_order[1], wake_order[2], wake_len);
}
