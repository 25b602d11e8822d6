/* SPDX-License-Identifier: MIT */
/* Calls through portals: messages (ipc_call/ipc_reply) and events (exceptions, startup, recall). */

#include "core/ipc.h"
#include "core/console.h"
#include "core/ec.h"
#include "core/pd.h"
#include "core/pt.h"
#include "core/sc.h"
#include "core/sched.h"
#include "x86/cpu.h"
#include "x86/event_state.h"

#include <format.h>
#include <nova/events.h>
#include <nova/mtd.h>
#include <nova/status.h>
#include <string.h>

void ec_block(struct ec *ec)
{
    ec->waiting = true;
    ec->wake_sc = sched_current();
    if (ec->wake_sc && !kobject_get(&ec->wake_sc->obj)) /* the SC stays until the EC wakes */
        ec->wake_sc = NULL; /* its last capability went on another CPU just now */
}

void ec_wake(struct ec *ec)
{
    struct sc *sc = ec->wake_sc;
    ec->wake_sc = NULL;
    ec->waiting = false;
    if (!sc)
        return;
    if (!ec->dead)
        sched_add(sc);
    kobject_put(&sc->obj);
}

/* Let every EC that waited for callee to become free try its call again. */
static void wake_helpers(struct ec *callee)
{
    struct ec *h = __atomic_exchange_n(&callee->helpers, NULL, __ATOMIC_ACQ_REL); /* the list is ours */
    while (h) {
        struct ec *next = h->help_next;
        ec_wake(h);
        kobject_put(&h->obj); /* the helper list's reference */
        h = next;
    }
}

/* The callee is busy with another call: wait for it (continuing with cont once it is free), and
   meanwhile run it on our time. */
static __attribute__((noreturn)) void help(struct ec *ec, struct ec *callee,
                                           __attribute__((noreturn)) void (*cont)(struct ec *))
{
    if (!kobject_get(&ec->obj))
        schedule(); /* ec is being destroyed on another CPU */
    ec->cont = cont;
    ec_block(ec);
    ec->help_next = __atomic_load_n(&callee->helpers, __ATOMIC_RELAXED);
    while (!__atomic_compare_exchange_n(&callee->helpers, &ec->help_next, ec, false, __ATOMIC_SEQ_CST,
                                        __ATOMIC_RELAXED))
        ;
    if (__atomic_load_n(&callee->dead, __ATOMIC_SEQ_CST))
        wake_helpers(callee); /* it died meanwhile: whoever destroyed it may have woken its helpers already */
    struct ec *end = ec_chain_end(callee);
    if (ec_runnable(end))
        ec_resume(end);
    schedule();
}

static bool callee_busy(const struct ec *callee)
{
    return callee->caller || !callee->waiting;
}

/* Start the callee at the portal with the PID and MTD it receives. */
static __attribute__((noreturn)) void enter_portal(struct ec *caller, struct ec *callee, const struct pt *pt,
                                                  uint32_t mtd)
{
    if (!kobject_get(&caller->obj)) /* held while the call is in progress */
        schedule(); /* the caller is being destroyed on another CPU */
    callee->caller = caller;
    caller->partner = callee;
    callee->waiting = false;
    callee->regs.rdi = pt->pid;
    callee->regs.rsi = mtd;
    callee->regs.rip = pt->ip;
    callee->regs.rflags = RFLAGS_IF | RFLAGS_RSVD1;
    callee->cont = ec_ret_sysret;
    ec_resume(callee);
}

void ipc_call(struct ec *ec, struct pt *pt, uint32_t mtd, bool no_help)
{
    struct ec *callee = pt->ec;
    if (callee->dead)
        ec_sys_finish(ec, NOVA_ABORTED);
    if (callee->cpu != ec->cpu)
        ec_sys_finish(ec, NOVA_BAD_CPU);
    if (callee_busy(callee)) {
        if (no_help)
            ec_sys_finish(ec, NOVA_TIMEOUT);
        help(ec, callee, ec_retry_hypercall);
    }
    unsigned words = (mtd & NOVA_MTD_WORDS_MASK) + 1;
    memcpy(callee->utcb->regular.word, ec->utcb->regular.word, words * sizeof(uint64_t));
    ec->cont = ec_ret_sysret;
    ec->regs.rdi = NOVA_SUCCESS; /* the spec's status; NOVA's release leaves RDI as it was */
    enter_portal(ec, callee, pt, mtd);
}

