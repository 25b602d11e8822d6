/* SPDX-License-Identifier: MIT */
/* Cases: ipc_call / ipc_reply (spec 5.2): words, PID, MTD, TIMEOUT, helping, BAD_CPU, ABORTED. */

#include "cases.h"
#include <res.h>
#include <suite.h>

#include <hc.h>
#include <nova/mtd.h>
#include <nova/selectors.h>
#include <portal.h>
#include <thread.h>

#define ROOT NOVA_SEL_PD_ROOT

struct server {
    struct portal_ctx ctx;
    uint64_t ec, pt;
};

static void server_create(struct server *s, unsigned cpu, uint64_t evt, portal_fn fn, void *arg)
{
    s->ec = sel_alloc(1);
    s->pt = sel_alloc(1);
    s->ctx.stack_top = stack_alloc();
    s->ctx.fn = fn;
    s->ctx.arg = arg;
    portal_create(s->ec, s->pt, cpu, utcb_alloc(), evt, &s->ctx);
}

static uint64_t *root_utcb(void)
{
    return (uint64_t *)NOVA_ROOT_UTCB_VADDR;
}

/* Sums the words it got into word 0, echoes the PID in word 1, replies 3 words. */
static uint64_t sum_server(struct portal_ctx *ctx, uint64_t mtd)
{
    uint64_t *w = ctx->utcb->regular.word, sum = 0;
    for (unsigned i = 0; i <= (mtd & NOVA_MTD_WORDS_MASK); i++)
        sum += w[i];
    w[0] = sum;
    w[1] = (uint64_t)ctx;
    w[2] = mtd;
    return NOVA_MTD_WORDS(3);
}

static struct server recursive;

/* Calls its own portal with T=1 while busy: TIMEOUT. */
static uint64_t self_call_server(struct portal_ctx *ctx, uint64_t mtd)
{
    (void)mtd;
    ctx->utcb->regular.word[0] = hc_ipc_call(recursive.pt, 0, 1, 0);
    return NOVA_MTD_WORDS(1);
}

static void cases_basic(void)
{
    struct server s;
    server_create(&s, 0, 0, sum_server, 0);
    uint64_t *w = root_utcb();
    for (unsigned i = 0; i < 8; i++)
        w[i] = i + 1;
    uint32_t reply = 0;
    EXPECT_STATUS("ipc_call_success", hc_ipc_call(s.pt, NOVA_MTD_WORDS(8), 0, &reply), NOVA_SUCCESS);
    suite_case("ipc_call_words_transferred", w[0] == 36, "sum %lu, want 36", w[0]);
    suite_case("ipc_call_pid_delivered", w[1] == (uint64_t)&s.ctx, "pid %#lx", w[1]);
    suite_case("ipc_call_mtd_delivered", w[2] == NOVA_MTD_WORDS(8), "callee saw mtd %#lx", w[2]);
    suite_case("ipc_call_reply_mtd_returned", reply == NOVA_MTD_WORDS(3), "reply mtd %#x", reply);

    w[0] = 5;
    w[1] = 7;
    hc_ipc_call(s.pt, 0, 0, 0);
    suite_case("ipc_call_mtd_zero_moves_one_word", w[0] == 5, "sum %lu, want 5", w[0]);
    w[0] = 1;
    hc_ipc_call(s.pt, NOVA_MTD_WORDS(512) | 0xfffffe00u, 0, 0);
    suite_case("ipc_call_upper_mtd_bits_ignored", w[2] == (NOVA_MTD_WORDS(512) | 0xfffffe00u), "mtd %#lx", w[2]);

    uint64_t id = nova_hc_id(NOVA_IPC_CALL, 0, s.pt);
    uint64_t rdi = id;
    __asm__ volatile("syscall" : "+D"(rdi) : "S"(0ul) : "rcx", "r11", "rdx", "rax", "r8", "memory");
    suite_case("ipc_call_writes_success_into_rdi", rdi == NOVA_SUCCESS, "rdi %#lx", rdi);

    EXPECT_STATUS("ipc_call_null_bad_cap", hc_ipc_call(sel_alloc(1), 0, 0, 0), NOVA_BAD_CAP);
    EXPECT_STATUS("ipc_call_not_a_portal_bad_cap", hc_ipc_call(NOVA_SEL_SC_ROOT, 0, 0, 0), NOVA_BAD_CAP);
    uint64_t nocall = sel_alloc(1);
    hc_ctrl_pd(ROOT, ROOT, s.pt, nocall, 0, NOVA_PERM_PT_ALL & ~NOVA_PERM_PT_CALL, NOVA_SPC_OBJ, 0, 0);
    EXPECT_STATUS("ipc_call_without_call_perm_bad_cap", hc_ipc_call(nocall, 0, 0, 0), NOVA_BAD_CAP);

    static struct portal_ctx alias; /* the same handler reached through a new PID */
    alias = s.ctx;
    EXPECT_STATUS("ctrl_pt_success", hc_ctrl_pt(s.pt, (uint64_t)&alias, 0), NOVA_SUCCESS);
    EXPECT_STATUS("ctrl_pt_null_bad_cap", hc_ctrl_pt(sel_alloc(1), 0, 0), NOVA_BAD_CAP);
    EXPECT_STATUS("ctrl_pt_on_sm_bad_cap", hc_ctrl_pt(NOVA_SEL_EC_ROOT, 0, 0), NOVA_BAD_CAP);
    uint64_t noctrl = sel_alloc(1);
    hc_ctrl_pd(ROOT, ROOT, s.pt, noctrl, 0, NOVA_PERM_PT_CALL, NOVA_SPC_OBJ, 0, 0);
    EXPECT_STATUS("ctrl_pt_without_ctrl_bad_cap", hc_ctrl_pt(noctrl, 0, 0), NOVA_BAD_CAP);
    hc_ipc_call(s.pt, 0, 0, 0);
    suite_case("ctrl_pt_new_pid_delivered", w[1] == (uint64_t)&alias, "pid %#lx", w[1]);

    server_create(&recursive, 0, 0, self_call_server, 0);
    hc_ipc_call(recursive.pt, 0, 0, 0);
    suite_case("ipc_call_busy_callee_timeout", w[0] == NOVA_TIMEOUT, "status %s", nova_status_name((unsigned)w[0]));
}

