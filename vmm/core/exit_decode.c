/* SPDX-License-Identifier: MIT */
/* Exit events in the SVM binding's numbering; VMX exits translated. */

#include "core/exit_decode.h"
#include "core/vcpu.h"

#include <nova/events.h>
#include <nova/hip.h>

static bool vmx;

void exit_decode_init(uint64_t hip_features)
{
    vmx = (hip_features & NOVA_HIP_FEAT_VMX) != 0;
}

bool exit_is_vmx(void)
{
    return vmx;
}

/* VMX I/O qualification (size - 1 in 2:0, IN 3, string 4, REP 5, port 31:16) in SVM's EXITINFO1
   layout (IN 0, string 2, REP 3, one-hot size in 6:4, port 31:16). */
static uint64_t io_qual(uint64_t q)
{
    uint64_t size = (q & 7) + 1;
    return (q & 0xffff0000) | (q >> 3 & 1) | (q >> 4 & 1) << 2 | (q >> 5 & 1) << 3 | size << 4;
}

/* VMX control-register access (CR 3:0, access type 5:4, GPR 11:8): MOV to/from CRn as SVM's CR
   write/read events with a decode-assist qualification (valid bit 63, GPR in 3:0). CLTS and LMSW
   (types 2 and 3) only touch bits the kernel does not pin: they never exit and stay untranslated. */
static unsigned cr_access(struct nova_utcb_arch *a)
{
    uint64_t q = a->qual[0];
    unsigned cr = q & 0xf, type = q >> 4 & 3;
    if (type > 1)
        return 0x200 + NOVA_EV_VMX_CR_ACCESS;
    a->qual[0] = 1ull << 63 | (q >> 8 & 0xf);
    return type == 0 ? NOVA_EV_SVM_CR_WRITE(cr) : NOVA_EV_SVM_CR_READ(cr);
}

unsigned exit_decode(unsigned ev, struct nova_utcb_arch *a)
{
    if (!vmx || ev >= 0x100)
        return ev;
    switch (ev) {
    case NOVA_EV_VMX_IO:
        a->qual[0] = io_qual(a->qual[0]);
        return EV_IOIO;
    case NOVA_EV_VMX_EPT_VIOLATION:
        a->qual[0] = 1ull << 32 | 4 | (a->qual[0] & 2) | ((a->qual[0] & 0x38) ? 1 : 0);
        return EV_NPF;
    case NOVA_EV_VMX_RDMSR:
        a->qual[0] = 0;
        return EV_MSR;
    case NOVA_EV_VMX_WRMSR:
        a->qual[0] = 1;
        return EV_MSR;
    case NOVA_EV_VMX_CPUID:
        return EV_CPUID;
    case NOVA_EV_VMX_HLT:
        return EV_HLT;
    case NOVA_EV_VMX_VMCALL:
        return EV_VMMCALL;
    case NOVA_EV_VMX_CR_ACCESS:
        return cr_access(a);
    case NOVA_EV_VMX_XSETBV:
        return EV_XSETBV;
    case NOVA_EV_VMX_INVD:
        return EV_INVD;
    case NOVA_EV_VMX_TRIPLE_FAULT:
        return EV_SHUTDOWN;
    case NOVA_EV_VMX_INTR_WINDOW:
        return EV_VINTR;
    case NOVA_EV_VMX_FAIL_STATE:
        return EV_INVALID;
    default:
        return 0x200 + ev; /* no handler: the VM stops with a message */
    }
}
