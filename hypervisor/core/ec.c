/* SPDX-License-Identifier: MIT */
/* Execution context: a thread's (later also a vCPU's) register state, PD, UTCB and continuation. */

#include "core/ec.h"
#include "core/console.h"
#include "core/memory.h"
#include "core/pd.h"
#include "core/pmm.h"
#include "core/quota.h"
#include "core/sc.h"
#include "core/sched.h"
#include "core/slab.h"
#include "core/timeout.h"
#include "core/ipc.h"
#include "core/rcu.h"
#include "core/syscall.h"
#include "x86/cpu.h"
#include "x86/fpu.h"
#include "x86/gdt.h"
#include "x86/tlb.h"
#include "x86/paging.h"
#include "x86/percpu.h"

#include <nova/hip.h>
#include <string.h>

static SLAB_CACHE(ec_cache, "ec", sizeof(struct ec));

__attribute__((noreturn)) void ret_user_sysret(struct cpu_regs *frame);
__attribute__((noreturn)) void ret_user_iret(struct cpu_regs *frame);

struct ec *ec_create(struct pd *pd, unsigned cpu, uint64_t utcb_va, uint64_t evt, enum ec_kind kind, bool fpu,
                     struct quota *q)
{
    struct ec *ec = slab_alloc_q(&ec_cache, q);
    if (!ec)
        return NULL;
    ec->utcb = quota_page_alloc(q, 0);
    if (fpu && ec->utcb && quota_take(q, PAGE_SIZE) && !(ec->fpu_area = fpu_area_create()))
        quota_give(q, PAGE_SIZE);
    if (!ec->utcb || (fpu && !ec->fpu_area)) {
        quota_page_free(q, ec->utcb, 0);
        slab_free_q(&ec_cache, ec, q);
        return NULL;
    }
    ec->obj.type = KOBJ_EC;
    ec->obj.q = q;
    ec->pd = pd; /* the caller's reference to pd */
    ec->utcb_va = utcb_va;
    ec->evt = evt;
    ec->cpu = cpu;
    ec->kind = kind;
    ec->fpu = fpu;
    ec->regs.cs = SEL_UCODE;
    ec->regs.ss = SEL_UDATA;
    ec->regs.rflags = RFLAGS_IF | RFLAGS_RSVD1;
    ec->cont = ec_ret_iret;
    return ec;
}

/* Give this CPU's TSS the I/O bitmap of pd, copying it only when it changed. */
static void load_io_bitmap(struct percpu *c, struct pd *pd)
{
    if (!pd->pio_bitmap) {
        c->tss.tss.iomap_base = TSS_IOMAP_NONE;
        return;
    }
    if (c->iobm_pd != pd || c->iobm_version != pd->pio_version) {
        memcpy(c->tss.bitmap, pd->pio_bitmap, IO_BITMAP_BYTES);
        c->iobm_pd = pd;
        c->iobm_version = pd->pio_version;
    }
    c->tss.tss.iomap_base = offsetof(struct tss_io, bitmap);
}

/* Switch to ec first, so that the quiescent point finds this CPU holding nothing but ec (and
   what ec holds): not the address space of an EC that died here, for instance. */
void ec_resume(struct ec *ec)
{
    struct percpu *c = this_cpu();
    c->current = ec;
    gdt_set_frame(c, (uint64_t)(&ec->regs + 1));
    if (ec->vcpu.backend) {
        tlb_activate_guest(c, ec->pd);
    } else {
        tlb_activate_guest(c, NULL);
        tlb_activate(c, ec->pd);
    }
    rcu_quiescent();
    if (!c->current)
        schedule(); /* ec was destroyed on another CPU just now: it never runs again */
    if (ec->recall && (ec->cont == ec_ret_sysret || ec->cont == ec_ret_iret || ec->cont == vcpu_run)) {
        ec->recall = false;
        ec->cont = ec_event_recall_cont; /* on its way back to user mode: raise the recall event */
    }
    load_io_bitmap(c, ec->pd);
    fpu_switch(ec);
    ec->cont(ec);
}

