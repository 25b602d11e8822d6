/* SPDX-License-Identifier: MIT */
/* vCPU state <-> UTCB architectural layout through the SVM binding (docs/abi-svm.md). */

#include "x86/utcb_gprs.h"
#include "x86/vcpu.h"
#include "core/ec.h"
#include "x86/vcpu.h"
#include "x86/vmcb.h"
#include "x86/fpu.h"
#include "x86/xcr0.h"

#include <nova/events.h>
#include <nova/mtd.h>

#define SVM_EXIT_IOIO       0x7b
#define CR0_PG              (1ull << 31)
#define INTR_TYPE_EXT       0
#define INTR_TYPE_NMI       2
#define INTR_TYPE_HW_EXC    3
#define INTR_TYPE_SW_INT    4
#define INTR_TYPE_PRIV_EXC  5
#define INTR_TYPE_SW_EXC    6

/* Segment attributes: the UTCB's AR is the SVM attribute word plus "unusable" in bit 12. */
static void seg_out(struct nova_seg *d, const struct vmcb_seg *s)
{
    d->sel = s->sel;
    d->ar = (uint16_t)((s->attrib & SVM_ATTR_MASK) | ((s->attrib & SVM_ATTR_P) ? 0 : NOVA_SEG_AR_UNUSABLE));
    d->limit = s->limit;
    d->base = s->base;
}

static void seg_in(struct vmcb_seg *d, const struct nova_seg *s)
{
    d->sel = s->sel;
    d->attrib = (uint16_t)(s->ar & SVM_ATTR_MASK & ((s->ar & NOVA_SEG_AR_UNUSABLE) ? ~SVM_ATTR_P : 0xffff));
    d->limit = s->limit;
    d->base = s->base;
}

/* EXITINTINFO -> VMX-style interruption info. QEMU types external interrupts and NMIs as
   exceptions; the vector tells them apart. */
static uint32_t intinfo_out(uint32_t e)
{
    if (!(e & SVM_EVT_V))
        return 0;
    unsigned vec = e & SVM_EVT_VECTOR_MASK, type = (e & SVM_EVT_TYPE_MASK) >> SVM_EVT_TYPE_SHIFT;
    if (type == SVM_EVT_TYPE_EXC && vec == 2)
        type = INTR_TYPE_NMI;
    else if (type == SVM_EVT_TYPE_EXC && vec >= 32)
        type = INTR_TYPE_EXT;
    else if (type == SVM_EVT_TYPE_SOFT)
        type = INTR_TYPE_SW_INT;
    return vec | type << 8 | (e & SVM_EVT_EV) | NOVA_INTR_INFO_V;
}

