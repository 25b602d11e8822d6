/* SPDX-License-Identifier: MIT */
/* CPUID policy: the host's answers, minus what the VM does not get, plus our topology and the
   hypervisor leaves. */

#include "core/vcpu.h"

#define HV_LEAF_BASE 0x40000000u
#define HV_LEAF_MAX  0x40000001u

struct regs4 {
    uint32_t a, b, c, d;
};

static struct regs4 host_cpuid(uint32_t leaf, uint32_t sub)
{
    struct regs4 r;
    __asm__ volatile("cpuid" : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d) : "a"(leaf), "c"(sub));
    return r;
}

#define BIT(n) (1u << (n))
#define XSTATE_LEGACY_SIZE 576u /* FXSAVE area + XSAVE header */
#define XSS_COMPONENTS     0x1fffe00u /* supervisor components (IA32_XSS), none switched */

/* Leaf 0xd: XSAVE sizes and components limited to those the hypervisor saves with a vCPU's FPU
   state. A guest that enabled more (QEMU cannot intercept XSETBV) would keep them live in the
   registers, shared with other VMs. */
static void xsave_leaf(struct regs4 *r, uint32_t sub)
{
    uint32_t allowed = (uint32_t)host_xcr0();
    if (sub == 0) {
        r->a &= allowed;
        r->d = 0;
        uint32_t size = XSTATE_LEGACY_SIZE;
        for (uint32_t i = 2; i < 32; i++)
            if (r->a & BIT(i)) {
                struct regs4 c = host_cpuid(0xd, i);
                if (c.b + c.a > size)
                    size = c.b + c.a;
            }
        r->b = r->c = size;
    } else if (sub == 1) {
        r->a &= ~BIT(3); /* no XSAVES: IA32_XSS is not switched */
        r->b = r->c = r->d = 0;
    } else if (sub >= 32 || !(allowed & BIT(sub))) {
        *r = (struct regs4){0, 0, 0, 0};
    }
}

static struct regs4 policy(struct vcpu *v, const struct nova_utcb_arch *a, uint32_t leaf, uint32_t sub)
{
    struct regs4 r = host_cpuid(leaf, sub);
    uint32_t n = v->vm->nvcpus;
    switch (leaf) {
    case 0:
        if (r.a > 0xd)
            r.a = 0xd;
        break;
    case 1:
        r.b = (r.b & 0xffff) | n << 16 | v->id << 24;
        /* no VMX, SMX, monitor/mwait, perf/debug store, PCID; x2APIC, TSC deadline and the
           hypervisor bit are ours; OSXSAVE mirrors the guest's CR4 */
        r.c &= ~(BIT(3) | BIT(5) | BIT(6) | BIT(2) | BIT(4) | BIT(15) | BIT(17) | BIT(18) | BIT(27));
        r.c |= BIT(21) | BIT(24) | BIT(31);
        if (a->cr4 & BIT(18))
            r.c |= BIT(27);
        r.d |= BIT(9) | BIT(28); /* APIC, HTT (the logical count in EBX is valid) */
        r.d &= ~(BIT(22) | BIT(29)); /* no ACPI thermal MSRs, no TM */
        break;
    case 5:
        r.a = r.b = r.c = r.d = 0;
        break;
    case 6:
        r.a = BIT(2); /* ARAT: the APIC timer runs in every C-state */
        r.b = r.c = r.d = 0;
        break;
    case 7:
        if (sub == 0) {
            r.a = 0;
            r.b &= ~(BIT(1) | BIT(10) | BIT(11) | BIT(14) | BIT(25)); /* TSC_ADJUST, INVPCID, RTM, MPX, PT */
            r.c &= ~(BIT(5) | BIT(16) | BIT(22) | BIT(30));           /* WAITPKG, LA57, RDPID, SGX_LC */
            if (!(host_xcr0() & BIT(9)))
                r.c &= ~(BIT(3) | BIT(4)); /* PKU, OSPKE: PKRU is not switched */
            r.d &= ~(BIT(26) | BIT(27) | BIT(29));                    /* SPEC_CTRL, STIBP, ARCH_CAP */
        } else {
            r.a = r.b = r.c = r.d = 0;
        }
        break;
    case 0xd:
        xsave_leaf(&r, sub);
        break;
    case 0xa: /* no performance monitoring */
        r.a = r.b = r.c = r.d = 0;
        break;
    case 0xb: /* x2APIC topology: one thread per core, n cores */
        r.d = v->id;
        if (sub == 0)
            r = (struct regs4){0, 1, sub | 1u << 8, v->id};
        else if (sub == 1)
            r = (struct regs4){6, n, sub | 2u << 8, v->id};
        else
            r = (struct regs4){0, 0, sub, v->id};
        break;
    case HV_LEAF_BASE:
        r = (struct regs4){HV_LEAF_MAX, 0x41564f4e, 0x564d4d76, 0x41564f4e}; /* "NOVAvmmvNOVA" */
        break;
    case HV_LEAF_MAX:
        r = (struct regs4){0, 0, 0, 0};
        break;
    case 0x80000001:
        r.c &= ~(BIT(2) | BIT(3) | BIT(12) | BIT(23)); /* SVM, ext APIC, SKINIT, perfctr core */
        r.d &= ~BIT(27);                                /* RDTSCP: TSC_AUX is not switched */
        break;
    case 0x80000008:
        r.c &= ~0xf000u; /* no ApicIdCoreIdSize */
        r.c = (r.c & ~0xffu) | (n - 1);
        break;
    case 0x80000007: /* invariant TSC: it is the host's, at a constant rate (Linux: CONSTANT_TSC) */
        r.a = r.b = r.c = 0;
        r.d = BIT(8);
        break;
    case 0x8000000a: /* no nested SVM */
        r.a = r.b = r.c = r.d = 0;
        break;
    default:
        if ((leaf >= HV_LEAF_BASE && leaf < 0x80000000u) || (leaf > 0x8000001f && leaf < 0xc0000000u))
            r = (struct regs4){0, 0, 0, 0};
        break;
    }
    return r;
}

uint64_t exit_cpuid(struct vcpu *v, struct nova_utcb_arch *a, bool *ok)
{
    (void)ok;
    struct regs4 r = policy(v, a, (uint32_t)a->rax, (uint32_t)a->rcx);
    a->rax = r.a;
    a->rbx = r.b;
    a->rcx = r.c;
    a->rdx = r.d;
    vcpu_skip(a, a->inst_len ? a->inst_len : 2);
    return 0;
}
