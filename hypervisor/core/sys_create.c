/* SPDX-License-Identifier: MIT */
/* Object creation hypercalls (spec 5.3): create_pd, create_ec, create_sc, create_pt, create_sm. */

#include "core/ec.h"
#include "core/ipc.h"
#include "core/memory.h"
#include "core/pd.h"
#include "core/pt.h"
#include "core/sc.h"
#include "core/sched.h"
#include "core/sm.h"
#include "core/space_mem.h"
#include "core/syscall.h"
#include "x86/cpu.h"
#include "x86/paging.h"
#include "x86/percpu.h"
#include "x86/vcpu.h"
#include "x86/tsc.h"

#include <nova/descriptors.h>
#include <nova/hip.h>
#include <nova/hypercall.h>
#include <nova/selectors.h>
#include <nova/status.h>

#define RFLAGS_AC (1ull << 18)
#define PD_QUOTA_SHARE 4

/* Common checks: the new selector must be null and the owner a PD with the given permission. */
static struct pd *creation_checks(struct ec *ec, unsigned perm)
{
    if (space_obj_lookup(&ec->pd->objs, nova_hc_sel(ec->regs.rdi)) != CAP_NULL ||
        nova_hc_sel(ec->regs.rdi) >= NOVA_SEL_NUM)
        return NULL;
    return (struct pd *)cap_check(space_obj_lookup(&ec->pd->objs, ec->regs.rsi), KOBJ_PD, perm);
}

static __attribute__((noreturn)) void finish_install(struct ec *ec, struct kobject *obj, unsigned perms)
{
    unsigned st = space_obj_insert(&ec->pd->objs, nova_hc_sel(ec->regs.rdi), cap_make(obj, perms));
    if (st != NOVA_SUCCESS)
        kobject_discard(obj); /* nobody can reach it */
    ec_sys_finish(ec, st);
}

void sys_create_pd(struct ec *ec)
{
    uint64_t own_cap = space_obj_lookup(&ec->pd->objs, ec->regs.rsi);
    struct pd *own = creation_checks(ec, NOVA_PERM_PD_PD);
    if (!own)
        ec_sys_finish(ec, NOVA_BAD_CAP);
    /* The spec leaves quotas open: a new PD gets a quarter of what its owner has left. */
    uint64_t left = own->quota.limit - __atomic_load_n(&own->quota.used, __ATOMIC_RELAXED);
    struct pd *pd = pd_create(false, &own->quota, left / PD_QUOTA_SHARE);
    if (!pd)
        ec_sys_finish(ec, NOVA_INS_MEM);
    finish_install(ec, &pd->obj, cap_perms(own_cap)); /* permissions inherited from the owner's capability */
}

void sys_create_ec(struct ec *ec)
{
    unsigned flags = nova_hc_flags(ec->regs.rdi);
    struct pd *own = creation_checks(ec, NOVA_PERM_PD_EC_PT_SM);
    if (!own)
        ec_sys_finish(ec, NOVA_BAD_CAP);
    unsigned cpu = (unsigned)(ec->regs.rdx & NOVA_CREATE_EC_CPU_MASK);
    uint64_t utcb = ec->regs.rdx & NOVA_CREATE_EC_UTCB_MASK;
    if (cpu >= cpu_count)
        ec_sys_finish(ec, NOVA_BAD_CPU);
    bool vcpu = flags & NOVA_CREATE_EC_V;
    if (vcpu && !vcpu_available())
        ec_sys_finish(ec, NOVA_BAD_FTR); /* neither SVM with NPT nor VMX with EPT here */
    if (!vcpu && (utcb >= NOVA_USER_VA_END || paging_lookup(own->pml4, utcb, NULL)))
        ec_sys_finish(ec, NOVA_BAD_PAR); /* outside user space, or not free */

    bool global = flags & NOVA_CREATE_EC_T;
    if (!kobject_get(&own->obj))
        ec_sys_finish(ec, NOVA_BAD_CAP); /* its last capability went on another CPU just now */
    /* A vCPU always gets an FPU area: the guest's FPU state must not leak between ECs. */
    struct ec *e = ec_create(own, cpu, utcb, ec->regs.r8, global || vcpu ? EC_GLOBAL : EC_LOCAL,
                             vcpu || (flags & NOVA_CREATE_EC_F), &own->quota);
    if (!e) {
        kobject_put(&own->obj);
        ec_sys_finish(ec, NOVA_INS_MEM);
    }
    if (vcpu) {
        if (vcpu_create(e, global) < 0) {
            kobject_discard(&e->obj);
            ec_sys_finish(ec, NOVA_INS_MEM);
        }
        e->cont = ec_event_startup_cont; /* startup at EVT + 0x100 once an SC is bound */
        finish_install(ec, &e->obj, NOVA_PERM_EC_ALL);
    }
    if (space_mem_map_kernel_page(own, utcb, virt_to_phys(e->utcb), 1) < 0) {
        kobject_discard(&e->obj);
        ec_sys_finish(ec, NOVA_INS_MEM);
    }
    e->regs.rsp = ec->regs.rax;
    if (global) { /* runs once an SC is bound: first the startup event */
        e->regs.rip = 0;
        e->regs.rflags = RFLAGS_AC | RFLAGS_IF | RFLAGS_RSVD1;
        e->cont = ec_event_startup_cont;
    } else {
        e->waiting = true; /* for its first message */
    }
    finish_install(ec, &e->obj, NOVA_PERM_EC_ALL);
}

