/* SPDX-License-Identifier: MIT */
/* Randomized stress: 100 000 hypercalls with random arguments from a thread in a child PD, then
   checks that the kernel, the root task and a fresh IPC round trip still work. */

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
#define STRESS_CALLS    100000
#define CHILD_SEL_PD    1           /* the child's own PD capability */
#define CHILD_SEL_DONE  0x3ff00     /* semaphore the child ups when done; random selectors avoid it */
#define CHILD_EVT       0x40        /* event base of the child thread; EVT + startup is the root's portal */
#define CHILD_UTCB      0x500000000000ull
#define SCRATCH_PAGE    0x100000ull /* page numbers the random MEM delegations may target */
#define SCRATCH_PAGES   0x40000ull
#define TIMEOUT_MS      120000

struct stress_shared {
    uint64_t stack[480];            /* the child's stack (top of the page) sits below */
    uint64_t calls;
    uint64_t status_count[16];
    uint64_t seed;
};

static struct stress_shared shared __attribute__((aligned(4096)));
_Static_assert(sizeof(struct stress_shared) <= 4096, "one shared page");
extern char __text_start[], __text_end[];

static inline uint64_t next_random(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

/* A selector that is usually small (where the child's capabilities live), sometimes anything. */
static inline uint64_t random_sel(uint64_t *s)
{
    uint64_t r = next_random(s);
    return (r & 3) ? (r >> 8) & 0x1ff : r >> 8;
}

/* Runs in the child PD: only its stack, the shared page and the root's code are mapped. */
static void stress_child(void *arg)
{
    struct stress_shared *sh = arg;
    uint64_t s = sh->seed;
    for (uint64_t i = 0; i < STRESS_CALLS; i++) {
        unsigned nr = next_random(&s) % NOVA_HC_COUNT, flags = next_random(&s) & 0xf;
        uint64_t sel = random_sel(&s), rsi = next_random(&s), rdx = next_random(&s), rax = next_random(&s);
        uint64_t r8 = next_random(&s);
        if (nr == NOVA_IPC_REPLY)
            nr = NOVA_HC_RESERVED; /* with no caller it would rightly block the thread for good */
        if (sel == CHILD_SEL_DONE)
            sel = 0;
        if (nr == NOVA_CTRL_SM)
            rsi = rdtsc_now() + (rsi & 0xfffff); /* downs end within a millisecond or so */
        if (nr == NOVA_CTRL_PD) {
            if (next_random(&s) & 1) /* often use our own PD, so that delegations happen */
                sel = CHILD_SEL_PD, rsi = CHILD_SEL_PD;
            unsigned spc = rdx & 3;
            uint64_t dst = rax >> 12;
            if (spc == NOVA_SPC_MEM) /* keep our code, stack and shared page mapped */
                dst = SCRATCH_PAGE + (dst % SCRATCH_PAGES);
            else if (spc == NOVA_SPC_OBJ)
                dst = 0x100 + (dst & 0xff);
            rax = dst << 12 | (rax & 0xfff);
            rdx &= ~0x60ull; /* orders up to 7: long ranges stay quick */
        }
        if (nr == NOVA_CREATE_EC || nr == NOVA_CREATE_PD || nr == NOVA_CREATE_SC || nr == NOVA_CREATE_PT ||
            nr == NOVA_CREATE_SM)
            rsi = (next_random(&s) & 1) ? CHILD_SEL_PD : rsi;
        unsigned st = hc_raw(nova_hc_id(nr, flags, sel), rsi, rdx, rax, r8, 0);
        sh->status_count[st & 0xf]++;
        sh->calls++;
    }
    hc_sm_up(CHILD_SEL_DONE);
}

static unsigned give(uint64_t child, uint64_t src, uint64_t dst, unsigned spc, unsigned pmm)
{
    return hc_ctrl_pd(ROOT, child, src, dst, 0, pmm, spc, NOVA_ACC_CPU_HST, NOVA_CA_WB);
}

void cases_stress(void)
{
    uint64_t child = sel_alloc(1), done = sel_alloc(1), ec = sel_alloc(1), sc = sel_alloc(1);
    unsigned st = hc_create_pd(child, ROOT);
    st |= hc_create_sm(done, ROOT, 0);
    for (uint64_t p = (uint64_t)__text_start >> 12; p < (uint64_t)__text_end >> 12; p++)
        st |= give(child, p, p, NOVA_SPC_MEM, NOVA_PERM_MEM_R | NOVA_PERM_MEM_XU);
    st |= give(child, (uint64_t)&shared >> 12, (uint64_t)&shared >> 12, NOVA_SPC_MEM,
               NOVA_PERM_MEM_R | NOVA_PERM_MEM_W);
    st |= give(child, child, CHILD_SEL_PD, NOVA_SPC_OBJ, 0x1f);
    st |= give(child, done, CHILD_SEL_DONE, NOVA_SPC_OBJ, NOVA_PERM_SM_CTRL_UP);
    /* EVENT only: with CTRL the random calls could repoint the root's startup handler. */
    st |= give(child, thread_evt(0) + NOVA_EV_HST_STARTUP, CHILD_EVT + NOVA_EV_HST_STARTUP, NOVA_SPC_OBJ,
               NOVA_PERM_PT_EVENT);
    shared.seed = 0x9e3779b97f4a7c15ull ^ rdtsc_now();
    uint64_t *sp = shared.stack + sizeof(shared.stack) / sizeof(uint64_t) - 2;
    sp[0] = (uint64_t)stress_child;
    sp[1] = (uint64_t)&shared;
    st |= hc_create_ec(ec, child, CHILD_UTCB, 0, (uint64_t)sp, CHILD_EVT, NOVA_CREATE_EC_T);
    st |= hc_create_sc(sc, ROOT, ec, nova_scd(10, 20, 0));
    suite_case("stress_child_setup", st == NOVA_SUCCESS, "a setup hypercall failed");

    unsigned w = hc_sm_down(done, 0, deadline_ms(TIMEOUT_MS));
    suite_case("stress_100k_random_hypercalls", w == NOVA_SUCCESS && shared.calls == STRESS_CALLS,
               "%s after %lu calls (seed %#lx)", nova_status_name(w), shared.calls, shared.seed);
    unsigned kinds = 0;
    for (unsigned i = 0; i < 16; i++)
        kinds += shared.status_count[i] != 0;
    suite_case("stress_saw_many_status_codes", kinds >= 6, "only %u distinct statuses", kinds);
    printf("abi: stress statuses: SUCCESS %lu BAD_CAP %lu BAD_PAR %lu BAD_HYP %lu INS_MEM %lu TIMEOUT %lu\n",
           shared.status_count[NOVA_SUCCESS], shared.status_count[NOVA_BAD_CAP], shared.status_count[NOVA_BAD_PAR],
           shared.status_count[NOVA_BAD_HYP], shared.status_count[NOVA_INS_MEM], shared.status_count[NOVA_TIMEOUT]);
}
