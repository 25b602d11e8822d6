/* SPDX-License-Identifier: MIT */
/* Cases: PDs whose threads run on another CPU are destroyed from CPU 0, 200 times, while the threads
   spin, block, make hypercalls or wait in a call; the kernel stays healthy and gets every page back. */

#include "cases.h"
#include <res.h>
#include <suite.h>

#include <hc.h>
#include <nova/descriptors.h>
#include <nova/events.h>
#include <nova/selectors.h>
#include <portal.h>
#include <thread.h>

#define ROOT            NOVA_SEL_PD_ROOT
#define ROUNDS          200
#define SLOTS           2           /* rounds alternate between pages, so a straggler cannot disturb the next */
#define MAX_SM          16384
#define CHILD_SEL_SM    1           /* in the child's own object space */
#define CHILD_SEL_PT    2
#define CHILD_EVT       0x40        /* EVT + startup is the root's startup portal of that CPU */
#define CHILD_SPACE_ORD 7           /* the child's selectors are all below 2^7 */
#define CHILD_UTCB      0x500000000000ull
#define HANDLER_UTCB    0x500000001000ull
#define TIMED_DOWN_MS   1

_Static_assert(CHILD_EVT + NOVA_EV_HST_STARTUP < (1u << CHILD_SPACE_ORD), "child selectors");

/* What the child's thread does when the root destroys it. The last three keep it in a semaphore's
   queue or in a call that only the child's own capabilities lead to: such a PD is a reference cycle
   (docs/abi.md), so the root clears the child's object space first. */
enum mode {
    MODE_SPIN,          /* in user mode, with its state in the FPU */
    MODE_HYPERCALLS,    /* in and out of the kernel */
    MODE_WAIT,          /* blocked for good in ipc_reply without a caller */
    MODE_TIMED,         /* blocked in downs that time out after a millisecond */
    MODE_SM_BLOCK,      /* blocked for good in a down */
    MODE_CALL_BLOCK,    /* in a call whose handler is blocked for good */
    MODE_CALL_SPIN,     /* in a call whose handler spins */
    MODES
};
/* In which order the root revokes its capabilities of the child. */
enum order { ORDER_ALL_AT_ONCE, ORDER_SC_EC_PD, ORDER_PD_FIRST, ORDERS };
/* The root's selectors of one child, in an aligned block of 8. */
enum { B_PD, B_EC, B_SC, B_HANDLER, B_PT, B_SM, B_ORD = 3 };

/* The only data page the child sees (its code is the root's, mapped read-only). */
struct child_page {
    volatile uint64_t progress;     /* steps of the thread */
    volatile uint64_t handled;      /* steps of the portal handler */
    volatile uint64_t stop;         /* set by the root: the spinning handler replies */
    uint64_t mode;
    uint64_t timed_ticks;           /* TIMED_DOWN_MS in STC ticks (the child has no HIP) */
    struct portal_ctx ctx;
    uint64_t handler_stack[240] __attribute__((aligned(16)));
    uint64_t stack[240] __attribute__((aligned(16)));
} __attribute__((aligned(4096)));
_Static_assert(sizeof(struct child_page) == 4096, "one page");

static struct child_page pages[SLOTS];
extern char __text_start[], __text_end[];

static void set_xmm0(uint64_t v)
{
    __asm__ volatile("movq %0, %%xmm0" ::"r"(v)); /* no clobber: user code is built without SSE */
}

static bool in_call(enum mode m)
{
    return m == MODE_CALL_BLOCK || m == MODE_CALL_SPIN;
}

static bool cyclic(enum mode m)
{
    return m == MODE_SM_BLOCK || in_call(m);
}

/* Runs in the child PD; touches only its page. */
static void child_thread(void *arg)
{
    struct child_page *pg = arg;
    switch (pg->mode) {
    case MODE_SPIN:
        for (;;) {
            set_xmm0(pg->progress); /* the FPU holds this EC's state when it dies */
            pg->progress++;
        }
    case MODE_HYPERCALLS:
        for (;;) {
            set_xmm0(pg->progress);
            hc_sm_up(CHILD_SEL_SM);
            hc_sm_down(CHILD_SEL_SM, 0, 0);
            pg->progress++;
        }
    case MODE_WAIT:
        pg->progress = 1;
        hc_ipc_reply_wait();
    case MODE_TIMED:
        for (;;) {
            hc_sm_down(CHILD_SEL_SM, 0, rdtsc_now() + pg->timed_ticks);
            pg->progress++;
        }
    case MODE_SM_BLOCK:
        pg->progress = 1;
        hc_sm_down(CHILD_SEL_SM, 0, 0);
        break;
    default: /* into the handler, which replies only when the root says so */
        pg->progress = 1;
        if (hc_ipc_call(CHILD_SEL_PT, 0, 0, 0) == NOVA_SUCCESS)
            pg->progress = 2;
        break;
    }
}

