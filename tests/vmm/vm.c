/* SPDX-License-Identifier: MIT */
/* A tiny VMM for micro-guests: one VM PD with guest memory, one vCPU, exits logged by a portal handler. */

#include "vm.h"
#include "backend.h"

#include <hc.h>
#include <nova/descriptors.h>
#include <nova/events.h>
#include <nova/mtd.h>
#include <nova/selectors.h>
#include <nova/utcb.h>
#include <physmap.h>
#include <portal.h>
#include <res.h>

#define ROOT NOVA_SEL_PD_ROOT
#define NOVA NOVA_SEL_PD_NOVA
#define EXIT_MTD (NOVA_MTD_GPR_0_7 | NOVA_MTD_GPR_8_15 | NOVA_MTD_RFLAGS | NOVA_MTD_RIP | NOVA_MTD_STA | \
                  NOVA_MTD_QUAL | NOVA_MTD_INJ | NOVA_MTD_CS_SS | NOVA_MTD_DS_ES | NOVA_MTD_CR | NOVA_MTD_EFER | \
                  NOVA_MTD_GDTR | NOVA_MTD_IDTR)

/* The VMM's per-backend decoder: VMX exits are translated into the SVM binding's event numbers
   and qualification formats, so the handlers below are written once. */
static unsigned decode(unsigned ev, struct nova_utcb_arch *a)
{
    if (!be.vmx || ev >= 0x100)
        return ev;
    uint64_t q = a->qual[0];
    if (ev == be.ev_io) {
        unsigned size = (q & 7) + 1;
        a->qual[0] = (q & 0xffff0000) | (q >> 3 & 1) | (q >> 4 & 1) << 2 | (q >> 5 & 1) << 3 | (uint64_t)size << 4;
        return NOVA_EV_SVM_IOIO;
    }
    if (ev == be.ev_npf) {
        a->qual[0] = 1ull << 32 | 4 | (q & 2) | ((q & 0x38) ? 1 : 0);
        return NOVA_EV_SVM_NPF;
    }
    if (ev == be.ev_rdmsr || ev == be.ev_wrmsr) {
        a->qual[0] = ev == be.ev_wrmsr;
        return NOVA_EV_SVM_MSR;
    }
    if (ev == be.ev_cpuid)
        return NOVA_EV_SVM_CPUID;
    if (ev == be.ev_hlt)
        return NOVA_EV_SVM_HLT;
    if (ev == be.ev_call)
        return NOVA_EV_SVM_VMMCALL;
    if (ev == be.ev_shutdown)
        return NOVA_EV_SVM_SHUTDOWN;
    if (ev == be.ev_window)
        return NOVA_EV_SVM_VINTR;
    if (ev == NOVA_EV_VMX_XSETBV)
        return NOVA_EV_SVM_XSETBV;
    return 0x200 + ev; /* unknown to the handlers */
}

static uint64_t on_event(struct portal_ctx *ctx, uint64_t mtd)
{
    (void)mtd;
    struct vm_handler *h = (struct vm_handler *)ctx;
    struct vm *vm = h->vm;
    struct nova_utcb_arch *a = &ctx->utcb->arch;
    unsigned ev = decode(h->ev, a);
    if (vm->nexits < VM_EXITS_MAX && vm->mtd == 0)
        vm->exits[vm->nexits++] = (struct exit_record){ev,         a->qual[0], a->qual[1], a->qual[2], a->rip,
                                                        a->rax,     a->rbx,     a->rcx,     a->efer,    a->cr0,
                                                        a->inst_len, a->vect_info, a->cs.ar};
    return vm->on_exit(vm, ev, a);
}

int vm_create(struct vm *vm, uint64_t phys, uint64_t size, vm_exit_fn on_exit)
{
    vm->pd = sel_alloc(1);
    vm->evt = sel_alloc(0x200);
    vm->done_sm = sel_alloc(1);
    vm->guest_phys = phys;
    vm->mem_size = size;
    vm->on_exit = on_exit;
    unsigned st = hc_create_pd(vm->pd, ROOT);
    st |= hc_create_sm(vm->done_sm, ROOT, 0);
    vm->mem = phys_map(phys, size, 1);
    unsigned ord = 0;
    while ((1ull << (ord + 12)) < size)
        ord++;
    st |= hc_ctrl_pd(NOVA, vm->pd, phys >> 12, 0, ord, NOVA_PERM_MEM_ALL, NOVA_SPC_MEM, NOVA_ACC_CPU_GST, NOVA_CA_WB);
    if (st != NOVA_SUCCESS || !vm->mem)
        return -1;
    for (unsigned i = 0; i < vm->mem_size; i++)
        vm->mem[i] = 0;

    /* One handler EC serves every event; each event has its own portal (and PID). */
    uint64_t ec = sel_alloc(1), stack = stack_alloc(), utcb = utcb_alloc();
    if (hc_create_ec(ec, ROOT, utcb, vm->cpu, stack, 0, 0) != NOVA_SUCCESS)
        return -1;
    for (unsigned ev = 0; ev < VM_EVENTS; ev++) {
        struct vm_handler *h = &vm->handlers[ev];
        h->ctx = (struct portal_ctx){.stack_top = stack, .fn = on_event, .utcb = (union nova_utcb *)utcb};
        h->vm = vm;
        h->ev = ev;
        uint64_t pt = sel_alloc(1);
        st |= hc_create_pt(pt, ROOT, ec, (uint64_t)portal_entry);
        st |= hc_ctrl_pt(pt, (uint64_t)h, vm->mtd ? vm->mtd : EXIT_MTD);
        st |= hc_ctrl_pd(ROOT, vm->pd, pt, vm->evt + ev, 0, NOVA_PERM_PT_EVENT, NOVA_SPC_OBJ, 0, 0);
    }
    return st == NOVA_SUCCESS ? 0 : -1;
}

int vm_start(struct vm *vm, uint64_t rip)
{
    vm->start_rip = rip;
    vm->vcpu = sel_alloc(1);
    vm->sc = sel_alloc(1);
    unsigned flags = NOVA_CREATE_EC_V | (vm->tsc_offset ? NOVA_CREATE_EC_T : 0);
    unsigned st = hc_create_ec(vm->vcpu, vm->pd, 0, vm->cpu, 0, vm->evt, flags);
    st |= hc_create_sc(vm->sc, ROOT, vm->vcpu, nova_scd(10, 50, 0));
    return st == NOVA_SUCCESS ? 0 : -1;
}

unsigned vm_wait(struct vm *vm, unsigned ms)
{
    return hc_sm_down(vm->done_sm, 0, deadline_ms(ms));
}

void vm_load_code(struct vm *vm, uint64_t gpa, const uint8_t *code, unsigned len)
{
    for (unsigned i = 0; i < len; i++)
        vm->mem[gpa + i] = code[i];
    for (unsigned i = 0; i + 2 < len; i++)
        if (code[i] == 0x0f && code[i + 1] == 0x01 && code[i + 2] == 0xd9)
            vm->mem[gpa + i + 2] = be.call_byte3;
}
