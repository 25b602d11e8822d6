/* SPDX-License-Identifier: MIT */
/* Host tests of the VMX pieces that need no CPU: control adjustment against capability MSRs,
   segment access rights, EPT leaves, and the UTCB <-> VMCS mapping (on a VMCS kept in memory). */

#include "check.h"
#include "core/ec.h"
#include "x86/ept.h"
#include "x86/vmcs.h"

#include <nova/mtd.h>
#include <string.h>

/* ---- a VMCS in memory, and the vmx.c helpers vmcs_state.c uses ---- */
static uint64_t fields[0x8000];
uint64_t vmread(uint64_t field) { return fields[field & 0x7fff]; }
void vmwrite(uint64_t field, uint64_t v) { fields[field & 0x7fff] = v; }
void vmx_vcpu_activate(struct ec *ec) { (void)ec; }
#define FIXED0_CR0 0x20ull /* NE */
#define FIXED0_CR4 0x2000ull /* VMXE */
void vmx_set_cr0(uint64_t cr0)
{
    vmwrite(VMCS_CR0_MASK, FIXED0_CR0);
    vmwrite(VMCS_CR0_SHADOW, cr0);
    vmwrite(VMCS_GUEST_CR0, cr0 | FIXED0_CR0);
}
void vmx_set_cr4(uint64_t cr4)
{
    vmwrite(VMCS_CR4_MASK, FIXED0_CR4);
    vmwrite(VMCS_CR4_SHADOW, cr4);
    vmwrite(VMCS_GUEST_CR4, cr4 | FIXED0_CR4);
}
uint64_t vmx_cr_visible(uint64_t guest, uint64_t mask, uint64_t shadow) { return (guest & ~mask) | (shadow & mask); }
uint32_t vmx_proc_ctls(uint32_t want) { return want | PROC_HLT; }
uint32_t vmx_proc2_ctls(uint32_t want) { return want | PROC2_EPT; }
uint64_t vmx_xcr0_allowed(void) { return 0x7; } /* x87, SSE, AVX */
void vmcs_state_save(struct ec *ec, uint32_t mtd, struct nova_utcb_arch *u);
void vmcs_state_load(struct ec *ec, uint32_t mtd, const struct nova_utcb_arch *u);

static void test_adjust(void)
{
    /* low half: must be 1; high half: may be 1 */
    uint64_t cap = 0x0000001600000016ull | (0xfff9fffeull << 32);
    CHECK("adjust keeps wanted allowed bits", (vmx_adjust(0x8, cap) & 0x8) == 0x8);
    CHECK("adjust forces required bits", (vmx_adjust(0, cap) & 0x16) == 0x16);
    CHECK("adjust drops disallowed bits", (vmx_adjust(0x1 | 0x20000, cap) & 0x20001) == 0);
    CHECK_EQ("adjust all-allowed", vmx_adjust(0x80000000u, 0xffffffff00000000ull), 0x80000000u);
}

static void test_ar(void)
{
    CHECK_EQ("ar 64-bit code", vmx_ar_from_utcb(0xa9b), 0xa09bu);
    CHECK_EQ("ar unusable", vmx_ar_from_utcb(0x1000), 0x10000u);
    CHECK_EQ("ar back", vmx_ar_to_utcb(0xc093), 0xc93u);
    unsigned bad = 0;
    for (unsigned ar = 0; ar < 0x2000; ar++)
        bad += vmx_ar_to_utcb(vmx_ar_from_utcb((uint16_t)ar)) != ar;
    CHECK_EQ("ar round trip over all 13-bit values", bad, 0u);
}

static void test_ept(void)
{
    CHECK_EQ("ept read-only", ept_leaf_flags(NOVA_PERM_MEM_R), EPT_R | EPT_MT_WB);
    CHECK_EQ("ept rwx", ept_leaf_flags(NOVA_PERM_MEM_ALL), EPT_R | EPT_W | EPT_X | EPT_MT_WB);
    CHECK_EQ("ept write-only is readable", ept_leaf_flags(NOVA_PERM_MEM_W), EPT_R | EPT_W | EPT_MT_WB);
    CHECK_EQ("ept supervisor exec", ept_leaf_flags(NOVA_PERM_MEM_R | NOVA_PERM_MEM_XS), EPT_R | EPT_X | EPT_MT_WB);
}

