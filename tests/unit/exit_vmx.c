/* SPDX-License-Identifier: MIT */
/* Host test of the VMX exit translation (vmm/core/exit_decode.c) and the handlers of exits VMX
   forces (vmm/core/exit_vmx.c: XSETBV, INVD, MOV to/from CR0, CR4, CR8) against the SDM's rules. */

#include "core/exit_decode.h"
#include "core/vcpu.h"

#include "check.h"

#include <nova/events.h>
#include <nova/hip.h>
#include <nova/mtd.h>

#define GP_INFO     (13u | 3u << 8 | NOVA_INTR_INFO_E | NOVA_INTR_INFO_V)
#define AR_CODE64   0xa9bu      /* UTCB AR: present DPL 0 code, L */
#define AR_DATA0    0xc93u      /* DPL 0 data */
#define AR_DATA3    0xcf3u      /* DPL 3 data */
#define RIP0        0x1000u

/* What vcpu.c provides to the handlers. */
void vcpu_skip(struct nova_utcb_arch *a, unsigned len)
{
    a->rip += len;
}

void vcpu_inject_exception(struct nova_utcb_arch *a, unsigned vector, bool has_error, uint32_t error)
{
    a->intr_info = vector | NOVA_INTR_INFO_TYPE(NOVA_INTR_TYPE_HW_EXC) | NOVA_INTR_INFO_V |
                   (has_error ? NOVA_INTR_INFO_E : 0);
    a->intr_error = error;
}

static struct vm vm;
static struct vcpu *v = &vm.vcpu[0];
static struct nova_utcb_arch a;

/* A vCPU in 64-bit ring 0 with paging on, at RIP0, instruction length 3. */
static void reset(void)
{
    memset(&a, 0, sizeof(a));
    a.cs.ar = AR_CODE64;
    a.ss.ar = AR_DATA0;
    a.cr0 = 0x80050033;
    a.cr4 = 0x6f0;
    a.efer = 0xd01;
    a.rip = RIP0;
    a.inst_len = 3;
}

static void test_decode(void)
{
    exit_decode_init(NOVA_HIP_FEAT_VMX);
    reset();
    a.qual[0] = 0 | 0u << 4 | 3u << 8; /* MOV CR0, RBX */
    CHECK_EQ("mov to cr0 is a cr0 write", exit_decode(NOVA_EV_VMX_CR_ACCESS, &a), NOVA_EV_SVM_CR_WRITE(0));
    CHECK_EQ("decoded qualification names rbx", a.qual[0], 1ull << 63 | 3);
    a.qual[0] = 8 | 1u << 4 | 12u << 8; /* MOV R12, CR8 */
    CHECK_EQ("mov from cr8 is a cr8 read", exit_decode(NOVA_EV_VMX_CR_ACCESS, &a), NOVA_EV_SVM_CR_READ(8));
    CHECK_EQ("decoded qualification names r12", a.qual[0], 1ull << 63 | 12);
    a.qual[0] = 0 | 3u << 4; /* LMSW */
    CHECK_EQ("lmsw stays untranslated", exit_decode(NOVA_EV_VMX_CR_ACCESS, &a), 0x200u + NOVA_EV_VMX_CR_ACCESS);
    CHECK_EQ("xsetbv", exit_decode(NOVA_EV_VMX_XSETBV, &a), (unsigned)EV_XSETBV);
    CHECK_EQ("invd", exit_decode(NOVA_EV_VMX_INVD, &a), (unsigned)EV_INVD);
    a.qual[0] = 0x3f80000u | 1u << 3 | 0; /* IN AL, 0x3f8 */
    CHECK_EQ("i/o", exit_decode(NOVA_EV_VMX_IO, &a), (unsigned)EV_IOIO);
    CHECK_EQ("i/o qualification in the svm layout", a.qual[0], 0x3f80000ull | 1 | 1u << 4);
    CHECK_EQ("startup passes", exit_decode(EV_STARTUP, &a), (unsigned)EV_STARTUP);
    exit_decode_init(NOVA_HIP_FEAT_SVM);
    CHECK_EQ("svm events pass untranslated", exit_decode(NOVA_EV_SVM_CR_WRITE(0), &a), NOVA_EV_SVM_CR_WRITE(0));
}

static bool gp(void)
{
    return a.intr_info == GP_INFO && a.rip == RIP0;
}

static void xsetbv(uint64_t value, uint32_t xcr, uint16_t ss_ar)
{
    reset();
    a.rax = 0xdead00000000ull | (value & 0xffffffffu);
    a.rdx = value >> 32;
    a.rcx = 0xffffffff00000000ull | xcr;
    a.ss.ar = ss_ar;
    a.xcr0 = 1;
}

static void test_xsetbv(void)
{
    bool ok = true;
    uint64_t host = host_xcr0(), sse = host & 3, avx = host & 7;
    xsetbv(sse, 0, AR_DATA0);
    CHECK_EQ("xsetbv x87+sse answers with MTD.XSAVE", exit_xsetbv(v, &a, &ok), (uint64_t)NOVA_MTD_XSAVE);
    CHECK_EQ("xsetbv sets xcr0 (upper halves of rax/rcx ignored)", a.xcr0, sse);
    CHECK_EQ("xsetbv skips the instruction", a.rip, RIP0 + 3ull);
    xsetbv(avx, 0, AR_DATA0);
    exit_xsetbv(v, &a, &ok);
    CHECK_EQ("xsetbv with the host's x87, sse, avx", a.xcr0, avx);
    xsetbv(0, 0, AR_DATA0);
    CHECK("xsetbv 0 raises #GP", exit_xsetbv(v, &a, &ok) == 0 && gp() && a.xcr0 == 1);
    xsetbv(5, 0, AR_DATA0);
    exit_xsetbv(v, &a, &ok);
    CHECK("xsetbv avx without sse raises #GP", gp());
    xsetbv(1ull << 62 | 1, 0, AR_DATA0);
    exit_xsetbv(v, &a, &ok);
    CHECK("xsetbv beyond the host's components raises #GP", gp());
    xsetbv(1, 1, AR_DATA0);
    exit_xsetbv(v, &a, &ok);
    CHECK("xsetbv of xcr1 raises #GP", gp());
    xsetbv(1, 0, AR_DATA3);
    exit_xsetbv(v, &a, &ok);
    CHECK("xsetbv in ring 3 raises #GP", gp());
    CHECK("xsetbv never stops the vm", ok);
}

