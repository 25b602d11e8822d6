/* SPDX-License-Identifier: MIT */
/* Hypercall entry: decode the identifier in RDI and dispatch through a 16-entry table. */

#include "core/syscall.h"
#include "core/console.h"
#include "core/ctrl_hw.h"
#include "core/ctrl_pd.h"
#include "core/irq.h"
#include "core/ec.h"
#include "core/ipc.h"
#include "core/pd.h"
#include "core/preempt.h"
#include "core/pt.h"
#include "core/sc.h"
#include "core/sched.h"
#include "core/sm.h"
#include "x86/iommu.h"
#include "x86/lapic.h"
#include "x86/percpu.h"

#include <nova/caps.h>
#include <nova/descriptors.h>
#include <nova/hypercall.h>
#include <nova/status.h>

typedef __attribute__((noreturn)) void (*hypercall_fn)(struct ec *ec);

static struct kobject *lookup(struct ec *ec, uint64_t sel, enum kobject_type type, unsigned perms)
{
    return cap_check(space_obj_lookup(&ec->pd->objs, sel), type, perms);
}

static __attribute__((noreturn)) void sys_ipc_call(struct ec *ec)
{
    struct pt *pt = (struct pt *)lookup(ec, nova_hc_sel(ec->regs.rdi), KOBJ_PT, NOVA_PERM_PT_CALL);
    if (!pt)
        ec_sys_finish(ec, NOVA_BAD_CAP);
    ipc_call(ec, pt, (uint32_t)ec->regs.rsi, nova_hc_flags(ec->regs.rdi) & NOVA_IPC_CALL_T);
}

static __attribute__((noreturn)) void sys_ipc_reply(struct ec *ec)
{
    ipc_reply(ec, (uint32_t)ec->regs.rsi);
}

/* A long ctrl_pd stops at preemption points; it continues where it left off when the EC runs again. */
static __attribute__((noreturn)) void sys_ctrl_pd(struct ec *ec)
{
    unsigned st = ctrl_pd(ec->pd, nova_hc_sel(ec->regs.rdi), ec->regs.rsi, ec->regs.rdx, ec->regs.rax, &ec->hc_progress);
    if (st == STATUS_PREEMPTED) {
        ec->cont = ec_retry_hypercall;
        schedule();
    }
    ec->hc_progress = 0;
    ec_sys_finish(ec, st);
}

/* Recall (spec 5.4.2): the EC raises a recall event before it next returns to user mode. A strong
   recall also interrupts it where it runs now and returns once it has entered the kernel. */
static __attribute__((noreturn)) void sys_ctrl_ec(struct ec *ec)
{
    struct ec *t = (struct ec *)lookup(ec, nova_hc_sel(ec->regs.rdi), KOBJ_EC, NOVA_PERM_EC_CTRL);
    if (!t)
        ec_sys_finish(ec, NOVA_BAD_CAP);
    if (t->kind == EC_LOCAL && !t->caller)
        ec_sys_finish(ec, NOVA_SUCCESS); /* an idle portal handler has nothing to recall */
    __atomic_store_n(&t->recall, true, __ATOMIC_RELEASE);
    if (t->cpu != ec->cpu && cpus[t->cpu]->current == t) {
        lapic_send_ipi(cpus[t->cpu]->apic_id, VEC_IPI_RECALL);
        if (nova_hc_flags(ec->regs.rdi) & NOVA_CTRL_EC_S)
            while (__atomic_load_n(&cpus[t->cpu]->current, __ATOMIC_ACQUIRE) == t &&
                   __atomic_load_n(&t->recall, __ATOMIC_ACQUIRE))
                __asm__ volatile("pause");
    }
    ec_sys_finish(ec, NOVA_SUCCESS);
}

static __attribute__((noreturn)) void sys_ctrl_sc(struct ec *ec)
{
    struct sc *sc = (struct sc *)lookup(ec, nova_hc_sel(ec->regs.rdi), KOBJ_SC, NOVA_PERM_SC_CTRL);
    if (!sc)
        ec_sys_finish(ec, NOVA_BAD_CAP);
    ec->regs.rsi = sc_consumed(sc);
    ec_sys_finish(ec, NOVA_SUCCESS);
}

static __attribute__((noreturn)) void sys_ctrl_pt(struct ec *ec)
{
    struct pt *pt = (struct pt *)lookup(ec, nova_hc_sel(ec->regs.rdi), KOBJ_PT, NOVA_PERM_PT_CTRL);
    if (!pt)
        ec_sys_finish(ec, NOVA_BAD_CAP);
    pt->pid = ec->regs.rsi;
    pt->mtd = (uint32_t)ec->regs.rdx;
    ec_sys_finish(ec, NOVA_SUCCESS);
}