void ipc_reply(struct ec *ec, uint32_t mtd)
{
    /* Claimed with an exchange: another CPU that destroys ec right now aborts the same call. */
    struct ec *caller = __atomic_exchange_n(&ec->caller, NULL, __ATOMIC_ACQ_REL);
    ec->waiting = true;
    if (!caller)
        schedule(); /* nobody to answer: wait for the next message */

    caller->partner = NULL;
    wake_helpers(ec);
    kobject_put(&caller->obj); /* still alive: the CPU is in the kernel (RCU) */
    if (caller->dead)
        schedule();
    if (caller->in_event) {
        caller->in_event = false;
        if (mtd & NOVA_MTD_POISON)
            ec_kill(caller, "event handler replied with POISON");
        if (caller->vcpu.backend) {
            vcpu_state_load(caller, mtd, &ec->utcb->arch);
            caller->cont = vcpu_run;
        } else {
            event_state_load(&caller->regs, mtd, &ec->utcb->arch);
            caller->cont = ec_ret_iret;
        }
    } else {
        unsigned words = (mtd & NOVA_MTD_WORDS_MASK) + 1;
        memcpy(caller->utcb->regular.word, ec->utcb->regular.word, words * sizeof(uint64_t));
        caller->regs.rsi = mtd;
    }
    if (sched_need_resched())
        schedule(); /* a woken helper outranks the caller */
    ec_resume(caller);
}

void ipc_event(struct ec *ec, unsigned ev)
{
    cap_t c = space_obj_lookup(&ec->pd->objs, ec->evt + ev);
    struct pt *pt = (struct pt *)cap_check(c, KOBJ_PT, NOVA_PERM_PT_EVENT);
    if (!pt || pt->ec->cpu != ec->cpu || pt->ec->dead) {
        char why[64];
        snprintf(why, sizeof(why), "no usable event portal at selector %#lx (event %#x)", ec->evt + ev, ev);
        ec_kill(ec, why);
    }
    struct ec *handler = pt->ec;
    if (callee_busy(handler)) {
        ec->pending_event = ev;
        help(ec, handler, ec_event_pending_cont);
    }
    ec->in_event = true;
    if (ec->vcpu.backend)
        vcpu_state_save(ec, pt->mtd, &handler->utcb->arch);
    else
        event_state_save(&ec->regs, ec->fault_addr, pt->mtd, &handler->utcb->arch);
    enter_portal(ec, handler, pt, pt->mtd);
}

void ec_event_pending_cont(struct ec *ec)
{
    ipc_event(ec, ec->pending_event);
}

void ec_event_startup_cont(struct ec *ec)
{
    ec->started = true;
    ipc_event(ec, ec->vcpu.backend ? NOVA_EV_GST_STARTUP : NOVA_EV_HST_STARTUP);
}

void ec_event_recall_cont(struct ec *ec)
{
    ipc_event(ec, ec->vcpu.backend ? NOVA_EV_GST_RECALL : NOVA_EV_HST_RECALL);
}

void ipc_abort(struct ec *ec)
{
    __atomic_store_n(&ec->dead, true, __ATOMIC_SEQ_CST);
    struct ec *caller = __atomic_exchange_n(&ec->caller, NULL, __ATOMIC_ACQ_REL); /* see ipc_reply */
    wake_helpers(ec);
    if (!caller)
        return;
    if (caller->in_event) {
        caller->in_event = false;
        kprintf("nova: killed EC %p: its event handler died\n", (void *)caller);
        ipc_abort(caller); /* its fault can never be handled now */
    } else {
        caller->regs.rdi = NOVA_ABORTED;
        caller->cont = ec_ret_sysret;
    }
    /* Only now may the caller's CPU find it at the end of its chain and resume it. */
    __atomic_store_n(&caller->partner, NULL, __ATOMIC_RELEASE);
    kobject_put(&caller->obj);
}
