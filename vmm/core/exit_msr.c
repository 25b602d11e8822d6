/* SPDX-License-Identifier: MIT */
/* MSR policy: what RDMSR/WRMSR do in the VM. State the kernel switches moves through the UTCB,
   the local APIC's MSRs go to its model, a few platform MSRs read as a plain machine's, and
   anything else raises #GP as on hardware. */

#include "core/vcpu.h"

#include <nova/mtd.h>
#include <stddef.h>
#include <string.h>

#define GP 13

enum {
    MSR_TSC = 0x10, MSR_PLATFORM_ID = 0x17, MSR_APIC_BASE = 0x1b, MSR_FEATURE_CONTROL = 0x3a,
    MSR_SPEC_CTRL = 0x48, MSR_PRED_CMD = 0x49, MSR_BIOS_UPDT_TRIG = 0x79, MSR_UCODE_REV = 0x8b,
    MSR_MTRRCAP = 0xfe, MSR_SYSENTER_CS = 0x174, MSR_SYSENTER_ESP = 0x175, MSR_SYSENTER_EIP = 0x176,
    MSR_MCG_CAP = 0x179, MSR_MCG_STATUS = 0x17a, MSR_MISC_ENABLE = 0x1a0, MSR_MTRR_VAR = 0x200,
    MSR_MTRR_FIX64K = 0x250, MSR_MTRR_FIX16K = 0x258, MSR_MTRR_FIX4K = 0x268, MSR_PAT = 0x277,
    MSR_MTRR_DEF = 0x2ff, MSR_TSC_DEADLINE = 0x6e0, MSR_X2APIC_FIRST = 0x800, MSR_X2APIC_LAST = 0x8ff,
    MSR_EFER = 0xc0000080, MSR_STAR = 0xc0000081, MSR_LSTAR = 0xc0000082, MSR_CSTAR = 0xc0000083,
    MSR_SFMASK = 0xc0000084, MSR_FS_BASE = 0xc0000100, MSR_GS_BASE = 0xc0000101,
    MSR_KERNEL_GS = 0xc0000102, MSR_TSC_AUX = 0xc0000103, MSR_K7_PERF_FIRST = 0xc0010000,
    MSR_K7_PERF_LAST = 0xc0010007, MSR_SYSCFG = 0xc0010010, MSR_HWCR = 0xc0010015,
    MSR_VM_CR = 0xc0010114, MSR_INT_PENDING = 0xc0010055, MSR_VM_HSAVE = 0xc0010117, MSR_F17_PERF_FIRST = 0xc0010200,
    MSR_F17_PERF_LAST = 0xc001020b, MSR_NODE_ID = 0xc001100c, MSR_DE_CFG = 0xc0011029,
};

static uint64_t *mtrr_fixed(struct vcpu *v, uint32_t msr)
{
    if (msr == MSR_MTRR_FIX64K)
        return &v->msr_mtrr_fixed[0];
    if (msr == MSR_MTRR_FIX16K || msr == MSR_MTRR_FIX16K + 1)
        return &v->msr_mtrr_fixed[1 + msr - MSR_MTRR_FIX16K];
    if (msr >= MSR_MTRR_FIX4K && msr < MSR_MTRR_FIX4K + 8)
        return &v->msr_mtrr_fixed[3 + msr - MSR_MTRR_FIX4K];
    return 0;
}

/* The UTCB field an MSR lives in (its offset; the UTCB is packed, so no pointers into it), with
   the MTD bit that writes it back; -1 if it is not there. */
static long utcb_msr(uint32_t msr, uint64_t *mtd)
{
    switch (msr) {
    case MSR_EFER: *mtd = NOVA_MTD_EFER; return offsetof(struct nova_utcb_arch, efer);
    case MSR_PAT: *mtd = NOVA_MTD_PAT; return offsetof(struct nova_utcb_arch, pat);
    case MSR_STAR: *mtd = NOVA_MTD_SYSCALL; return offsetof(struct nova_utcb_arch, star);
    case MSR_LSTAR: *mtd = NOVA_MTD_SYSCALL; return offsetof(struct nova_utcb_arch, lstar);
    case MSR_SFMASK: *mtd = NOVA_MTD_SYSCALL; return offsetof(struct nova_utcb_arch, fmask);
    case MSR_SYSENTER_CS: *mtd = NOVA_MTD_SYSENTER; return offsetof(struct nova_utcb_arch, sysenter_cs);
    case MSR_SYSENTER_ESP: *mtd = NOVA_MTD_SYSENTER; return offsetof(struct nova_utcb_arch, sysenter_esp);
    case MSR_SYSENTER_EIP: *mtd = NOVA_MTD_SYSENTER; return offsetof(struct nova_utcb_arch, sysenter_eip);
    case MSR_FS_BASE: *mtd = NOVA_MTD_FS_GS; return offsetof(struct nova_utcb_arch, fs.base);
    case MSR_GS_BASE: *mtd = NOVA_MTD_FS_GS; return offsetof(struct nova_utcb_arch, gs.base);
    case MSR_KERNEL_GS: *mtd = NOVA_MTD_KERNEL_GS; return offsetof(struct nova_utcb_arch, kernel_gs_base);
    default: return -1;
    }
}