/* The child's portal handler: a local EC of the child PD that keeps the call open. */
static uint64_t child_handler(struct portal_ctx *ctx, uint64_t mtd)
{
    (void)mtd;
    struct child_page *pg = ctx->arg;
    pg->handled = 1;
    if (pg->mode == MODE_CALL_BLOCK)
        hc_sm_down(CHILD_SEL_SM, 0, 0);
    while (!pg->stop)
        pg->handled++;
    return 0;
}

static unsigned give(uint64_t pd, uint64_t src, uint64_t dst, unsigned ord, unsigned spc, unsigned pmm)
{
    return hc_ctrl_pd(ROOT, pd, src, dst, ord, pmm, spc, NOVA_ACC_CPU_HST, NOVA_CA_WB);
}

/* Map pages [first, end) at the same place in pd, in naturally aligned blocks. */
static unsigned give_pages(uint64_t pd, uint64_t first, uint64_t end, unsigned pmm)
{
    unsigned st = NOVA_SUCCESS;
    while (first < end && st == NOVA_SUCCESS) {
        unsigned ord = 0;
        while (!(first & ((2ull << ord) - 1)) && first + (2ull << ord) <= end)
            ord++;
        st = give(pd, first, first, ord, NOVA_SPC_MEM, pmm);
        first += 1ull << ord;
    }
    return st;
}

/* A child PD of owner with a thread on cpu doing `mode`, and what that needs; NOVA_SUCCESS, or the
   statuses of the failed steps OR'd together. */
static unsigned child_create(uint64_t b, uint64_t owner, struct child_page *pg, enum mode mode, unsigned cpu)
{
    pg->progress = pg->handled = pg->stop = 0;
    pg->mode = mode;
    pg->timed_ticks = deadline_ms(TIMED_DOWN_MS) - rdtsc_now();
    unsigned st = hc_create_pd(b + B_PD, owner);
    st |= give_pages(b + B_PD, (uint64_t)__text_start >> 12, (uint64_t)__text_end >> 12,
                     NOVA_PERM_MEM_R | NOVA_PERM_MEM_XU);
    st |= give_pages(b + B_PD, (uint64_t)pg >> 12, ((uint64_t)pg >> 12) + 1, NOVA_PERM_MEM_R | NOVA_PERM_MEM_W);
    st |= hc_create_sm(b + B_SM, b + B_PD, 0);
    st |= give(b + B_PD, b + B_SM, CHILD_SEL_SM, 0, NOVA_SPC_OBJ, NOVA_PERM_SM_CTRL_UP | NOVA_PERM_SM_CTRL_DN);
    st |= give(b + B_PD, thread_evt(cpu) + NOVA_EV_HST_STARTUP, CHILD_EVT + NOVA_EV_HST_STARTUP, 0, NOVA_SPC_OBJ,
               NOVA_PERM_PT_EVENT);
    if (in_call(mode)) {
        pg->ctx.stack_top = (uint64_t)(pg->handler_stack + sizeof(pg->handler_stack) / sizeof(uint64_t));
        pg->ctx.fn = child_handler;
        pg->ctx.utcb = (union nova_utcb *)HANDLER_UTCB;
        pg->ctx.arg = pg;
        st |= hc_create_ec(b + B_HANDLER, b + B_PD, HANDLER_UTCB, cpu, 0, 0, NOVA_CREATE_EC_F);
        st |= hc_create_pt(b + B_PT, b + B_PD, b + B_HANDLER, (uint64_t)portal_entry);
        st |= hc_ctrl_pt(b + B_PT, (uint64_t)&pg->ctx, 0);
        st |= give(b + B_PD, b + B_PT, CHILD_SEL_PT, 0, NOVA_SPC_OBJ, NOVA_PERM_PT_CALL);
    }
    uint64_t *sp = pg->stack + sizeof(pg->stack) / sizeof(uint64_t) - 2; /* {fn, arg} for thread_entry */
    sp[0] = (uint64_t)child_thread;
    sp[1] = (uint64_t)pg;
    st |= hc_create_ec(b + B_EC, b + B_PD, CHILD_UTCB, cpu, (uint64_t)sp, CHILD_EVT,
                       NOVA_CREATE_EC_T | NOVA_CREATE_EC_F);
    st |= hc_create_sc(b + B_SC, b + B_PD, b + B_EC, nova_scd(2, 30, 0));
    return st;
}

/* Overwrite 2^ord selectors of pd at sel with null capabilities (from the root's empty block null). */
static void revoke(uint64_t pd, uint64_t null, uint64_t sel, unsigned ord)
{
    hc_ctrl_pd(ROOT, pd, null, sel, ord, NOVA_PERM_MASK, NOVA_SPC_OBJ, 0, 0);
}

