/* SPDX-License-Identifier: MIT */
/* Cases: host exceptions as events (spec 8.6.1), architectural MTD transfer, POISON, kills, recall. */

#include "cases.h"
#include <res.h>
#include <suite.h>

#include <hc.h>
#include <nova/events.h>
#include <nova/mtd.h>
#include <nova/selectors.h>
#include <portal.h>
#include <thread.h>

#define ROOT NOVA_SEL_PD_ROOT
#define EV_UD 6
#define EV_NM 7
#define EV_PF 14
#define UNMAPPED 0x700000000000ull

struct fault_log {
    uint64_t count, rip, qual0, qual1, rflags, mtd;
};

static struct fault_log log;
static volatile uint64_t after_fault, result_rax, result_rflags, spins;
static volatile int stop_spinning;
extern char ud_insn[], ud_after[], pf_insn[], pf_after[], nm_insn[], nm_after[];

/* Records what the kernel sent, skips the faulting instruction and sets RAX to 42. */
static uint64_t on_fault(struct portal_ctx *ctx, uint64_t mtd)
{
    struct nova_utcb_arch *a = &ctx->utcb->arch;
    log.count++;
    log.rip = a->rip;
    log.qual0 = a->qual[0];
    log.qual1 = a->qual[1];
    log.rflags = a->rflags;
    log.mtd = mtd;
    a->rip = a->rip == (uint64_t)ud_insn ? (uint64_t)ud_after
           : a->rip == (uint64_t)pf_insn ? (uint64_t)pf_after
           : (uint64_t)nm_after;
    a->rax = 42;
    a->rflags |= 0x3000 | (1ull << 17); /* IOPL 3 and VM: the kernel must not let these through */
    uint64_t reply = NOVA_MTD_RIP | NOVA_MTD_GPR_0_7 | NOVA_MTD_RFLAGS;
    if ((uint64_t)ctx->arg == 1)
        reply |= NOVA_MTD_POISON;
    return reply;
}

static void faulting_thread(void *arg)
{
    uint64_t rax, rflags;
    (void)arg;
    __asm__ volatile(".global ud_insn, ud_after\n"
                     "ud_insn: ud2\n"
                     "ud_after: pushfq; pop %1"
                     : "=a"(rax), "=r"(rflags)::"memory");
    result_rax = rax;
    result_rflags = rflags;
    after_fault++;
    __asm__ volatile(".global pf_insn, pf_after\n"
                     "pf_insn: movq (%1), %0\n"
                     "pf_after:"
                     : "=a"(rax)
                     : "r"(UNMAPPED)
                     : "memory");
    after_fault++;
}

static void nm_thread(void *arg)
{
    (void)arg;
    __asm__ volatile(".global nm_insn, nm_after\n"
                     "nm_insn: .byte 0xdb, 0xe3\n" /* fninit */
                     "nm_after:" ::: "memory");
    after_fault++;
}

static void spinner(void *arg)
{
    (void)arg;
    while (!stop_spinning)
        spins++;
}

static uint64_t recalls;
static uint64_t on_recall(struct portal_ctx *ctx, uint64_t mtd)
{
    (void)ctx;
    (void)mtd;
    recalls++;
    return 0;
}

/* Portals for the events of one thread, at a fresh selector base; poison_arg 1 = POISON reply. */
static uint64_t event_base(unsigned cpu, uint64_t poison_arg)
{
    uint64_t evt = sel_alloc(0x40);
    static struct portal_ctx ctxs[8];
    static unsigned used;
    struct portal_ctx *ctx = &ctxs[used++ % 8];
    ctx->stack_top = stack_alloc();
    ctx->fn = on_fault;
    ctx->arg = (void *)poison_arg;
    uint64_t ec = sel_alloc(1);
    portal_create(ec, evt + EV_UD, cpu, utcb_alloc(), 0, ctx);
    uint32_t mtd = NOVA_MTD_RIP | NOVA_MTD_GPR_0_7 | NOVA_MTD_QUAL | NOVA_MTD_RFLAGS;
    hc_ctrl_pt(evt + EV_UD, (uint64_t)ctx, mtd);
    hc_ctrl_pd(ROOT, ROOT, evt + EV_UD, evt + EV_PF, 0, NOVA_PERM_PT_ALL, NOVA_SPC_OBJ, 0, 0);
    hc_ctrl_pd(ROOT, ROOT, evt + EV_UD, evt + EV_NM, 0, NOVA_PERM_PT_ALL, NOVA_SPC_OBJ, 0, 0);
    return evt;
}

static void run_thread(void (*fn)(void *), uint64_t evt, unsigned cpu, unsigned fpu_unused)
{
    (void)fpu_unused;
    thread_start_evt(sel_alloc(1), sel_alloc(1), cpu, utcb_alloc(), stack_alloc(), 50, 10, fn, 0, evt);
    uint64_t nap = sel_alloc(1);
    hc_create_sm(nap, ROOT, 0);
    hc_sm_down(nap, 0, deadline_ms(20));
}