/* MSRs the VMM keeps per vCPU. */
static uint64_t *vcpu_msr(struct vcpu *v, uint32_t msr)
{
    switch (msr) {
    case MSR_MTRR_DEF: return &v->msr_mtrr_def;
    case MSR_MISC_ENABLE: return &v->msr_misc_enable;
    case MSR_CSTAR: return &v->msr_cstar;
    case MSR_TSC_AUX: return &v->msr_tsc_aux;
    case MSR_SPEC_CTRL: return &v->msr_spec_ctrl;
    case MSR_DE_CFG: return &v->msr_de_cfg;
    default:
        if (msr >= MSR_MTRR_VAR && msr < MSR_MTRR_VAR + 16)
            return &v->msr_mtrr_var[msr - MSR_MTRR_VAR];
        return mtrr_fixed(v, msr);
    }
}

/* Read-only values of a plain machine; writes are ignored. */
static bool fixed_msr(uint32_t msr, uint64_t *value)
{
    switch (msr) {
    case MSR_MTRRCAP: *value = 0x508; return true;      /* WC, fixed ranges, 8 variable */
    case MSR_FEATURE_CONTROL: *value = 1; return true;   /* locked, VMX off */
    case MSR_VM_CR: *value = 0x10; return true;         /* SVM disabled */
    case MSR_PLATFORM_ID: case MSR_UCODE_REV: case MSR_MCG_CAP: case MSR_MCG_STATUS:
    case MSR_SYSCFG: case MSR_HWCR: case MSR_NODE_ID: case MSR_VM_HSAVE: case MSR_INT_PENDING:
        *value = 0;
        return true;
    default:
        if ((msr >= MSR_K7_PERF_FIRST && msr <= MSR_K7_PERF_LAST) ||
            (msr >= MSR_F17_PERF_FIRST && msr <= MSR_F17_PERF_LAST)) {
            *value = 0;
            return true;
        }
        return false;
    }
}

static bool is_lapic_msr(uint32_t msr)
{
    return msr == MSR_APIC_BASE || msr == MSR_TSC_DEADLINE || (msr >= MSR_X2APIC_FIRST && msr <= MSR_X2APIC_LAST);
}

static bool msr_read(struct vcpu *v, struct nova_utcb_arch *a, uint32_t msr, uint64_t *value)
{
    uint64_t mtd, *field = vcpu_msr(v, msr);
    long off = utcb_msr(msr, &mtd);
    if (off >= 0) {
        memcpy(value, (const uint8_t *)a + off, sizeof(*value));
        return true;
    }
    if (field) {
        *value = *field;
        return true;
    }
    if (msr == MSR_TSC) {
        *value = vm_now_ns(v->vm) / 1000000000ull * v->vm->tsc_hz +
                 vm_now_ns(v->vm) % 1000000000ull * v->vm->tsc_hz / 1000000000ull;
        return true;
    }
    if (is_lapic_msr(msr))
        return lapic_msr_read(&v->lapic, msr, value);
    return fixed_msr(msr, value);
}

static bool msr_write(struct vcpu *v, struct nova_utcb_arch *a, uint32_t msr, uint64_t value, uint64_t *mtd)
{
    uint64_t dummy, *field = vcpu_msr(v, msr);
    long off = utcb_msr(msr, mtd);
    if (off >= 0) {
        memcpy((uint8_t *)a + off, &value, sizeof(value));
        return true;
    }
    *mtd = 0;
    if (field) {
        *field = value;
        return true;
    }
    if (is_lapic_msr(msr))
        return lapic_msr_write(&v->lapic, msr, value);
    if (msr == MSR_PRED_CMD || msr == MSR_BIOS_UPDT_TRIG || msr == MSR_TSC)
        return true;
    return fixed_msr(msr, &dummy);
}

uint64_t exit_msr(struct vcpu *v, struct nova_utcb_arch *a, bool write, bool *ok)
{
    (void)ok;
    uint32_t msr = (uint32_t)a->rcx;
    uint64_t mtd = 0, value = 0;
    bool done;
    if (write)
        done = msr_write(v, a, msr, (a->rdx & 0xffffffffu) << 32 | (a->rax & 0xffffffffu), &mtd);
    else if ((done = msr_read(v, a, msr, &value))) {
        a->rax = value & 0xffffffffu;
        a->rdx = value >> 32;
    }
    if (!done) {
        vdev_log(v->vm, "%s of MSR %#x at rip %#lx: #GP", write ? "WRMSR" : "RDMSR", msr, a->rip);
        vcpu_inject_exception(a, GP, true, 0);
        return 0;
    }
    vcpu_skip(a, a->inst_len ? a->inst_len : 2);
    return mtd;
}