static __attribute__((noreturn)) void sys_ctrl_sm(struct ec *ec)
{
    unsigned flags = nova_hc_flags(ec->regs.rdi);
    bool down = flags & NOVA_CTRL_SM_DOWN;
    struct sm *sm = (struct sm *)lookup(ec, nova_hc_sel(ec->regs.rdi), KOBJ_SM,
                                        down ? NOVA_PERM_SM_CTRL_DN : NOVA_PERM_SM_CTRL_UP);
    if (!sm)
        ec_sys_finish(ec, NOVA_BAD_CAP);
    if (!down)
        ec_sys_finish(ec, sm_up(sm));
    if (sm->irq) {
        unsigned ok = irq_before_down(sm->irq, ec->cpu);
        if (ok != NOVA_SUCCESS)
            ec_sys_finish(ec, ok); /* the interrupt is routed to another CPU */
    }
    unsigned st = sm_down(sm, ec, flags & NOVA_CTRL_SM_ZERO, ec->regs.rsi);
    if (ec->waiting) {
        ec->cont = ec_ret_sysret; /* RDI gets SUCCESS (up) or TIMEOUT when it is woken */
        schedule();
    }
    ec_sys_finish(ec, st);
}

static __attribute__((noreturn)) void sys_assign_int(struct ec *ec)
{
    struct sm *sm = (struct sm *)lookup(ec, nova_hc_sel(ec->regs.rdi), KOBJ_SM, NOVA_PERM_SM_ASSIGN);
    if (!sm || !sm->irq)
        ec_sys_finish(ec, NOVA_BAD_CAP);
    uint64_t addr, data;
    unsigned st = irq_assign(sm->irq, nova_hc_flags(ec->regs.rdi), (unsigned)(ec->regs.rsi & 0xffff),
                             (uint16_t)ec->regs.rdx, &addr, &data);
    if (st == NOVA_SUCCESS) {
        ec->regs.rsi = addr;
        ec->regs.rdx = data;
    }
    ec_sys_finish(ec, st);
}

static __attribute__((noreturn)) void sys_ctrl_hw(struct ec *ec)
{
    if (ec->pd != pd_root)
        ec_sys_finish(ec, NOVA_BAD_HYP);
    ec_sys_finish(ec, ctrl_hw(nova_hc_flags(ec->regs.rdi), nova_hc_sel(ec->regs.rdi)));
}

/* assign_dev (spec 5.5.3): the device's DMA goes through the PD's DMA table on the IOMMU whose
   register page RSI names; the order of the checks follows the spec's status list. */
static __attribute__((noreturn)) void sys_assign_dev(struct ec *ec)
{
    if (ec->pd != pd_root)
        ec_sys_finish(ec, NOVA_BAD_HYP);
    struct pd *pd = (struct pd *)lookup(ec, nova_hc_sel(ec->regs.rdi), KOBJ_PD, NOVA_PERM_PD_ASSIGN);
    if (!pd || pd->is_nova)
        ec_sys_finish(ec, NOVA_BAD_CAP);
    uint64_t smmu = ec->regs.rsi, dad = ec->regs.rdx;
    unsigned acc = (unsigned)(smmu & NOVA_ASSIGN_DEV_ACC_MASK);
    if (!iommu_active())
        ec_sys_finish(ec, NOVA_BAD_DEV);
    if ((acc != NOVA_ACC_DMA_HST && acc != NOVA_ACC_DMA_GST) || (dad & ~NOVA_DAD_BDF_MASK))
        ec_sys_finish(ec, NOVA_BAD_PAR);
    ec_sys_finish(ec, iommu_assign((smmu & NOVA_ASSIGN_DEV_SMMU_MASK) >> 12, (uint16_t)dad, pd));
}

static __attribute__((noreturn)) void sys_reserved(struct ec *ec)
{
    ec_sys_finish(ec, NOVA_BAD_HYP);
}

static const hypercall_fn hypercalls[NOVA_HC_COUNT] = {
    [NOVA_IPC_CALL] = sys_ipc_call,
    [NOVA_IPC_REPLY] = sys_ipc_reply,
    [NOVA_CREATE_PD] = sys_create_pd,
    [NOVA_CREATE_EC] = sys_create_ec,
    [NOVA_CREATE_SC] = sys_create_sc,
    [NOVA_CREATE_PT] = sys_create_pt,
    [NOVA_CREATE_SM] = sys_create_sm,
    [NOVA_CTRL_PD] = sys_ctrl_pd,
    [NOVA_CTRL_EC] = sys_ctrl_ec,
    [NOVA_CTRL_SC] = sys_ctrl_sc,
    [NOVA_CTRL_PT] = sys_ctrl_pt,
    [NOVA_CTRL_SM] = sys_ctrl_sm,
    [NOVA_CTRL_HW] = sys_ctrl_hw,
    [NOVA_ASSIGN_INT] = sys_assign_int,
    [NOVA_ASSIGN_DEV] = sys_assign_dev,
    [NOVA_HC_RESERVED] = sys_reserved,
};

void syscall_dispatch(struct ec *ec)
{
    hypercalls[nova_hc_nr(ec->regs.rdi)](ec);
}

/* Called from entry.S on the kernel stack with the caller's saved registers (&ec->regs). */
__attribute__((noreturn)) void syscall_handler(struct cpu_regs *regs);
void syscall_handler(struct cpu_regs *regs)
{
    (void)regs;
    struct ec *ec = this_cpu()->current;
    if (ec->dead)
        schedule(); /* destroyed on another CPU while it ran here */
    syscall_dispatch(ec);
}
