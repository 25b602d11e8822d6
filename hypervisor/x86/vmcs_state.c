/* SPDX-License-Identifier: MIT */
/* vCPU state <-> UTCB architectural layout on VMX: the layout the specification describes. */

#include "core/ec.h"
#include "x86/utcb_gprs.h"
#include "x86/vcpu.h"
#include "x86/vmcs.h"
#include "x86/xcr0.h"

#include <nova/mtd.h>

#define CR0_PG      (1ull << 31)
#define EFER_LME    (1ull << 8)
#define EFER_LMA    (1ull << 10)
#define INTR_TYPE(i) (((i) >> 8) & 7)
#define INTR_TYPE_SW_INT  4
#define INTR_TYPE_PRIV_EXC 5
#define INTR_TYPE_SW_EXC  6

static void seg_out(struct nova_seg *d, enum vmcs_seg s)
{
    d->sel = (uint16_t)vmread(VMCS_GUEST_ES_SEL + 2 * s);
    d->ar = vmx_ar_to_utcb((uint32_t)vmread(VMCS_GUEST_ES_AR + 2 * s));
    d->limit = (uint32_t)vmread(VMCS_GUEST_ES_LIMIT + 2 * s);
    d->base = vmread(VMCS_GUEST_ES_BASE + 2 * s);
}

static void seg_in(enum vmcs_seg s, const struct nova_seg *d)
{
    vmwrite(VMCS_GUEST_ES_SEL + 2 * s, d->sel);
    vmwrite(VMCS_GUEST_ES_AR + 2 * s, vmx_ar_from_utcb(d->ar));
    vmwrite(VMCS_GUEST_ES_LIMIT + 2 * s, d->limit);
    vmwrite(VMCS_GUEST_ES_BASE + 2 * s, d->base);
}

void vmcs_state_save(struct ec *ec, uint32_t mtd, struct nova_utcb_arch *u)
{
    vmx_vcpu_activate(ec);
    gprs_to_utcb(&ec->regs, ec->regs.rax, vmread(VMCS_GUEST_RSP), mtd, u);
    if (mtd & NOVA_MTD_RFLAGS)
        u->rflags = vmread(VMCS_GUEST_RFLAGS);
    if (mtd & NOVA_MTD_RIP) {
        u->rip = vmread(VMCS_GUEST_RIP);
        u->inst_len = (uint32_t)vmread(VMCS_EXIT_INST_LEN);
        u->inst_info = (uint32_t)vmread(VMCS_EXIT_INST_INFO);
    }
    if (mtd & NOVA_MTD_STA) {
        u->intr_state = (uint32_t)vmread(VMCS_GUEST_INTR_STATE);
        u->actv_state = (uint32_t)vmread(VMCS_GUEST_ACTV_STATE);
    }
    if (mtd & NOVA_MTD_QUAL) {
        u->qual[0] = vmread(VMCS_EXIT_QUAL);
        u->qual[1] = vmread(VMCS_GUEST_LINEAR_ADDR);
        u->qual[2] = vmread(VMCS_GUEST_PHYS_ADDR);
    }
    if (mtd & NOVA_MTD_INJ) {
        u->intr_info = (uint32_t)vmread(VMCS_ENTRY_INTR_INFO);
        u->intr_error = (uint32_t)vmread(VMCS_ENTRY_EXC_ERROR);
        u->vect_info = (uint32_t)vmread(VMCS_IDT_VECT_INFO);
        u->vect_error = (uint32_t)vmread(VMCS_IDT_VECT_ERROR);
    }
    if (mtd & NOVA_MTD_CS_SS) {
        seg_out(&u->cs, SEG_CS);
        seg_out(&u->ss, SEG_SS);
    }
    if (mtd & NOVA_MTD_DS_ES) {
        seg_out(&u->ds, SEG_DS);
        seg_out(&u->es, SEG_ES);
    }
    if (mtd & NOVA_MTD_FS_GS) {
        seg_out(&u->fs, SEG_FS);
        seg_out(&u->gs, SEG_GS);
    }
    if (mtd & NOVA_MTD_TR)
        seg_out(&u->tr, SEG_TR);
    if (mtd & NOVA_MTD_LDTR)
        seg_out(&u->ldtr, SEG_LDTR);
    if (mtd & NOVA_MTD_GDTR)
        u->gdtr = (struct nova_seg){0, 0, (uint32_t)vmread(VMCS_GUEST_GDTR_LIMIT), vmread(VMCS_GUEST_GDTR_BASE)};
    if (mtd & NOVA_MTD_IDTR)
        u->idtr = (struct nova_seg){0, 0, (uint32_t)vmread(VMCS_GUEST_IDTR_LIMIT), vmread(VMCS_GUEST_IDTR_BASE)};
    if (mtd & NOVA_MTD_CR) {
        u->cr0 = vmx_cr_visible(vmread(VMCS_GUEST_CR0), vmread(VMCS_CR0_MASK), vmread(VMCS_CR0_SHADOW));
        u->cr2 = ec->vcpu.cr2;
        u->cr3 = vmread(VMCS_GUEST_CR3);
        u->cr4 = vmx_cr_visible(vmread(VMCS_GUEST_CR4), vmread(VMCS_CR4_MASK), vmread(VMCS_CR4_SHADOW));
        u->cr8 = ec->vcpu.cr8;
    }
    if (mtd & NOVA_MTD_DR)
        u->dr7 = vmread(VMCS_GUEST_DR7);
    if (mtd & NOVA_MTD_SYSENTER) {
        u->sysenter_cs = vmread(VMCS_GUEST_SYSENTER_CS);
        u->sysenter_esp = vmread(VMCS_GUEST_SYSENTER_ESP);
        u->sysenter_eip = vmread(VMCS_GUEST_SYSENTER_EIP);
    }
    if (mtd & NOVA_MTD_PAT)
        u->pat = vmread(VMCS_GUEST_PAT);
    if (mtd & NOVA_MTD_EFER)
        u->efer = vmread(VMCS_GUEST_EFER);
    if (mtd & NOVA_MTD_SYSCALL) {
        u->star = ec->vcpu.msrs[VMX_MSR_STAR].value;
        u->lstar = ec->vcpu.msrs[VMX_MSR_LSTAR].value;
        u->fmask = ec->vcpu.msrs[VMX_MSR_FMASK].value;
    }
    if (mtd & NOVA_MTD_KERNEL_GS)
        u->kernel_gs_base = ec->vcpu.msrs[VMX_MSR_KERNEL_GS].value;
    if (mtd & NOVA_MTD_XSAVE) {
        u->xcr0 = ec->vcpu.xcr0;
        u->xss = 0; /* no XSAVES for guests */
    }
}

