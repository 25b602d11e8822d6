/* SPDX-License-Identifier: MIT */
/* Cases: object lifetime: the last capability destroys an object, waiters and callers learn
   ABORTED, and the memory goes back to the quota it was charged to. */

#include "cases.h"
#include <suite.h>

#include <hc.h>
#include <nova/descriptors.h>
#include <nova/mtd.h>
#include <nova/selectors.h>
#include <portal.h>
#include <res.h>
#include <thread.h>

#define ROOT NOVA_SEL_PD_ROOT
#define MAX_OBJ 8192

static uint64_t nap;

static void pause_ms(unsigned ms)
{
    hc_sm_down(nap, 0, deadline_ms(ms));
}

/* Overwrite one selector with the null capability (revocation). */
static void revoke(uint64_t sel)
{
    hc_ctrl_pd(ROOT, ROOT, sel_alloc(1), sel, 0, 0x1f, NOVA_SPC_OBJ, 0, 0);
}

/* How many semaphores owned by pd fit its quota now (they are revoked again afterwards). */
unsigned sm_capacity(uint64_t pd)
{
    uint64_t base = sel_alloc(MAX_OBJ);
    unsigned n = 0;
    while (n < MAX_OBJ && hc_create_sm(base + n, pd, 0) == NOVA_SUCCESS)
        n++;
    for (unsigned i = 0; i < n; i++)
        revoke(base + i);
    pause_ms(1); /* a grace period: every CPU passes a quiescent point */
    return n;
}

static uint64_t waiter_sm, waiter_ready, waiter_status = ~0ull;

static void sm_waiter(void *arg)
{
    (void)arg;
    hc_sm_up(waiter_ready); /* the root runs again before our down: it waits a moment more */
    waiter_status = hc_sm_down(waiter_sm, 0, 0);
}

static uint64_t gate;
static uint64_t blocking_server(struct portal_ctx *ctx, uint64_t mtd)
{
    (void)ctx;
    (void)mtd;
    hc_sm_down(gate, 0, 0);
    return 0;
}

static uint64_t server_ec, server_pt;
static void destroyer(void *arg)
{
    (void)arg;
    revoke(server_pt);
    revoke(server_ec);
    revoke(gate); /* the server's down returns ABORTED, and with it its last reference goes */
}

static volatile uint64_t spin_count;
static void spinner(void *arg)
{
    (void)arg;
    for (;;)
        spin_count++;
}

void cases_lifetime(void)
{
    nap = sel_alloc(1);
    hc_create_sm(nap, ROOT, 0);

    /* A semaphore destroyed under a waiter wakes it with ABORTED. */
    waiter_sm = sel_alloc(1);
    waiter_ready = sel_alloc(1);
    hc_create_sm(waiter_sm, ROOT, 0);
    hc_create_sm(waiter_ready, ROOT, 0);
    thread_start(sel_alloc(1), sel_alloc(1), 0, utcb_alloc(), stack_alloc(), 40, 10, sm_waiter, 0);
    hc_sm_down(waiter_ready, 0, deadline_ms(2000));
    pause_ms(20);
    revoke(waiter_sm);
    WAIT_UNTIL(waiter_status != ~0ull, 2000);
    suite_case("lifetime_sm_destroyed_waiter_aborted", waiter_status == NOVA_ABORTED, "waiter got %s",
               waiter_status == ~0ull ? "nothing" : nova_status_name((unsigned)waiter_status));

    /* Revoked objects give their memory back to the owner's quota. */
    uint64_t pd = sel_alloc(1), owner = ROOT;
    for (int level = 0; level < 3; level++, owner = pd) /* a PD with a small quota */
        hc_create_pd(pd = sel_alloc(1), owner);
    unsigned first = sm_capacity(pd), again = sm_capacity(pd);
    suite_case("lifetime_revoked_objects_refund_quota", first > 0 && again == first, "capacity %u then %u", first,
               again);
    uint64_t child = sel_alloc(1);
    EXPECT_STATUS("lifetime_child_pd_created", hc_create_pd(child, pd), NOVA_SUCCESS);
    unsigned with_child = sm_capacity(pd);
    revoke(child);
    pause_ms(1);
    unsigned after_child = sm_capacity(pd);
    suite_case("lifetime_pd_reserves_quota", with_child < first, "capacity %u with a child, %u without", with_child,
               first);
    suite_case("lifetime_destroyed_pd_returns_quota", after_child == first, "capacity %u after, %u before",
               after_child, first);

    /* A server destroyed in the middle of our call: the call returns ABORTED. */
    gate = sel_alloc(1);
    hc_create_sm(gate, ROOT, 0);
    static struct portal_ctx ctx;
    ctx.stack_top = stack_alloc();
    ctx.fn = blocking_server;
    server_ec = sel_alloc(1);
    server_pt = sel_alloc(1);
    portal_create(server_ec, server_pt, 0, utcb_alloc(), 0, &ctx);
    thread_start(sel_alloc(1), sel_alloc(1), 0, utcb_alloc(), stack_alloc(), 30, 10, destroyer, 0);
    EXPECT_STATUS("lifetime_callee_destroyed_aborted", hc_ipc_call(server_pt, 0, 0, 0), NOVA_ABORTED);
    EXPECT_STATUS("lifetime_revoked_portal_bad_cap", hc_ipc_call(server_pt, 0, 0, 0), NOVA_BAD_CAP);

    /* Without its SC a thread no longer runs. */
    uint64_t sc = sel_alloc(1);
    thread_start(sel_alloc(1), sc, 0, utcb_alloc(), stack_alloc(), 20, 2, spinner, 0);
    WAIT_UNTIL(spin_count > 0, 2000);
    uint64_t before = spin_count;
    suite_case("lifetime_thread_runs", before > 0, "spinner never ran");
    revoke(sc);
    pause_ms(2);
    uint64_t stopped = spin_count;
    pause_ms(5);
    suite_case("lifetime_revoked_sc_stops_thread", spin_count == stopped, "spinner went on %lu -> %lu", stopped,
               spin_count);
}
