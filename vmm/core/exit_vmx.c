/* SPDX-License-Identifier: MIT */
/* Exits VMX forces and SVM leaves to the guest: XSETBV, INVD, and MOV to or from a control
   register (CR0/CR4 writes touching the bits VMX pins, CR8), in SVM's numbering. */

#include "core/vcpu.h"

#include <nova/events.h>
#include <nova/mtd.h>
#include <stdio.h>
#include <string.h>

#define GP          13
#define XCR0_X87    1u
#define XCR0_SSE    2u
#define XCR0_AVX    4u
#define CR0_PE      (1ull << 0)
#define CR0_ET      (1ull << 4)
#define CR0_NW      (1ull << 29)
#define CR0_CD      (1ull << 30)
#define CR0_PG      (1ull << 31)
#define CR4_PAE     (1ull << 5)
#define CR4_VMXE    (1ull << 13)
#define EFER_LME    (1ull << 8)
#define EFER_LMA    (1ull << 10)
#define AR_L        (1u << 9)       /* UTCB segment AR: 64-bit code */
#define OSXSAVE     (1u << 27)      /* CPUID.1:ECX: XGETBV works */
#define CR_DECODED  (1ull << 63)    /* qualification: MOV CRn with the GPR number in bits 3:0 */

/* The state components the hypervisor switches with the FPU state: its own XCR0, which is in
   force while the VMM runs (0 when the host has no XSAVE: XGETBV would fault). */
uint64_t host_xcr0(void)
{
    uint32_t a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
    if (!(c & OSXSAVE))
        return 0;
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (uint64_t)hi << 32 | lo;
}

/* XSETBV: #GP outside ring 0, for any XCR but XCR0 and for values the CPU would refuse; else the
   kernel loads the new XCR0 for the guest (MTD.XSAVE). Only reached when the guest could execute
   XSETBV, so CR4.OSXSAVE is set and the host has XSAVE. */
uint64_t exit_xsetbv(struct vcpu *v, struct nova_utcb_arch *a, bool *ok)
{
    (void)v, (void)ok;
    uint64_t value = (a->rdx & 0xffffffffu) << 32 | (a->rax & 0xffffffffu);
    unsigned cpl = a->ss.ar >> 5 & 3;
    bool valid = (value & XCR0_X87) && !((value & XCR0_AVX) && !(value & XCR0_SSE)) && !(value & ~host_xcr0());
    if (cpl != 0 || (uint32_t)a->rcx != 0 || !valid) {
        vcpu_inject_exception(a, GP, true, 0);
        return 0;
    }
    a->xcr0 = value;
    vcpu_skip(a, a->inst_len ? a->inst_len : 3);
    return NOVA_MTD_XSAVE;
}

/* INVD: nothing to do; the VMM models no caches that could hold data apart from guest RAM. */
uint64_t exit_invd(struct vcpu *v, struct nova_utcb_arch *a, bool *ok)
{
    (void)v, (void)ok;
    vcpu_skip(a, a->inst_len ? a->inst_len : 2);
    return 0;
}

/* The GPRs open the UTCB in architectural order (RAX, RCX, ... R15). */
static uint64_t gpr_get(const struct nova_utcb_arch *a, unsigned n)
{
    uint64_t v;
    memcpy(&v, (const uint8_t *)a + n * sizeof(v), sizeof(v));
    return v;
}

static void gpr_set(struct nova_utcb_arch *a, unsigned n, uint64_t v)
{
    memcpy((uint8_t *)a + n * sizeof(v), &v, sizeof(v));
}

/* MOV to CR0 with the checks the CPU makes; the kernel derives EFER.LMA from the result. */
static bool cr0_write(struct nova_utcb_arch *a, uint64_t value, uint64_t *mtd)
{
    bool long_mode = a->efer & EFER_LMA;
    if ((value >> 32) || ((value & CR0_PG) && !(value & CR0_PE)) || ((value & CR0_NW) && !(value & CR0_CD)))
        return false;
    if ((value & CR0_PG) && !(a->cr0 & CR0_PG) && (a->efer & EFER_LME) && !(a->cr4 & CR4_PAE))
        return false;
    if (!(value & CR0_PG) && long_mode && (a->cs.ar & AR_L))
        return false;
    if ((value ^ a->cr0) & CR0_PG)
        *mtd |= NOVA_MTD_TLB; /* turning paging on or off drops every translation */
    a->cr0 = value | CR0_ET;
    return true;
}

/* Events CR read/write 0-15 with a decoded qualification (VMX always; SVM with decode assists).
   Only these accesses exit: CR0 writes changing NE (VMX forces it on), CR4 writes setting VMXE
   (the guest has no VMX: #GP), and CR8, which is the local APIC's TPR. */
uint64_t exit_cr(struct vcpu *v, unsigned ev, struct nova_utcb_arch *a, bool *ok)
{
    unsigned cr = ev & 0xf, reg = a->qual[0] & 0xf;
    bool write = ev >= NOVA_EV_SVM_CR_WRITE(0);
    bool wide = (a->efer & EFER_LMA) && (a->cs.ar & AR_L);
    uint64_t value = write ? gpr_get(a, reg) : 0, mtd = NOVA_MTD_CR;
    if (!wide)
        value &= 0xffffffffu;
    if (!(a->qual[0] & CR_DECODED) || (cr != 0 && cr != 4 && cr != 8) || (!write && cr != 8)) {
        printf("vmm[%s]: vCPU %u: %s of CR%u at rip %#lx is not emulated\n", v->vm->name, v->id,
               write ? "write" : "read", cr, a->rip);
        *ok = false;
        return 0;
    }
    bool done = true;
    if (cr == 0) {
        done = cr0_write(a, value, &mtd);
    } else if (cr == 4) {
        done = !(value & CR4_VMXE);
        if (done)
            a->cr4 = value;
    } else if (write) {
        done = !(value >> 4); /* CR8 has 4 bits: TPR[7:4] */
        if (done)
            v->lapic.tpr = (uint32_t)value << 4;
    } else {
        gpr_set(a, reg, v->lapic.tpr >> 4);
    }
    a->cr8 = v->lapic.tpr >> 4;
    if (!done) {
        vcpu_inject_exception(a, GP, true, 0);
        return 0;
    }
    vcpu_skip(a, a->inst_len ? a->inst_len : 3);
    return mtd;
}
