/* SPDX-License-Identifier: MIT */
/* Global threads: an EC with an SC that starts in a C function, through a startup portal. */

#include "thread.h"
#include "hc.h"
#include "portal.h"

#include <nova/descriptors.h>
#include <nova/events.h>
#include <nova/mtd.h>
#include <nova/selectors.h>

#define STARTUP_STACK 4096
#define MAX_THREAD_CPUS 16

void thread_entry(void);

static struct portal_ctx startup_ctx[MAX_THREAD_CPUS];
static uint64_t startup_ec[MAX_THREAD_CPUS];
static struct portal_ctx fault_ctx[MAX_THREAD_CPUS][NOVA_EV_HST_STARTUP]; /* arg: cpu * 32 + vector */
static thread_fault_fn fault_fn[MAX_THREAD_CPUS];
static uint8_t startup_stack[MAX_THREAD_CPUS][STARTUP_STACK] __attribute__((aligned(16)));

/* Startup event: the thread's RSP points at {fn, arg}; send it to thread_entry. */
static uint64_t on_startup(struct portal_ctx *ctx, uint64_t mtd)
{
    (void)mtd;
    ctx->utcb->arch.rip = (uint64_t)thread_entry;
    return NOVA_MTD_RIP;
}

unsigned thread_init_cpu(unsigned cpu, uint64_t ec_sel, uint64_t utcb_va)
{
    if (cpu >= MAX_THREAD_CPUS)
        return NOVA_BAD_CPU;
    struct portal_ctx *ctx = &startup_ctx[cpu];
    ctx->stack_top = (uint64_t)startup_stack[cpu] + STARTUP_STACK;
    ctx->fn = on_startup;
    uint64_t pt = thread_evt(cpu) + NOVA_EV_HST_STARTUP;
    startup_ec[cpu] = ec_sel;
    unsigned st = portal_create(ec_sel, pt, cpu, utcb_va, 0, ctx);
    if (st == NOVA_SUCCESS)
        st = hc_ctrl_pt(pt, (uint64_t)ctx, NOVA_MTD_RIP | NOVA_MTD_GPR_0_7);
    return st;
}

/* An exception event: tell the catcher, then the thread dies (POISON) rather than fault again. */
static uint64_t on_fault(struct portal_ctx *ctx, uint64_t mtd)
{
    (void)mtd;
    unsigned id = (unsigned)(uintptr_t)ctx->arg, cpu = id / NOVA_EV_HST_STARTUP;
    const struct nova_utcb_arch *a = &ctx->utcb->arch;
    struct thread_fault f = {cpu, id % NOVA_EV_HST_STARTUP, a->rip, a->qual[0], a->qual[1]};
    fault_fn[cpu](&f);
    return NOVA_MTD_POISON;
}

unsigned thread_catch_faults(unsigned cpu, thread_fault_fn fn)
{
    if (cpu >= MAX_THREAD_CPUS || !startup_ec[cpu])
        return NOVA_BAD_CPU;
    fault_fn[cpu] = fn;
    unsigned st = NOVA_SUCCESS;
    for (unsigned v = 0; v < NOVA_EV_HST_STARTUP && st == NOVA_SUCCESS; v++) {
        struct portal_ctx *ctx = &fault_ctx[cpu][v];
        *ctx = (struct portal_ctx){startup_ctx[cpu].stack_top, on_fault, startup_ctx[cpu].utcb,
                                   (void *)(uintptr_t)(cpu * NOVA_EV_HST_STARTUP + v)};
        uint64_t pt = thread_evt(cpu) + v;
        st = hc_create_pt(pt, NOVA_SEL_PD_ROOT, startup_ec[cpu], (uint64_t)portal_entry);
        if (st == NOVA_SUCCESS)
            st = hc_ctrl_pt(pt, (uint64_t)ctx, NOVA_MTD_RIP | NOVA_MTD_QUAL);
    }
    return st;
}

unsigned thread_start(uint64_t ec_sel, uint64_t sc_sel, unsigned cpu, uint64_t utcb_va, uint64_t stack_top,
                      unsigned prio, unsigned budget_ms, void (*fn)(void *), void *arg)
{
    return thread_start_evt(ec_sel, sc_sel, cpu, utcb_va, stack_top, prio, budget_ms, fn, arg, thread_evt(cpu));
}

unsigned thread_start_evt(uint64_t ec_sel, uint64_t sc_sel, unsigned cpu, uint64_t utcb_va, uint64_t stack_top,
                          unsigned prio, unsigned budget_ms, void (*fn)(void *), void *arg, uint64_t evt)
{
    if (evt != thread_evt(cpu))
        hc_ctrl_pd(NOVA_SEL_PD_ROOT, NOVA_SEL_PD_ROOT, thread_evt(cpu) + NOVA_EV_HST_STARTUP,
                   evt + NOVA_EV_HST_STARTUP, 0, NOVA_PERM_PT_ALL, NOVA_SPC_OBJ, 0, 0);
    uint64_t *sp = (uint64_t *)(stack_top & ~15ull) - 2;
    sp[0] = (uint64_t)fn;
    sp[1] = (uint64_t)arg;
    unsigned st = hc_create_ec(ec_sel, NOVA_SEL_PD_ROOT, utcb_va, cpu, (uint64_t)sp, evt, NOVA_CREATE_EC_T);
    if (st == NOVA_SUCCESS)
        st = hc_create_sc(sc_sel, NOVA_SEL_PD_ROOT, ec_sel, nova_scd(budget_ms, prio, 0));
    return st;
}
