/* SPDX-License-Identifier: MIT */
/* vCPUs: creation, the exit dispatch, HLT, INIT/SIPI and interrupt injection. */

#include "core/vcpu.h"
#include "core/exit_decode.h"
#include "boot/linux.h"

#include <hc.h>
#include <nova/descriptors.h>
#include <nova/events.h>
#include <nova/mtd.h>
#include <nova/selectors.h>
#include <res.h>
#include <stdio.h>
#include <thread.h>

#define ROOT          NOVA_SEL_PD_ROOT   /* our own PD, where the root task put it */
#define RFLAGS_IF     0x200u
#define EVT_STRIDE    0x200u
#define VCPU_PRIO     10
#define VCPU_BUDGET   10


void vcpu_skip(struct nova_utcb_arch *a, unsigned len)
{
    a->rip += len;
    a->intr_state &= ~(NOVA_INTR_STATE_STI | NOVA_INTR_STATE_MOV_SS);
}

void vcpu_inject_exception(struct nova_utcb_arch *a, unsigned vector, bool has_error, uint32_t error)
{
    a->intr_info = vector | NOVA_INTR_INFO_TYPE(NOVA_INTR_TYPE_HW_EXC) | NOVA_INTR_INFO_V |
                   (has_error ? NOVA_INTR_INFO_E : 0);
    a->intr_error = error;
}

/* The highest interrupt the vCPU could take now: its local APIC's, else the i8259's on vCPU 0. */
static bool pic_pending(struct vcpu *v)
{
    return v->id == 0 && lapic_extint_ok(&v->lapic) && i8259_intr(&v->vm->pic);
}

static bool interrupt_pending(struct vcpu *v)
{
    return lapic_pending(&v->lapic) >= 0 || pic_pending(v);
}

/* An event the guest has not taken yet: injected by an earlier reply but overtaken by a recall
   (intr_info), or interrupted during delivery by this exit (vect_info). It goes first. */
static uint32_t undelivered(const struct nova_utcb_arch *a, uint32_t *error)
{
    uint32_t info = (a->intr_info & NOVA_INTR_INFO_V) ? a->intr_info : a->vect_info;
    *error = (a->intr_info & NOVA_INTR_INFO_V) ? a->intr_error : a->vect_error;
    return (info & NOVA_INTR_INFO_V) ? info & ~(NOVA_INTR_INFO_I | NOVA_INTR_INFO_N) : 0;
}

/* On the way back into the guest: an exception a handler raised, else the undelivered event,
   else the next interrupt if the guest can take it, else a request for an interrupt window. */
static uint64_t inject(struct vcpu *v, struct nova_utcb_arch *a, uint32_t pending, uint32_t pending_error)
{
    if (a->intr_info & NOVA_INTR_INFO_V)
        return NOVA_MTD_INJ;
    if (pending) {
        a->intr_info = pending;
        a->intr_error = pending_error;
        return NOVA_MTD_INJ;
    }
    if (!interrupt_pending(v))
        return NOVA_MTD_INJ;
    if (!(a->rflags & RFLAGS_IF) || (a->intr_state & (NOVA_INTR_STATE_STI | NOVA_INTR_STATE_MOV_SS))) {
        a->intr_info = NOVA_INTR_INFO_I;
        return NOVA_MTD_INJ;
    }
    int vec = lapic_pending(&v->lapic);
    if (vec >= 0)
        lapic_ack(&v->lapic, (unsigned)vec);
    else
        vec = i8259_ack(&v->vm->pic);
    if (vec >= 0)
        a->intr_info = (uint32_t)vec | NOVA_INTR_INFO_V;
    return NOVA_MTD_INJ;
}

/* HLT: sleep (without the lock) until an interrupt is pending or the VM stops. */
static void halt(struct vcpu *v)
{
    struct vm *vm = v->vm;
    while (!interrupt_pending(v) && !vm->stopped && !v->init_pending) {
        v->halted = true;
        lock_give(&vm->lock);
        hc_sm_down(v->wake_sm, 0, 0);
        lock_take(&vm->lock);
        v->halted = false;
    }
}

void vcpu_init_signal(struct vcpu *v)
{
    if (v->state == VCPU_RUNNING && v->id != 0)
        vdev_log(v->vm, "INIT to running vCPU %u ignored", v->id);
}

void vcpu_sipi_signal(struct vcpu *v, unsigned vector)
{
    if (v->state != VCPU_WAIT_SIPI)
        return;
    v->sipi_vector = (uint8_t)vector;
    v->state = VCPU_STARTING;
    if (vcpu_run(v) != 0)
        vdev_log(v->vm, "vCPU %u could not be started", v->id);
}

/* A real-mode start at the SIPI vector's page, as an AP does. */
static uint64_t sipi_state(struct vcpu *v, struct nova_utcb_arch *a)
{
    uint16_t sel = (uint16_t)(v->sipi_vector << 8);
    a->cs = (struct nova_seg){sel, 0x9b, 0xffff, (uint64_t)sel << 4};
    a->ss = a->ds = a->es = a->fs = a->gs = (struct nova_seg){0, 0x93, 0xffff, 0};
    a->rip = 0;
    a->rflags = 2;
    a->cr0 = 0x60000010;
    a->cr3 = a->cr4 = 0;
    a->efer = 0;
    return NOVA_MTD_CS_SS | NOVA_MTD_DS_ES | NOVA_MTD_FS_GS | NOVA_MTD_CR | NOVA_MTD_EFER;
}