static void child_destroy(uint64_t b, uint64_t null, enum mode mode, enum order order)
{
    static const unsigned sc_ec_pd[] = {B_SC, B_EC, B_PT, B_HANDLER, B_SM, B_PD};
    static const unsigned pd_first[] = {B_PD, B_SM, B_EC, B_HANDLER, B_PT, B_SC};
    if (cyclic(mode))
        revoke(b + B_PD, null, 0, CHILD_SPACE_ORD);
    if (order == ORDER_ALL_AT_ONCE) {
        revoke(ROOT, null, b, B_ORD);
        return;
    }
    const unsigned *seq = order == ORDER_SC_EC_PD ? sc_ec_pd : pd_first;
    for (unsigned i = 0; i < sizeof(sc_ec_pd) / sizeof(sc_ec_pd[0]); i++)
        revoke(ROOT, null, b + seq[i], 0);
}

/* How many semaphores fit a PD two levels below owner: it sees every byte owner has left. */
static unsigned capacity(uint64_t owner, uint64_t null)
{
    uint64_t x = sel_alloc(1), y = sel_alloc(1), base = sel_alloc(MAX_SM);
    unsigned n = 0;
    if (hc_create_pd(x, owner) == NOVA_SUCCESS && hc_create_pd(y, x) == NOVA_SUCCESS)
        while (n < MAX_SM && hc_create_sm(base + n, y, 0) == NOVA_SUCCESS)
            n++;
    for (unsigned i = 0; i < n; i++)
        revoke(ROOT, null, base + i, 0);
    revoke(ROOT, null, y, 0);
    revoke(ROOT, null, x, 0);
    nap_ms(2); /* a grace period: every CPU passes a quiescent point and the memory is back */
    return n;
}

/* A block of 2^ord selectors aligned to its size. */
static uint64_t aligned_block(unsigned ord)
{
    uint64_t n = 1ull << ord;
    return (sel_alloc(2 * (unsigned)n) + n - 1) & ~(n - 1);
}

void cases_lifetime_remote(void)
{
    unsigned cpu = other_cpu();
    uint64_t null = aligned_block(CHILD_SPACE_ORD), parent = sel_alloc(1);
    hc_create_pd(parent, ROOT); /* the children's owner: its quota shows what they give back */
    unsigned before = capacity(parent, null);

    uint64_t block[SLOTS];
    for (unsigned s = 0; s < SLOTS; s++)
        block[s] = aligned_block(B_ORD);
    unsigned bad_setup = 0, never_ran = 0, first_bad = 0;
    for (unsigned r = 0; r < ROUNDS; r++) {
        unsigned s = r % SLOTS;
        struct child_page *pg = &pages[s];
        enum mode mode = (enum mode)(r % MODES);
        unsigned st = child_create(block[s], parent, pg, mode, cpu);
        if (st != NOVA_SUCCESS && !bad_setup++)
            first_bad = r;
        WAIT_UNTIL(pg->progress && (!in_call(mode) || pg->handled), 1000);
        never_ran += !pg->progress || (in_call(mode) && !pg->handled);
        if (r / MODES % 2) /* every other cycle of modes, let it go on a little */
            nap_ms(1);
        child_destroy(block[s], null, mode, (enum order)(r / MODES % ORDERS));
    }
    suite_case("lifetime_remote_children_created", !bad_setup, "%u of %u rounds failed, the first was %u", bad_setup,
               ROUNDS, first_bad);
    suite_case("lifetime_remote_children_ran", !never_ran, "%u of %u children never got going", never_ran, ROUNDS);

    nap_ms(5);
    uint64_t seen[SLOTS][2];
    for (unsigned s = 0; s < SLOTS; s++)
        seen[s][0] = pages[s].progress, seen[s][1] = pages[s].handled;
    nap_ms(10);
    unsigned moved = 0;
    for (unsigned s = 0; s < SLOTS; s++)
        moved += seen[s][0] != pages[s].progress || seen[s][1] != pages[s].handled;
    suite_case("lifetime_remote_destroyed_threads_stopped", !moved, "%u destroyed children still run", moved);

    unsigned after = capacity(parent, null);
    suite_case("lifetime_remote_memory_returned", before > 0 && after == before,
               "capacity %u semaphores before, %u after %u destroyed PDs", before, after, ROUNDS);

    /* The other CPU still runs a fresh child through a call to its handler and back. */
    struct child_page *pg = &pages[0];
    unsigned st = child_create(block[0], parent, pg, MODE_CALL_SPIN, cpu);
    WAIT_UNTIL(pg->handled > 1000, 2000);
    pg->stop = 1;
    WAIT_UNTIL(pg->progress == 2, 2000);
    suite_case("lifetime_remote_cpu_still_runs", st == NOVA_SUCCESS && pg->progress == 2,
               "status %s, thread at step %lu, handler at %lu", nova_status_name(st), pg->progress, pg->handled);
    child_destroy(block[0], null, MODE_CALL_SPIN, ORDER_ALL_AT_ONCE);
}