static void test_state(void)
{
    static struct ec ec;
    static struct nova_utcb_arch in, out;
    static struct vmx_msr_entry msrs[VMX_MSR_SLOTS];
    ec.vcpu.msrs = msrs;
    ec.vcpu.xcr0 = 1;
    memset(fields, 0, sizeof(fields));
    memset(&in, 0, sizeof(in));
    in.rax = 1, in.rcx = 2, in.rdx = 3, in.rbx = 4, in.rsp = 5, in.rbp = 6, in.rsi = 7, in.rdi = 8;
    in.r8 = 9, in.r15 = 16;
    in.rflags = 0x202;
    in.rip = 0x1234;
    in.cs = (struct nova_seg){8, 0xa9b, 0xffffffff, 0};
    in.ss = in.ds = in.es = (struct nova_seg){16, 0xc93, 0xffffffff, 0x1000};
    in.tr = (struct nova_seg){0x28, 0x8b, 0x67, 0x5000};
    in.gdtr = (struct nova_seg){0, 0, 0x37, 0x6000};
    in.cr0 = 0x80000011;
    in.cr3 = 0x10000;
    in.cr4 = 0x20;
    in.efer = 0x100;
    in.dr7 = 0x400;
    uint32_t mtd = NOVA_MTD_GPR_0_7 | NOVA_MTD_GPR_8_15 | NOVA_MTD_RFLAGS | NOVA_MTD_RIP | NOVA_MTD_CS_SS |
                   NOVA_MTD_DS_ES | NOVA_MTD_TR | NOVA_MTD_GDTR | NOVA_MTD_CR | NOVA_MTD_EFER | NOVA_MTD_DR;
    vmcs_state_load(&ec, mtd, &in);
    CHECK_EQ("vmcs rsp", vmread(VMCS_GUEST_RSP), 5ull);
    CHECK_EQ("vmcs cs ar in vmx format", vmread(VMCS_GUEST_ES_AR + 2 * SEG_CS), 0xa09bull);
    CHECK_EQ("vmcs guest cr0 has NE forced", vmread(VMCS_GUEST_CR0), 0x80000031ull);
    CHECK_EQ("vmcs efer gets LMA", vmread(VMCS_GUEST_EFER), 0x500ull);
    CHECK("vmcs ia-32e entry control set", vmread(VMCS_ENTRY_CTLS) & ENTRY_IA32E);
    vmcs_state_save(&ec, mtd, &out);
    CHECK_EQ("round trip gprs", out.rax + out.rcx + out.rdx + out.rbx + out.rsp + out.rbp + out.rsi + out.rdi, 36ull);
    CHECK_EQ("round trip r15", out.r15, 16ull);
    CHECK_EQ("round trip rip", out.rip, 0x1234ull);
    CHECK("round trip cs", !memcmp(&out.cs, &in.cs, sizeof(in.cs)));
    CHECK("round trip tr", !memcmp(&out.tr, &in.tr, sizeof(in.tr)));
    CHECK_EQ("round trip gdtr base", out.gdtr.base, 0x6000ull);
    CHECK_EQ("guest sees its own cr0 (NE hidden)", out.cr0, 0x80000011ull);
    CHECK_EQ("guest sees its own cr4 (VMXE hidden)", out.cr4, 0x20ull);
    CHECK_EQ("efer read back with LMA", out.efer, 0x500ull);

    /* Injection: the window bits become controls and leave the entry field. */
    memset(&in, 0, sizeof(in));
    in.intr_info = 0x20 | NOVA_INTR_INFO_V | NOVA_INTR_INFO_I;
    vmcs_state_load(&ec, NOVA_MTD_INJ, &in);
    CHECK_EQ("entry info without window bit", vmread(VMCS_ENTRY_INTR_INFO), 0x80000020ull);
    CHECK("interrupt window requested", vmread(VMCS_PROC_CTLS) & PROC_INTR_WINDOW);
    in.intr_info = 0;
    vmcs_state_load(&ec, NOVA_MTD_INJ, &in);
    CHECK("interrupt window cleared", !(vmread(VMCS_PROC_CTLS) & PROC_INTR_WINDOW));
    in.intr_info = 0x80 | 4u << 8 | NOVA_INTR_INFO_V; /* software interrupt */
    in.inst_len = 2;
    vmcs_state_load(&ec, NOVA_MTD_INJ, &in);
    CHECK_EQ("soft interrupt instruction length", vmread(VMCS_ENTRY_INST_LEN), 2ull);

    /* SYSCALL MSRs and KERNEL_GS_BASE live in the vCPU's MSR area; XCR0 only takes valid values. */
    memset(&in, 0, sizeof(in));
    in.star = 0x0023001000000000ull, in.lstar = 0xffffffff81000000ull, in.fmask = 0x47700;
    in.kernel_gs_base = 0xffff888000001000ull;
    in.xcr0 = 0x7;
    uint32_t msr_mtd = NOVA_MTD_SYSCALL | NOVA_MTD_KERNEL_GS | NOVA_MTD_XSAVE;
    vmcs_state_load(&ec, msr_mtd, &in);
    CHECK_EQ("lstar in the msr area", msrs[VMX_MSR_LSTAR].value, 0xffffffff81000000ull);
    CHECK_EQ("kernel gs base in the msr area", msrs[VMX_MSR_KERNEL_GS].value, 0xffff888000001000ull);
    msrs[VMX_MSR_KERNEL_GS].value = 0x2000; /* as the CPU stores it at an exit after SWAPGS */
    vmcs_state_save(&ec, msr_mtd, &out);
    CHECK_EQ("star read back", out.star, 0x0023001000000000ull);
    CHECK_EQ("fmask read back", out.fmask, 0x47700ull);
    CHECK_EQ("kernel gs base from the stored area", out.kernel_gs_base, 0x2000ull);
    CHECK_EQ("xcr0 taken", out.xcr0, 0x7ull);
    uint64_t bad[] = {0x0, 0x5, 0x3 | 0x20, 0x2};
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        in.xcr0 = bad[i];
        vmcs_state_load(&ec, NOVA_MTD_XSAVE, &in);
        vmcs_state_save(&ec, NOVA_MTD_XSAVE, &out);
        CHECK_EQ("invalid xcr0 ignored", out.xcr0, 0x7ull);
    }
    in.xcr0 = 0x3;
    vmcs_state_load(&ec, NOVA_MTD_XSAVE, &in);
    vmcs_state_save(&ec, NOVA_MTD_XSAVE, &out);
    CHECK_EQ("xcr0 back to x87+sse", out.xcr0, 0x3ull);
}

int main(void)
{
    test_adjust();
    test_ar();
    test_ept();
    test_state();
    return check_summary();
}