static void cases_exceptions(void)
{
    run_thread(faulting_thread, event_base(0, 0), 0, 0);
    suite_case("event_ud_delivered", log.count >= 1, "handler saw %lu events", log.count);
    suite_case("event_pf_delivered_and_resumed", after_fault == 2, "thread got %lu instructions further",
               after_fault);
    suite_case("event_pf_qual_is_cr2", log.qual1 == UNMAPPED, "qual1 %#lx", log.qual1);
    suite_case("event_pf_qual_is_error_code", log.qual0 == 4, "qual0 %#lx (want user read, not present)", log.qual0);
    suite_case("event_pf_rip", log.rip == (uint64_t)pf_insn, "rip %#lx", log.rip);
    suite_case("event_mtd_is_portal_mtd",
               log.mtd == (NOVA_MTD_RIP | NOVA_MTD_GPR_0_7 | NOVA_MTD_QUAL | NOVA_MTD_RFLAGS), "mtd %#lx", log.mtd);
    suite_case("event_reply_writes_gprs", result_rax == 42, "rax %#lx", result_rax);
    suite_case("event_reply_rflags_sanitised", (result_rflags & 0x23000) == 0 && (result_rflags & 0x200),
               "rflags %#lx", result_rflags);

    after_fault = 0;
    run_thread(faulting_thread, sel_alloc(0x40), 0, 0);
    suite_case("event_missing_portal_kills_thread", after_fault == 0, "thread went on after a fault");

    after_fault = 0;
    run_thread(faulting_thread, event_base(0, 1), 0, 0);
    suite_case("event_poison_kills_thread", after_fault == 0, "thread went on after POISON");

    after_fault = 0;
    uint64_t evt = event_base(0, 0);
    uint64_t noevent = sel_alloc(1);
    hc_ctrl_pd(ROOT, ROOT, evt + EV_UD, noevent, 0, NOVA_PERM_PT_ALL & ~NOVA_PERM_PT_EVENT, NOVA_SPC_OBJ, 0, 0);
    hc_ctrl_pd(ROOT, ROOT, noevent, evt + EV_UD, 0, 0x1f, NOVA_SPC_OBJ, 0, 0);
    run_thread(faulting_thread, evt, 0, 0);
    suite_case("event_portal_without_event_perm_kills", after_fault == 0, "thread went on");

    if (cpu_num() > 1) {
        after_fault = 0;
        run_thread(faulting_thread, event_base(other_cpu(), 0), 0, 0);
        suite_case("event_portal_on_other_cpu_kills", after_fault == 0, "thread went on");
    } else {
        suite_skip("event_portal_on_other_cpu_kills", "one CPU");
    }

    after_fault = 0;
    uint64_t before = log.count;
    run_thread(nm_thread, event_base(0, 0), 0, 0);
    suite_case("event_nm_without_fpu_flag", after_fault == 1 && log.count == before + 1 &&
                                                log.rip == (uint64_t)nm_insn,
               "after %lu count %lu rip %#lx", after_fault, log.count - before, log.rip);
}

static void cases_recall(void)
{
    unsigned cpus[2] = {0, other_cpu()};
    const char *names[2][3] = {{"ctrl_ec_weak_recall_success", "recall_event_delivered", "recall_thread_continues"},
                               {"ctrl_ec_strong_recall_other_cpu", "recall_event_delivered_other_cpu",
                                "recall_thread_continues_other_cpu"}};
    unsigned rounds = cpu_num() > 1 ? 2 : 1;
    if (rounds == 1)
        suite_skip("ctrl_ec_strong_recall_other_cpu", "one CPU");
    for (unsigned k = 0; k < rounds; k++) {
        unsigned cpu = cpus[k];
        uint64_t evt = sel_alloc(0x40);
        static struct portal_ctx rctx[2];
        rctx[k].stack_top = stack_alloc();
        rctx[k].fn = on_recall;
        portal_create(sel_alloc(1), evt + NOVA_EV_HST_RECALL, cpu, utcb_alloc(), 0, &rctx[k]);
        hc_ctrl_pt(evt + NOVA_EV_HST_RECALL, (uint64_t)&rctx[k], 0);
        uint64_t ec = sel_alloc(1);
        stop_spinning = 0;
        recalls = 0;
        spins = 0;
        thread_start_evt(ec, sel_alloc(1), cpu, utcb_alloc(), stack_alloc(), 40, 5, spinner, 0, evt);
        uint64_t nap = sel_alloc(1);
        hc_create_sm(nap, ROOT, 0);
        WAIT_UNTIL(spins > 0, 2000);
        EXPECT_STATUS(names[k][0], hc_ctrl_ec(ec, k == 1), NOVA_SUCCESS);
        WAIT_UNTIL(recalls > 0, 2000);
        uint64_t s0 = spins;
        suite_case(names[k][1], recalls == 1, "recall events %lu", recalls);
        WAIT_UNTIL(spins > s0, 2000);
        suite_case(names[k][2], spins > s0, "spinner stopped");
        stop_spinning = 1;
        hc_sm_down(nap, 0, deadline_ms(5));
    }
    EXPECT_STATUS("ctrl_ec_null_bad_cap", hc_ctrl_ec(sel_alloc(1), 0), NOVA_BAD_CAP);
    EXPECT_STATUS("ctrl_ec_on_sc_bad_cap", hc_ctrl_ec(NOVA_SEL_SC_ROOT, 0), NOVA_BAD_CAP);
}

void cases_events(void)
{
    cases_exceptions();
    cases_recall();
}