void vmcb_state_save(struct ec *ec, uint32_t mtd, struct nova_utcb_arch *u)
{
    const struct vmcb *v = ec->vcpu.vmcb;
    const struct cpu_regs *r = &ec->regs;
    gprs_to_utcb(r, v->rax, v->rsp, mtd, u);
    if (mtd & NOVA_MTD_RFLAGS)
        u->rflags = v->rflags;
    if (mtd & NOVA_MTD_RIP) {
        u->rip = v->rip;
        uint64_t next = (uint32_t)v->exitcode == SVM_EXIT_IOIO ? v->exitinfo2 : v->nrip;
        u->inst_len = next > v->rip && next - v->rip <= 15 ? (uint32_t)(next - v->rip) : 0;
        u->inst_info = 0;
    }
    if (mtd & NOVA_MTD_STA) {
        u->intr_state = (uint32_t)(v->int_shadow & 1);
        u->actv_state = 0;
    }
    if (mtd & NOVA_MTD_QUAL) {
        u->qual[0] = v->exitinfo1;
        u->qual[1] = v->exitinfo2;
        u->qual[2] = nova_svm_exit_event(v->exitcode) == NOVA_EV_SVM_NPF ? v->exitinfo2 : 0;
    }
    if (mtd & NOVA_MTD_INJ) {
        /* QEMU zeroes EVENTINJ at every #VMEXIT, so a valid one is an injection the guest has
           not run yet (a recall came between the reply and VMRUN): report it, as VMX does. */
        u->intr_info = intinfo_out(v->eventinj);
        u->intr_error = v->eventinj_err;
        u->vect_info = intinfo_out(v->exitintinfo);
        u->vect_error = v->exitintinfo_err;
    }
    if (mtd & NOVA_MTD_CS_SS) {
        seg_out(&u->cs, &v->cs);
        seg_out(&u->ss, &v->ss);
    }
    if (mtd & NOVA_MTD_DS_ES) {
        seg_out(&u->ds, &v->ds);
        seg_out(&u->es, &v->es);
    }
    if (mtd & NOVA_MTD_FS_GS) {
        seg_out(&u->fs, &v->fs);
        seg_out(&u->gs, &v->gs);
    }
    if (mtd & NOVA_MTD_TR)
        seg_out(&u->tr, &v->tr);
    if (mtd & NOVA_MTD_LDTR)
        seg_out(&u->ldtr, &v->ldtr);
    if (mtd & NOVA_MTD_GDTR)
        seg_out(&u->gdtr, &v->gdtr);
    if (mtd & NOVA_MTD_IDTR)
        seg_out(&u->idtr, &v->idtr);
    if (mtd & NOVA_MTD_CR) {
        u->cr0 = v->cr0;
        u->cr2 = v->cr2;
        u->cr3 = v->cr3;
        u->cr4 = v->cr4;
        u->cr8 = v->int_ctl & SVM_INT_V_TPR_MASK;
    }
    if (mtd & NOVA_MTD_DR)
        u->dr7 = v->dr7;
    if (mtd & NOVA_MTD_SYSENTER) {
        u->sysenter_cs = v->sysenter_cs;
        u->sysenter_esp = v->sysenter_esp;
        u->sysenter_eip = v->sysenter_eip;
    }
    if (mtd & NOVA_MTD_PAT)
        u->pat = v->g_pat;
    if (mtd & NOVA_MTD_EFER)
        u->efer = v->efer & ~EFER_SVME; /* SVME is ours, not the guest's */
    if (mtd & NOVA_MTD_SYSCALL) {
        u->star = v->star;
        u->lstar = v->lstar;
        u->fmask = v->sfmask;
    }
    if (mtd & NOVA_MTD_KERNEL_GS)
        u->kernel_gs_base = v->kernel_gs_base;
    if (mtd & NOVA_MTD_XSAVE) {
        u->xcr0 = ec->vcpu.xcr0;
        u->xss = 0; /* no XSAVES for guests */
    }
}

/* VMX-style injection -> EVENTINJ; software events need the instruction skipped first. */
static void inject(struct ec *ec, const struct nova_utcb_arch *u)
{
    struct vmcb *v = ec->vcpu.vmcb;
    uint32_t info = u->intr_info;
    if (info & NOVA_INTR_INFO_I) /* interrupt window: a dummy virtual IRQ and the VINTR exit */
        v->int_ctl |= SVM_INT_V_IRQ | SVM_INT_V_IGN_TPR, v->misc1 |= SVM_MISC1(0x64);
    else
        v->int_ctl &= ~(SVM_INT_V_IRQ | SVM_INT_V_IGN_TPR), v->misc1 &= ~SVM_MISC1(0x64);
    if (info & NOVA_INTR_INFO_N) /* NMI window: the guest's IRET ends NMI blocking */
        v->misc1 |= SVM_MISC1(0x74);
    else
        v->misc1 &= ~SVM_MISC1(0x74);
    v->exitintinfo = 0; /* the VMM has seen it: a recall before the next VMRUN must not repeat it */
    if (!(info & NOVA_INTR_INFO_V)) {
        v->eventinj = 0;
        return;
    }
    unsigned type = (info >> 8) & 7, vec = info & 0xff, svm_type;
    switch (type) {
    case INTR_TYPE_EXT: svm_type = SVM_EVT_TYPE_INTR; break;
    case INTR_TYPE_NMI: svm_type = SVM_EVT_TYPE_NMI; break;
    case INTR_TYPE_SW_INT: svm_type = SVM_EVT_TYPE_SOFT; break;
    default: svm_type = SVM_EVT_TYPE_EXC; break;
    }
    if (type == INTR_TYPE_SW_INT || type == INTR_TYPE_PRIV_EXC || type == INTR_TYPE_SW_EXC)
        v->rip += u->inst_len; /* no NRIP: the CPU pushes the VMCB RIP */
    v->eventinj = vec | svm_type << SVM_EVT_TYPE_SHIFT | (info & NOVA_INTR_INFO_E ? SVM_EVT_EV : 0) | SVM_EVT_V;
    v->eventinj_err = u->intr_error;
}