/* SYSRET faults in kernel mode on a non-canonical RIP, so such an EC takes the IRET path,
   where the CPU raises the #GP in user mode. */
void ec_ret_sysret(struct ec *ec)
{
    ec->regs.rflags = RFLAGS_IF | RFLAGS_RSVD1; /* R11 and RFLAGS after a hypercall (ABI) */
    if (ec->regs.rip >= NOVA_USER_VA_END)
        ret_user_iret(&ec->regs);
    ret_user_sysret(&ec->regs);
}

void ec_ret_iret(struct ec *ec)
{
    ret_user_iret(&ec->regs);
}

void ec_sys_finish(struct ec *ec, unsigned status)
{
    ec->regs.rdi = status;
    ec->cont = ec_ret_sysret;
    if (sched_need_resched())
        schedule();
    ec_resume(ec);
}

void ec_retry_hypercall(struct ec *ec)
{
    syscall_dispatch(ec);
}

bool ec_runnable(const struct ec *ec)
{
    return !ec->dead && !ec->waiting;
}

struct ec *ec_chain_end(struct ec *ec)
{
    while (ec->partner)
        ec = ec->partner;
    return ec;
}

void ec_kill(struct ec *ec, const char *why)
{
    kprintf("nova: killed EC %p of PD %p: %s\n", (void *)ec, (void *)ec->pd, why);
    ipc_abort(ec);
    schedule();
}

void ec_forget_dead(struct percpu *c)
{
    struct ec *cur = c->current;
    if (cur && __atomic_load_n(&cur->dead, __ATOMIC_ACQUIRE)) {
        c->current = NULL;
        tlb_activate_guest(c, NULL);
        tlb_activate(c, NULL);
    }
    if (c->active_pd && __atomic_load_n(&c->active_pd->dead, __ATOMIC_ACQUIRE))
        tlb_activate(c, NULL); /* a vCPU ran here last: they leave CR3 as it was */
    struct ec *owner = __atomic_load_n(&c->fpu_owner, __ATOMIC_ACQUIRE);
    if (owner && __atomic_load_n(&owner->dead, __ATOMIC_ACQUIRE)) /* its state is of no use to anyone */
        __atomic_compare_exchange_n(&c->fpu_owner, &owner, NULL, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
    vcpu_cpu_release(false);
}

/* After the grace period: no CPU runs the EC (or its vCPU in guest mode) any more. */
static void ec_free(struct rcu_item *r)
{
    struct ec *ec = (struct ec *)((char *)r - offsetof(struct ec, obj.rcu));
    struct quota *q = ec->obj.q;
    if (ec->vcpu.backend)
        vcpu_destroy(ec); /* first: its pages keep ec->pd's quota, hence the PD, alive */
    if (ec->fpu_area) {
        page_free(ec->fpu_area, 0);
        quota_give(q, PAGE_SIZE);
    }
    quota_page_free(q, ec->utcb, 0);
    slab_free_q(&ec_cache, ec, q);
}

void ec_destroy(struct ec *ec)
{
    ipc_abort(ec); /* marks it dead; a caller learns ABORTED, helpers retry */
    timeout_cancel(ec); /* no semaphore queue holds it: that would be a reference */
    if (ec->wake_sc) {
        kobject_put(&ec->wake_sc->obj);
        ec->wake_sc = NULL;
    }
    /* A halted CPU passes no quiescent point where it could let go of ec itself (rcu.c). */
    for (unsigned i = 0; i < cpu_count; i++) {
        struct ec *owner = ec;
        __atomic_compare_exchange_n(&cpus[i]->fpu_owner, &owner, NULL, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
    }
    if (!ec->vcpu.backend && paging_unmap(ec->pd->pml4, ec->utcb_va, 0, &ec->pd->quota) > 0)
        tlb_shootdown(ec->pd);
    kobject_put(&ec->pd->obj);
    rcu_defer(&ec->obj.rcu, ec_free);
}
