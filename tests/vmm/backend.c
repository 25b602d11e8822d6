/* SPDX-License-Identifier: MIT */
/* The few things a VMM decodes per backend (docs/abi-svm.md): event numbers, qualifications, VMMCALL. */

#include "backend.h"

#include <nova/events.h>
#include <nova/hip.h>

struct backend be;

void backend_init(uint64_t hip_features)
{
    if (hip_features & NOVA_HIP_FEAT_VMX)
        /* VMX basic exit reasons: I/O 30, CPUID 10, HLT 12, VMCALL 18, EPT violation 48, RDMSR 31,
           WRMSR 32, triple fault 2, interrupt window 7 */
        be = (struct backend){true, 0x1e, 0x0a, 0x0c, 0x12, 0x30, 0x1f, 0x20, 0x02, 0x07, 0xc1};
    else
        be = (struct backend){false,           NOVA_EV_SVM_IOIO, NOVA_EV_SVM_CPUID, NOVA_EV_SVM_HLT,
                              NOVA_EV_SVM_VMMCALL, NOVA_EV_SVM_NPF, NOVA_EV_SVM_MSR, NOVA_EV_SVM_MSR,
                              NOVA_EV_SVM_SHUTDOWN, NOVA_EV_SVM_VINTR, 0xd9};
}

bool io_is(uint64_t qual, unsigned port, bool in, unsigned size, bool string, bool rep)
{
    if ((qual >> 16 & 0xffff) != port)
        return false;
    if (be.vmx) /* size - 1 in 2:0, IN 3, string 4, REP 5 (bit 6, immediate operand, not compared) */
        return (qual & 7) == size - 1 && !!(qual & 8) == in && !!(qual & 0x10) == string && !!(qual & 0x20) == rep;
    /* SVM: IN 0, string 2, REP 3, size 8/16/32 in bits 4/5/6 */
    return !!(qual & 1) == in && !!(qual & 4) == string && !!(qual & 8) == rep && (qual >> 4 & 7) == size;
}

bool npf_is_unmapped_read(uint64_t qual)
{
    if (be.vmx) /* read access, and the entry allowed nothing */
        return (qual & 0x3f) == 0x1;
    return (qual & 0x1ffffffffull) == 0x100000004ull; /* final address, user, read, not present */
}

bool npf_is_write_to_read_only(uint64_t qual)
{
    if (be.vmx) /* write access to a readable, not writable entry */
        return (qual & 0x1b) == 0x0a;
    return (qual & 0x100000007ull) == 0x100000007ull;
}

bool msr_is_read(unsigned ev, uint64_t qual)
{
    return be.vmx ? ev == be.ev_rdmsr : qual == 0;
}