void vmcb_state_load(struct ec *ec, uint32_t mtd, const struct nova_utcb_arch *u)
{
    struct vmcb *v = ec->vcpu.vmcb;
    struct cpu_regs *r = &ec->regs;
    uint64_t rax = v->rax, rsp = v->rsp; /* the VMCB is packed: no pointers into it */
    gprs_from_utcb(r, &rax, &rsp, mtd, u);
    v->rax = rax;
    v->rsp = rsp;
    if (mtd & NOVA_MTD_RFLAGS)
        v->rflags = u->rflags | 0x2;
    if (mtd & NOVA_MTD_RIP)
        v->rip = u->rip;
    if (mtd & NOVA_MTD_STA)
        v->int_shadow = u->intr_state & 1;
    if (mtd & NOVA_MTD_CTRL) {
        v->misc1 = u->ctrl_pri | SVM_FORCED_MISC1;
        v->misc2 = u->ctrl_sec | SVM_FORCED_MISC2;
        v->cr_read = (uint16_t)u->ctrl_ter;
        v->cr_write = (uint16_t)(u->ctrl_ter >> 16);
        v->exceptions = u->exc_bitmap;
    }
    if (mtd & NOVA_MTD_INJ)
        inject(ec, u);
    if (mtd & NOVA_MTD_CS_SS) {
        seg_in(&v->cs, &u->cs);
        seg_in(&v->ss, &u->ss);
    }
    if (mtd & NOVA_MTD_DS_ES) {
        seg_in(&v->ds, &u->ds);
        seg_in(&v->es, &u->es);
    }
    if (mtd & NOVA_MTD_FS_GS) {
        seg_in(&v->fs, &u->fs);
        seg_in(&v->gs, &u->gs);
    }
    if (mtd & NOVA_MTD_TR)
        seg_in(&v->tr, &u->tr);
    if (mtd & NOVA_MTD_LDTR)
        seg_in(&v->ldtr, &u->ldtr);
    if (mtd & NOVA_MTD_GDTR)
        seg_in(&v->gdtr, &u->gdtr);
    if (mtd & NOVA_MTD_IDTR)
        seg_in(&v->idtr, &u->idtr);
    if (mtd & NOVA_MTD_CR) {
        v->cr0 = u->cr0 & 0xffffffffull;
        v->cr2 = u->cr2;
        v->cr3 = u->cr3;
        v->cr4 = u->cr4;
        v->int_ctl = (v->int_ctl & ~SVM_INT_V_TPR_MASK) | (uint32_t)(u->cr8 & SVM_INT_V_TPR_MASK);
    }
    if (mtd & NOVA_MTD_DR)
        v->dr7 = u->dr7 & 0xffffffffull;
    if (mtd & NOVA_MTD_SYSENTER) {
        v->sysenter_cs = u->sysenter_cs;
        v->sysenter_esp = u->sysenter_esp;
        v->sysenter_eip = u->sysenter_eip;
    }
    if (mtd & NOVA_MTD_PAT)
        v->g_pat = u->pat;
    if (mtd & NOVA_MTD_SYSCALL) {
        v->star = u->star;
        v->lstar = u->lstar;
        v->sfmask = u->fmask;
    }
    if (mtd & NOVA_MTD_KERNEL_GS)
        v->kernel_gs_base = u->kernel_gs_base;
    /* An XCR0 that XSETBV would refuse, or with components the kernel does not save, is ignored. */
    if ((mtd & NOVA_MTD_XSAVE) && xcr0_valid(u->xcr0, fpu_xcr0()))
        ec->vcpu.xcr0 = u->xcr0;
    if ((mtd & (NOVA_MTD_EFER | NOVA_MTD_CR))) {
        uint64_t efer = (mtd & NOVA_MTD_EFER) ? u->efer : v->efer;
        /* QEMU takes EFER verbatim: LMA must be LME & PG, and SVME stays on for VMRUN. */
        efer = (efer & ~EFER_LMA) | EFER_SVME;
        if ((efer & EFER_LME) && (v->cr0 & CR0_PG))
            efer |= EFER_LMA;
        v->efer = efer;
    }
    if (mtd & NOVA_MTD_TLB)
        ec->vcpu.flush = true;
}