static uint64_t dispatch(struct vcpu *v, unsigned ev, struct nova_utcb_arch *a, bool *ok)
{
    switch (ev) {
    case EV_STARTUP:
        v->state = VCPU_RUNNING;
        return v->id == 0 ? linux_boot_state(v->vm, a) : sipi_state(v, a);
    case EV_RECALL:
        return 0;
    case EV_VINTR:
        return 0;
    case EV_IOIO:
        return exit_io(v, a, ok);
    case EV_CPUID:
        return exit_cpuid(v, a, ok);
    case EV_MSR:
        return exit_msr(v, a, a->qual[0] & 1, ok);
    case EV_NPF:
        return exit_npf(v, a, ok);
    case EV_VMMCALL:
        return exit_vmmcall(v, a, ok);
    case EV_XSETBV: return exit_xsetbv(v, a, ok);
    case EV_INVD: return exit_invd(v, a, ok);
    case NOVA_EV_SVM_CR_READ(0) ... NOVA_EV_SVM_CR_WRITE(15): return exit_cr(v, ev, a, ok);
    case EV_HLT:
        vcpu_skip(a, 1);
        halt(v);
        return 0;
    case EV_SHUTDOWN:
        printf("vmm[%s]: vCPU %u triple fault at rip %#lx\n", v->vm->name, v->id, a->rip);
        vm_stop(v->vm, VM_STOP_RESET, "triple fault");
        return 0;
    default:
        printf("vmm[%s]: vCPU %u: unhandled exit %#x at rip %#lx (qual %#lx %#lx)\n", v->vm->name, v->id, ev,
               a->rip, a->qual[0], a->qual[1]);
        *ok = false;
        return 0;
    }
}

static uint64_t on_exit(struct portal_ctx *ctx, uint64_t mtd_in)
{
    (void)mtd_in;
    struct vcpu_portal *p = (struct vcpu_portal *)ctx;
    struct vcpu *v = p->vcpu;
    struct vm *vm = v->vm;
    struct nova_utcb_arch *a = &ctx->utcb->arch;
    unsigned ev = exit_decode(p->ev, a);
    v->exits[ev < VM_EVENTS ? ev : EV_INVALID]++;

    lock_take(&vm->lock);
    v->in_guest = false;
    v->kick_sent = false;
    uint32_t pending_error, pending = undelivered(a, &pending_error);
    a->intr_info = 0;
    bool ok = true;
    uint64_t mtd = vm->stopped ? 0 : dispatch(v, ev, a, &ok);
    if (!ok)
        vm_stop(vm, VM_STOP_FAULT, "unhandled exit");
    if (vm->stopped) {
        v->dead = true;
        lock_give(&vm->lock);
        return NOVA_MTD_POISON;
    }
    mtd |= VCPU_REPLY_MTD | inject(v, a, pending, pending_error);
    v->in_guest = true;
    lock_give(&vm->lock);
    return mtd;
}

int vcpu_create(struct vm *vm, unsigned id, unsigned cpu)
{
    struct vcpu *v = &vm->vcpu[id];
    v->vm = vm;
    v->id = id;
    v->cpu = cpu;
    v->state = id == 0 ? VCPU_STARTING : VCPU_WAIT_SIPI;
    lapic_init(&v->lapic, vm, id, id == 0);
    v->msr_mtrr_def = 0xc06;   /* MTRRs enabled, default write-back */
    v->msr_misc_enable = 1;    /* fast string operations, as firmware leaves it */
    v->ec = sel_alloc(1);
    v->wake_sm = sel_alloc(1);
    uint64_t handler = sel_alloc(1), stack = stack_alloc(), utcb = utcb_alloc();
    uint64_t evt = vm->evt + id * EVT_STRIDE;
    unsigned st = hc_create_sm(v->wake_sm, ROOT, 0);
    /* its exceptions go to the fault catcher of its CPU (main.c, lib/thread.c) */
    st |= hc_create_ec(handler, ROOT, utcb, cpu, stack, thread_evt(cpu), 0);
    for (unsigned ev = 0; ev < VM_EVENTS && st == NOVA_SUCCESS; ev++) {
        struct vcpu_portal *p = &v->portals[ev];
        p->ctx = (struct portal_ctx){.stack_top = stack, .fn = on_exit, .utcb = (union nova_utcb *)utcb};
        p->vcpu = v;
        p->ev = ev;
        uint64_t pt = sel_alloc(1);
        st |= hc_create_pt(pt, ROOT, handler, (uint64_t)portal_entry);
        st |= hc_ctrl_pt(pt, (uint64_t)p, VCPU_EXIT_MTD);
        st |= hc_ctrl_pd(ROOT, vm->pd, pt, evt + ev, 0, NOVA_PERM_PT_EVENT, NOVA_SPC_OBJ, 0, 0);
    }
    return st == NOVA_SUCCESS ? 0 : -1;
}

int vcpu_create_ec(struct vcpu *v)
{
    /* No TSC offsetting (T = 0): see vm_create. */
    unsigned st = hc_create_ec(v->ec, v->vm->pd, 0, v->cpu, 0, v->vm->evt + v->id * EVT_STRIDE, NOVA_CREATE_EC_V);
    return st == NOVA_SUCCESS ? 0 : -1;
}

int vcpu_run(struct vcpu *v)
{
    v->sc = sel_alloc(1);
    return hc_create_sc(v->sc, ROOT, v->ec, nova_scd(VCPU_BUDGET, VCPU_PRIO, 0)) == NOVA_SUCCESS ? 0 : -1;
}
