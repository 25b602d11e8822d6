/* SPDX-License-Identifier: MIT */
/* Exits VMX forces and SVM leaves to the guest: XSETBV and INVD (events in SVM's numbering). */

#include "core/vcpu.h"

#include <nova/mtd.h>

#define GP          13
#define XCR0_X87    1u
#define XCR0_SSE    2u
#define XCR0_AVX    4u

/* The state components the hypervisor switches with the FPU state: its own XCR0, which is in
   force while the VMM runs. */
static uint64_t host_xcr0(void)
{
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