void vmcs_state_load(struct ec *ec, uint32_t mtd, const struct nova_utcb_arch *u)
{
    vmx_vcpu_activate(ec);
    uint64_t rsp = vmread(VMCS_GUEST_RSP);
    gprs_from_utcb(&ec->regs, &ec->regs.rax, &rsp, mtd, u);
    vmwrite(VMCS_GUEST_RSP, rsp);
    if (mtd & NOVA_MTD_RFLAGS)
        vmwrite(VMCS_GUEST_RFLAGS, u->rflags | 0x2);
    if (mtd & NOVA_MTD_RIP) {
        vmwrite(VMCS_GUEST_RIP, u->rip);
        vmwrite(VMCS_ENTRY_INST_LEN, u->inst_len);
    }
    if (mtd & NOVA_MTD_STA) {
        vmwrite(VMCS_GUEST_INTR_STATE, u->intr_state);
        vmwrite(VMCS_GUEST_ACTV_STATE, u->actv_state);
    }
    uint32_t proc = (uint32_t)vmread(VMCS_PROC_CTLS);
    if (mtd & NOVA_MTD_CTRL) {
        proc = vmx_proc_ctls(u->ctrl_pri);
        vmwrite(VMCS_PROC_CTLS2, vmx_proc2_ctls(u->ctrl_sec));
        vmwrite(VMCS_EXC_BITMAP, u->exc_bitmap);
        vmwrite(VMCS_PF_MASK, u->pfec_mask);
        vmwrite(VMCS_PF_MATCH, u->pfec_match);
    }
    if (mtd & NOVA_MTD_TPR)
        vmwrite(VMCS_TPR_THRESHOLD, u->tpr_threshold);
    if (mtd & NOVA_MTD_INJ) {
        uint32_t info = u->intr_info;
        proc = (info & NOVA_INTR_INFO_I) ? proc | PROC_INTR_WINDOW : proc & ~PROC_INTR_WINDOW;
        proc = (info & NOVA_INTR_INFO_N) ? proc | PROC_NMI_WINDOW : proc & ~PROC_NMI_WINDOW;
        vmwrite(VMCS_ENTRY_INTR_INFO, info & ~(NOVA_INTR_INFO_I | NOVA_INTR_INFO_N));
        vmwrite(VMCS_ENTRY_EXC_ERROR, u->intr_error);
        unsigned type = INTR_TYPE(info);
        if (type == INTR_TYPE_SW_INT || type == INTR_TYPE_PRIV_EXC || type == INTR_TYPE_SW_EXC)
            vmwrite(VMCS_ENTRY_INST_LEN, u->inst_len);
    }
    vmwrite(VMCS_PROC_CTLS, proc);
    if (mtd & NOVA_MTD_CS_SS) {
        seg_in(SEG_CS, &u->cs);
        seg_in(SEG_SS, &u->ss);
    }
    if (mtd & NOVA_MTD_DS_ES) {
        seg_in(SEG_DS, &u->ds);
        seg_in(SEG_ES, &u->es);
    }
    if (mtd & NOVA_MTD_FS_GS) {
        seg_in(SEG_FS, &u->fs);
        seg_in(SEG_GS, &u->gs);
    }
    if (mtd & NOVA_MTD_TR)
        seg_in(SEG_TR, &u->tr);
    if (mtd & NOVA_MTD_LDTR)
        seg_in(SEG_LDTR, &u->ldtr);
    if (mtd & NOVA_MTD_GDTR) {
        vmwrite(VMCS_GUEST_GDTR_LIMIT, u->gdtr.limit);
        vmwrite(VMCS_GUEST_GDTR_BASE, u->gdtr.base);
    }
    if (mtd & NOVA_MTD_IDTR) {
        vmwrite(VMCS_GUEST_IDTR_LIMIT, u->idtr.limit);
        vmwrite(VMCS_GUEST_IDTR_BASE, u->idtr.base);
    }
    if (mtd & NOVA_MTD_CR) {
        vmx_set_cr0(u->cr0 & 0xffffffffull);
        vmx_set_cr4(u->cr4);
        vmwrite(VMCS_GUEST_CR3, u->cr3);
        ec->vcpu.cr2 = u->cr2;
        ec->vcpu.cr8 = u->cr8;
    }
    if (mtd & NOVA_MTD_DR)
        vmwrite(VMCS_GUEST_DR7, u->dr7 & 0xffffffffull);
    if (mtd & NOVA_MTD_SYSENTER) {
        vmwrite(VMCS_GUEST_SYSENTER_CS, u->sysenter_cs);
        vmwrite(VMCS_GUEST_SYSENTER_ESP, u->sysenter_esp);
        vmwrite(VMCS_GUEST_SYSENTER_EIP, u->sysenter_eip);
    }
    if (mtd & NOVA_MTD_PAT)
        vmwrite(VMCS_GUEST_PAT, u->pat);
    if (mtd & (NOVA_MTD_EFER | NOVA_MTD_CR)) {
        uint64_t efer = (mtd & NOVA_MTD_EFER) ? u->efer : vmread(VMCS_GUEST_EFER);
        uint64_t cr0 = vmread(VMCS_GUEST_CR0);
        efer &= ~EFER_LMA;
        if ((efer & EFER_LME) && (cr0 & CR0_PG))
            efer |= EFER_LMA; /* the entry control "IA-32e mode guest" must match LMA */
        vmwrite(VMCS_GUEST_EFER, efer);
        uint32_t entry = (uint32_t)vmread(VMCS_ENTRY_CTLS);
        vmwrite(VMCS_ENTRY_CTLS, (efer & EFER_LMA) ? entry | ENTRY_IA32E : entry & ~ENTRY_IA32E);
    }
    if (mtd & NOVA_MTD_SYSCALL) {
        ec->vcpu.msrs[VMX_MSR_STAR].value = u->star;
        ec->vcpu.msrs[VMX_MSR_LSTAR].value = u->lstar; /* non-canonical: the entry fails (event 0x22) */
        ec->vcpu.msrs[VMX_MSR_FMASK].value = u->fmask;
    }
    if (mtd & NOVA_MTD_KERNEL_GS)
        ec->vcpu.msrs[VMX_MSR_KERNEL_GS].value = u->kernel_gs_base;
    /* An XCR0 that XSETBV would refuse, or with components the kernel does not save, is ignored. */
    if ((mtd & NOVA_MTD_XSAVE) && xcr0_valid(u->xcr0, vmx_xcr0_allowed()))
        ec->vcpu.xcr0 = u->xcr0;
    if (mtd & NOVA_MTD_TLB)
        ec->vcpu.flush = true;
}