void sys_create_sc(struct ec *ec)
{
    struct pd *own = creation_checks(ec, NOVA_PERM_PD_SC);
    if (!own)
        ec_sys_finish(ec, NOVA_BAD_CAP);
    struct ec *e = (struct ec *)cap_check(space_obj_lookup(&ec->pd->objs, ec->regs.rdx), KOBJ_EC,
                                          NOVA_PERM_EC_BIND_SC);
    if (!e || e->kind != EC_GLOBAL)
        ec_sys_finish(ec, NOVA_BAD_CAP);
    uint64_t scd = ec->regs.rax;
    unsigned budget = nova_scd_budget(scd), prio = nova_scd_prio(scd), cos = nova_scd_cos(scd);
    if (!budget || !prio || cos || (scd & NOVA_SCD_RSVD_MASK))
        ec_sys_finish(ec, NOVA_BAD_PAR); /* no classes of service are configured */
    if (!kobject_get(&e->obj))
        ec_sys_finish(ec, NOVA_BAD_CAP);
    struct sc *sc = sc_create(e, prio, tsc_hz / 1000 * budget, &own->quota);
    if (!sc) {
        kobject_put(&e->obj);
        ec_sys_finish(ec, NOVA_INS_MEM);
    }
    unsigned st = space_obj_insert(&ec->pd->objs, nova_hc_sel(ec->regs.rdi), cap_make(&sc->obj, NOVA_PERM_SC_ALL));
    if (st == NOVA_SUCCESS)
        sched_add(sc);
    else
        kobject_discard(&sc->obj);
    ec_sys_finish(ec, st);
}

void sys_create_pt(struct ec *ec)
{
    struct pd *own = creation_checks(ec, NOVA_PERM_PD_EC_PT_SM);
    if (!own)
        ec_sys_finish(ec, NOVA_BAD_CAP);
    struct ec *e = (struct ec *)cap_check(space_obj_lookup(&ec->pd->objs, ec->regs.rdx), KOBJ_EC,
                                          NOVA_PERM_EC_BIND_PT);
    if (!e || e->kind != EC_LOCAL)
        ec_sys_finish(ec, NOVA_BAD_CAP);
    if (!kobject_get(&e->obj))
        ec_sys_finish(ec, NOVA_BAD_CAP);
    struct pt *pt = pt_create(e, ec->regs.rax, &own->quota);
    if (!pt) {
        kobject_put(&e->obj);
        ec_sys_finish(ec, NOVA_INS_MEM);
    }
    finish_install(ec, &pt->obj, NOVA_PERM_PT_ALL);
}

void sys_create_sm(struct ec *ec)
{
    struct pd *own = creation_checks(ec, NOVA_PERM_PD_EC_PT_SM);
    if (!own)
        ec_sys_finish(ec, NOVA_BAD_CAP);
    struct sm *sm = sm_create(ec->regs.rdx, &own->quota);
    if (!sm)
        ec_sys_finish(ec, NOVA_INS_MEM);
    finish_install(ec, &sm->obj, NOVA_PERM_SM_ALL);
}