static uint64_t cr(unsigned ev, unsigned reg, bool *ok)
{
    a.qual[0] = 1ull << 63 | reg;
    return exit_cr(v, ev, &a, ok);
}

static void test_cr(void)
{
    bool ok = true;
    reset();
    a.cs = (struct nova_seg){0x1000, 0x9b, 0xffff, 0x10000}; /* the AP trampoline, real mode */
    a.ss.ar = 0x93;
    a.cr0 = 0x60000010;
    a.cr4 = 0;
    a.efer = 0;
    a.rax = 0xffffffff00000000ull | 0x50033; /* PE MP ET NE WP AM; the upper half is not an operand here */
    uint64_t mtd = cr(NOVA_EV_SVM_CR_WRITE(0), 0, &ok);
    CHECK_EQ("cr0 write to protected mode", a.cr0, 0x50033ull);
    CHECK_EQ("cr0 write answers with MTD.CR", mtd, (uint64_t)NOVA_MTD_CR);
    CHECK_EQ("cr0 write skips the instruction", a.rip, RIP0 + 3ull);

    reset();
    a.cr0 = 0x50033;
    a.cr4 = 0x80; /* PGE, no PAE */
    a.efer = 0x100; /* LME, not yet active */
    a.cs.ar = 0xc9b;
    a.rbx = 0x80050033;
    mtd = cr(NOVA_EV_SVM_CR_WRITE(0), 3, &ok);
    CHECK("paging on without PAE under LME raises #GP", mtd == 0 && gp());
    reset();
    a.cr0 = 0x50033;
    a.cr4 = 0x20;
    a.efer = 0x100;
    a.cs.ar = 0xc9b;
    a.rbx = 0x80050033;
    mtd = cr(NOVA_EV_SVM_CR_WRITE(0), 3, &ok);
    CHECK_EQ("paging on flushes the guest tlb", mtd, (uint64_t)(NOVA_MTD_CR | NOVA_MTD_TLB));
    reset();
    a.rdx = 0x80000000;
    cr(NOVA_EV_SVM_CR_WRITE(0), 2, &ok);
    CHECK("PG without PE raises #GP", gp());
    reset();
    a.rdx = 0xa0050033; /* PG NW PE ..., CD clear */
    cr(NOVA_EV_SVM_CR_WRITE(0), 2, &ok);
    CHECK("NW without CD raises #GP", gp());
    reset();
    a.rdx = 1ull << 32 | 0x80050033;
    cr(NOVA_EV_SVM_CR_WRITE(0), 2, &ok);
    CHECK("upper cr0 bits in 64-bit mode raise #GP", gp());
    reset();
    a.rdx = 0x50033;
    cr(NOVA_EV_SVM_CR_WRITE(0), 2, &ok);
    CHECK("paging off in 64-bit code raises #GP", gp());

    reset();
    a.rsi = 0x6f0 | 1u << 13;
    cr(NOVA_EV_SVM_CR_WRITE(4), 6, &ok);
    CHECK("cr4 write setting VMXE raises #GP", gp() && a.cr4 == 0x6f0);

    reset();
    v->lapic.tpr = 0;
    a.r9 = 5;
    cr(NOVA_EV_SVM_CR_WRITE(8), 9, &ok);
    CHECK_EQ("cr8 write sets the apic tpr", v->lapic.tpr, 0x50u);
    reset();
    v->lapic.tpr = 0xa7;
    a.r15 = ~0ull;
    cr(NOVA_EV_SVM_CR_READ(8), 15, &ok);
    CHECK_EQ("cr8 read gives tpr[7:4]", a.r15, 0xaull);
    reset();
    a.rax = 0x10;
    cr(NOVA_EV_SVM_CR_WRITE(8), 0, &ok);
    CHECK("cr8 reserved bits raise #GP", gp() && v->lapic.tpr == 0xa7);
    CHECK("no access so far stopped the vm", ok);

    reset();
    a.qual[0] = 0; /* SVM without decode assists: nothing to go by */
    exit_cr(v, NOVA_EV_SVM_CR_WRITE(0), &a, &ok);
    CHECK("an undecoded access stops the vm", !ok);
    ok = true;
    reset();
    cr(NOVA_EV_SVM_CR_WRITE(3), 0, &ok);
    CHECK("a cr3 write (never intercepted) stops the vm", !ok);
}

static void test_invd(void)
{
    bool ok = true;
    reset();
    a.inst_len = 2;
    CHECK("invd is skipped", exit_invd(v, &a, &ok) == 0 && a.rip == RIP0 + 2 && ok && !a.intr_info);
}

int main(void)
{
    v->vm = &vm;
    test_decode();
    test_xsetbv();
    test_cr();
    test_invd();
    return check_summary();
}