/* Helping: a low-priority thread's call blocks in the server; our call with T=0 waits for it. */
static uint64_t gate_sm, order_len;
static uint64_t order[4];
static struct server gated;

/* Records who called (word 0) in the order the calls are served, then waits at the gate. */
static uint64_t gated_server(struct portal_ctx *ctx, uint64_t mtd)
{
    (void)mtd;
    if (order_len < 4)
        order[order_len++] = ctx->utcb->regular.word[0];
    hc_sm_down(gate_sm, 0, 0);
    return 0;
}

static void low_caller(void *arg)
{
    (void)arg;
    ((union nova_utcb *)arg)->regular.word[0] = 1;
    hc_ipc_call(gated.pt, 0, 0, 0);
}

static void opener(void *arg)
{
    (void)arg;
    hc_sm_up(gate_sm); /* for the low thread's call */
    hc_sm_up(gate_sm); /* for ours */
}

static void cases_helping(void)
{
    gate_sm = sel_alloc(1);
    hc_create_sm(gate_sm, ROOT, 0);
    server_create(&gated, 0, 0, gated_server, 0);
    uint64_t low_utcb = utcb_alloc();
    thread_start(sel_alloc(1), sel_alloc(1), 0, low_utcb, stack_alloc(), 20, 10, low_caller, (void *)low_utcb);
    uint64_t nap = sel_alloc(1);
    hc_create_sm(nap, ROOT, 0);
    hc_sm_down(nap, 0, deadline_ms(10)); /* let the low thread call in and block */
    EXPECT_STATUS("ipc_call_t1_busy_timeout", hc_ipc_call(gated.pt, 0, 1, 0), NOVA_TIMEOUT);
    thread_start(sel_alloc(1), sel_alloc(1), 0, utcb_alloc(), stack_alloc(), 10, 10, opener, 0);
    root_utcb()[0] = 2;
    unsigned st = hc_ipc_call(gated.pt, 0, 0, 0); /* waits: the server is busy and blocked */
    suite_case("ipc_call_t0_helps_busy_callee", st == NOVA_SUCCESS, "status %s", nova_status_name(st));
    suite_case("ipc_call_helping_order", order_len == 2 && order[0] == 1 && order[1] == 2,
               "order %lu %lu (len %lu)", order[0], order[1], order_len);
}

/* A server that faults without an event portal dies; its caller learns ABORTED. */
static uint64_t crashing_server(struct portal_ctx *ctx, uint64_t mtd)
{
    (void)ctx;
    (void)mtd;
    __asm__ volatile("ud2");
    return 0;
}

static void cases_abort_cpu(void)
{
    struct server s;
    server_create(&s, 0, sel_alloc(0x40), crashing_server, 0);
    EXPECT_STATUS("ipc_call_callee_dies_aborted", hc_ipc_call(s.pt, 0, 0, 0), NOVA_ABORTED);
    EXPECT_STATUS("ipc_call_dead_callee_aborted", hc_ipc_call(s.pt, 0, 0, 0), NOVA_ABORTED);

    if (cpu_num() < 2) {
        suite_skip("ipc_call_other_cpu_bad_cpu", "one CPU");
        return;
    }
    struct server far;
    server_create(&far, other_cpu(), 0, sum_server, 0);
    EXPECT_STATUS("ipc_call_other_cpu_bad_cpu", hc_ipc_call(far.pt, 0, 0, 0), NOVA_BAD_CPU);
}

void cases_ipc(void)
{
    cases_basic();
    cases_helping();
    cases_abort_cpu();
}

/* After everything else (the stress above all): a fresh server answers a fresh call. */
void cases_sanity(void)
{
    struct server s;
    server_create(&s, 0, 0, sum_server, 0);
    uint64_t *w = root_utcb();
    w[0] = 40;
    w[1] = 2;
    unsigned st = hc_ipc_call(s.pt, NOVA_MTD_WORDS(2), 0, 0);
    suite_case("sanity_after_stress", st == NOVA_SUCCESS && w[0] == 42, "status %s sum %lu", nova_status_name(st),
               w[0]);
}
