/* SPDX-License-Identifier: MIT */
/* Intel VMX: the backend of x86/vcpu.h for Intel CPUs (VMX with EPT, VPID, unrestricted guest). */

#include "core/console.h"
#include "core/ec.h"
#include "core/ipc.h"
#include "core/memory.h"
#include "core/pd.h"
#include "core/pmm.h"
#include "core/quota.h"
#include "core/sched.h"
#include "x86/cpu.h"
#include "x86/idt.h"
#include "x86/percpu.h"
#include "x86/regs.h"
#include "x86/smp_layout.h"
#include "x86/tsc.h"
#include "x86/vcpu.h"
#include "x86/vmcs.h"
#include "x86/xcr0.h"

#include <format.h>
#include <string.h>

#define CPUID1_ECX_VMX      (1u << 5)
#define FEATURE_LOCKED      (1ull << 0)
#define FEATURE_VMXON       (1ull << 2)
#define CR4_VMXE            (1ull << 13)
#define CR4_OSXSAVE         (1ull << 18)
#define MSR_PAT             0x277
#define PREEMPT_HZ          1000            /* VMX-preemption timer: an exit per ms in the guest */
#define VMX_MISC_RATE       0x1f            /* the timer counts TSC >> rate */
#define EPTP_WB_4LEVEL      (6u | 3u << 3)
#define GDT_TSS_BUSY        (2ull << 40)    /* type 0xb (busy) vs 0x9 (available) */

/* Controls the kernel always wants; the VMM adds to them through MTD.CTRL. */
#define FORCED_PIN   (PIN_EXT_INT | PIN_NMI)
#define FORCED_PROC  (PROC_HLT | PROC_CR8_LOAD | PROC_CR8_STORE | PROC_IO_BITMAPS | PROC_MSR_BITMAPS | PROC_SECONDARY)
#define FORCED_PROC2 (PROC2_EPT | PROC2_VPID | PROC2_UNRESTRICTED)

static bool available;
static uint64_t cap_pin, cap_proc, cap_proc2, cap_exit, cap_entry, cr0_fixed0, cr4_fixed0;
static struct ec *vmcs_owner[MAX_CPUS]; /* whose VMCS is current (active, cached) on each CPU */
static uint64_t host_xcr0;
static uint32_t preempt_ticks; /* 0: the CPU has no VMX-preemption timer */
static const uint32_t switched_msrs[VMX_MSR_SLOTS] = {MSR_STAR, MSR_LSTAR, MSR_FMASK, MSR_KERNEL_GS_BASE};
/* The host's values of those MSRs: the same on every CPU (x86/gdt.c; user GS base is always 0). */
static struct vmx_msr_entry host_msrs[VMX_MSR_SLOTS] __attribute__((aligned(16)));

int vmx_enter(struct cpu_regs *regs, int launched);
extern char vmx_exit_stub[];

static int vmxon(uint64_t pa)
{
    uint8_t fail;
    __asm__ volatile("vmxon %1; setbe %0" : "=q"(fail) : "m"(pa) : "cc", "memory");
    return fail ? -1 : 0;
}

static int vmptrld(uint64_t pa)
{
    uint8_t fail;
    __asm__ volatile("vmptrld %1; setbe %0" : "=q"(fail) : "m"(pa) : "cc", "memory");
    return fail ? -1 : 0;
}

/* Drop the guest's cached translations (all contexts: the simplest form every CPU with EPT has). */
static void vmx_flush_guest(struct vcpu *vc)
{
    struct { uint64_t a, b; } desc = {0, 0};
    (void)vc;
    __asm__ volatile("invept %0, %1" ::"m"(desc), "r"(2ull) : "cc", "memory");
    __asm__ volatile("invvpid %0, %1" ::"m"(desc), "r"(2ull) : "cc", "memory");
}

static void vmclear(uint64_t pa)
{
    __asm__ volatile("vmclear %0" ::"m"(pa) : "cc", "memory");
}

uint64_t vmx_xcr0_allowed(void)
{
    return host_xcr0;
}

bool vmx_init_cpu(void)
{
    uint32_t r[4];
    cpuid(1, 0, r);
    if (!(r[2] & CPUID1_ECX_VMX))
        return false;
    uint64_t fc = rdmsr(MSR_FEATURE_CONTROL);
    if (!(fc & FEATURE_LOCKED))
        wrmsr(MSR_FEATURE_CONTROL, fc | FEATURE_LOCKED | FEATURE_VMXON);
    else if (!(fc & FEATURE_VMXON))
        return false; /* the firmware locked VMX off */
    uint64_t basic = rdmsr(MSR_VMX_BASIC);
    bool true_ctls = basic & VMX_BASIC_TRUE_CTLS;
    cap_pin = rdmsr(true_ctls ? MSR_VMX_TRUE_PIN : MSR_VMX_PIN);
    cap_proc = rdmsr(true_ctls ? MSR_VMX_TRUE_PROC : MSR_VMX_PROC);
    cap_exit = rdmsr(true_ctls ? MSR_VMX_TRUE_EXIT : MSR_VMX_EXIT);
    cap_entry = rdmsr(true_ctls ? MSR_VMX_TRUE_ENTRY : MSR_VMX_ENTRY);
    if (!(cap_proc >> 32 & PROC_SECONDARY))
        return false;
    cap_proc2 = rdmsr(MSR_VMX_PROC2);
    if ((FORCED_PROC2 & (uint32_t)(cap_proc2 >> 32)) != FORCED_PROC2)
        return false; /* we need EPT, VPID and unrestricted guests */
    cr0_fixed0 = rdmsr(MSR_VMX_CR0_FIXED0);
    cr4_fixed0 = rdmsr(MSR_VMX_CR4_FIXED0);
    set_cr0(get_cr0() | cr0_fixed0);
    set_cr4(get_cr4() | cr4_fixed0 | CR4_VMXE);
    uint32_t *region = page_alloc(0);
    if (!region)
        return false;
    region[0] = (uint32_t)basic & 0x7fffffff;
    if (vmxon(virt_to_phys(region)) < 0)
        return false;
    if (this_cpu()->id == 0) {
        /* x86/fpu.c has picked XCR0 by now; without XSAVE guests cannot have one either. */
        host_xcr0 = (get_cr4() & CR4_OSXSAVE) ? xcr0_get() : 0;
        if (cap_pin >> 32 & PIN_PREEMPT_TIMER)
            preempt_ticks = (uint32_t)((tsc_hz / PREEMPT_HZ) >> (rdmsr(MSR_VMX_MISC) & VMX_MISC_RATE)) | 1;
        for (unsigned i = 0; i < VMX_MSR_SLOTS; i++)
            host_msrs[i] = (struct vmx_msr_entry){switched_msrs[i], 0, rdmsr(switched_msrs[i])};
        available = true;
    }
    return available;
}

int vmx_vcpu_create(struct ec *ec, bool tsc_offset)
{
    struct pd *pd = ec->pd;
    struct vcpu *vc = &ec->vcpu;
    uint32_t *vmcs = quota_page_alloc(&pd->quota, 0);
    struct vmx_msr_entry *msrs = quota_page_alloc(&pd->quota, 0);
    if (space_gst_init(pd) < 0 || !vmcs || !msrs) {
        quota_page_free(&pd->quota, vmcs, 0);
        quota_page_free(&pd->quota, msrs, 0);
        return -1;
    }
    for (unsigned i = 0; i < VMX_MSR_SLOTS; i++)
        msrs[i] = (struct vmx_msr_entry){switched_msrs[i], 0, 0};
    vmcs[0] = (uint32_t)rdmsr(MSR_VMX_BASIC) & 0x7fffffff;
    vmclear(virt_to_phys(vmcs));
    static unsigned next_vpid = 1;
    vc->vmcs = vmcs;
    vc->msrs = msrs;
    vc->xcr0 = host_xcr0 ? XCR0_RESET : 0; /* equal to the host's (no switching) without XSAVE */
    vc->asid = __atomic_fetch_add(&next_vpid, 1, __ATOMIC_RELAXED) % 0xffff + 1;
    vc->tsc_offset = tsc_offset;
    vc->flush = true;
    vc->launched = false;
    return 0;
}

void vmx_vcpu_destroy(struct ec *ec)
{
    for (unsigned c = 0; c < MAX_CPUS; c++)
        if (vmcs_owner[c] == ec) /* vmx_cpu_release cleared it when its CPU let go of the dead EC */
            panic("VMCS of a destroyed vCPU still active on CPU %u", c);
    quota_page_free(&ec->pd->quota, ec->vcpu.vmcs, 0);
    quota_page_free(&ec->pd->quota, ec->vcpu.msrs, 0);
}

static void write_seg(enum vmcs_seg s, uint16_t sel, uint32_t ar, uint32_t limit, uint64_t base)
{
    vmwrite(VMCS_GUEST_ES_SEL + 2 * s, sel);
    vmwrite(VMCS_GUEST_ES_AR + 2 * s, ar);
    vmwrite(VMCS_GUEST_ES_LIMIT + 2 * s, limit);
    vmwrite(VMCS_GUEST_ES_BASE + 2 * s, base);
}

/* The first entry on its CPU: every control, host and guest field (guest = the INIT state). */
static void vmcs_setup(struct ec *ec, struct percpu *c)
{
    struct pd *pd = ec->pd;
    vmwrite(VMCS_PIN_CTLS, vmx_adjust(FORCED_PIN | (preempt_ticks ? PIN_PREEMPT_TIMER : 0), cap_pin));
    vmwrite(VMCS_PROC_CTLS, vmx_adjust(FORCED_PROC | (ec->vcpu.tsc_offset ? PROC_TSC_OFFSET : 0), cap_proc));
    vmwrite(VMCS_PROC_CTLS2, vmx_adjust(FORCED_PROC2, cap_proc2));
    vmwrite(VMCS_EXIT_CTLS, vmx_adjust(EXIT_HOST_64 | EXIT_SAVE_EFER | EXIT_LOAD_EFER | EXIT_SAVE_PAT |
                                       EXIT_LOAD_PAT, cap_exit));
    vmwrite(VMCS_ENTRY_CTLS, vmx_adjust(ENTRY_LOAD_EFER | ENTRY_LOAD_PAT, cap_entry));
    vmwrite(VMCS_ENTRY_MSR_LOAD, virt_to_phys(ec->vcpu.msrs));
    vmwrite(VMCS_EXIT_MSR_STORE, virt_to_phys(ec->vcpu.msrs));
    vmwrite(VMCS_EXIT_MSR_LOAD, virt_to_phys(host_msrs));
    vmwrite(VMCS_ENTRY_MSR_LOAD_N, VMX_MSR_SLOTS);
    vmwrite(VMCS_EXIT_MSR_STORE_N, VMX_MSR_SLOTS);
    vmwrite(VMCS_EXIT_MSR_LOAD_N, VMX_MSR_SLOTS);
    vmwrite(VMCS_EXC_BITMAP, 0);
    vmwrite(VMCS_IO_BITMAP_A, virt_to_phys(pd->gst.iopm));
    vmwrite(VMCS_IO_BITMAP_B, virt_to_phys(pd->gst.iopm) + PAGE_SIZE);
    vmwrite(VMCS_MSR_BITMAP, virt_to_phys(pd->gst.msrpm));
    vmwrite(VMCS_EPT_POINTER, virt_to_phys(pd->gst.npt) | EPTP_WB_4LEVEL);
    vmwrite(VMCS_VPID, ec->vcpu.asid);
    vmwrite(VMCS_LINK_POINTER, ~0ull);
    if (ec->vcpu.tsc_offset)
        vmwrite(VMCS_TSC_OFFSET, (uint64_t)0 - rdtsc());

    vmwrite(VMCS_HOST_CR0, get_cr0());
    vmwrite(VMCS_HOST_CR4, get_cr4());
    vmwrite(VMCS_HOST_CS_SEL, SEL_KCODE);
    vmwrite(VMCS_HOST_SS_SEL, SEL_KDATA);
    vmwrite(VMCS_HOST_DS_SEL, SEL_KDATA);
    vmwrite(VMCS_HOST_ES_SEL, SEL_KDATA);
    vmwrite(VMCS_HOST_FS_SEL, 0);
    vmwrite(VMCS_HOST_GS_SEL, 0);
    vmwrite(VMCS_HOST_TR_SEL, SEL_TSS);
    vmwrite(VMCS_HOST_FS_BASE, 0);
    vmwrite(VMCS_HOST_GS_BASE, (uint64_t)c);
    vmwrite(VMCS_HOST_TR_BASE, (uint64_t)&c->tss);
    vmwrite(VMCS_HOST_GDTR_BASE, (uint64_t)c->gdt);
    vmwrite(VMCS_HOST_IDTR_BASE, idt_base());
    vmwrite(VMCS_HOST_SYSENTER_CS, 0);
    vmwrite(VMCS_HOST_EFER, rdmsr(MSR_EFER));
    vmwrite(VMCS_HOST_PAT, rdmsr(MSR_PAT));
    vmwrite(VMCS_HOST_RIP, (uint64_t)vmx_exit_stub);

    /* INIT state: real mode at f000:fff0 (unrestricted guest). */
    write_seg(SEG_CS, 0xf000, 0x9b, 0xffff, 0xffff0000);
    write_seg(SEG_DS, 0, 0x93, 0xffff, 0);
    write_seg(SEG_ES, 0, 0x93, 0xffff, 0);
    write_seg(SEG_SS, 0, 0x93, 0xffff, 0);
    write_seg(SEG_FS, 0, 0x93, 0xffff, 0);
    write_seg(SEG_GS, 0, 0x93, 0xffff, 0);
    write_seg(SEG_LDTR, 0, 0x82, 0xffff, 0);
    write_seg(SEG_TR, 0, 0x8b, 0xffff, 0);
    vmwrite(VMCS_GUEST_GDTR_LIMIT, 0xffff);
    vmwrite(VMCS_GUEST_IDTR_LIMIT, 0xffff);
    vmwrite(VMCS_GUEST_GDTR_BASE, 0);
    vmwrite(VMCS_GUEST_IDTR_BASE, 0);
    vmx_set_cr0(0x10);
    vmx_set_cr4(0);
    vmwrite(VMCS_GUEST_CR3, 0);
    vmwrite(VMCS_GUEST_DR7, 0x400);
    vmwrite(VMCS_GUEST_RFLAGS, 0x2);
    vmwrite(VMCS_GUEST_RIP, 0xfff0);
    vmwrite(VMCS_GUEST_RSP, 0);
    vmwrite(VMCS_GUEST_EFER, 0);
    vmwrite(VMCS_GUEST_PAT, 0x0007040600070406ull);
    vmwrite(VMCS_GUEST_INTR_STATE, 0);
    vmwrite(VMCS_GUEST_ACTV_STATE, 0);
    vmwrite(VMCS_ENTRY_INTR_INFO, 0);
}

/* CR0/CR4 as the guest wants them; bits VMX requires (NE, VMXE) are forced on and hidden from
   the guest through the read shadows. With unrestricted guests PE and PG may be 0. */
void vmx_set_cr0(uint64_t cr0)
{
    uint64_t forced = cr0_fixed0 & ~(0x1ull | 0x80000000ull);
    vmwrite(VMCS_CR0_MASK, forced);
    vmwrite(VMCS_CR0_SHADOW, cr0);
    vmwrite(VMCS_GUEST_CR0, cr0 | forced);
}

void vmx_set_cr4(uint64_t cr4)
{
    uint64_t forced = cr4_fixed0 | CR4_VMXE;
    vmwrite(VMCS_CR4_MASK, forced);
    vmwrite(VMCS_CR4_SHADOW, cr4);
    vmwrite(VMCS_GUEST_CR4, cr4 | forced);
}

uint32_t vmx_proc_ctls(uint32_t want)
{
    return vmx_adjust(want | FORCED_PROC, cap_proc);
}

uint32_t vmx_proc2_ctls(uint32_t want)
{
    return vmx_adjust(want | FORCED_PROC2, cap_proc2);
}

uint64_t vmx_cr_visible(uint64_t guest, uint64_t mask, uint64_t shadow)
{
    return (guest & ~mask) | (shadow & mask);
}

static __attribute__((noreturn)) void entry_failed(struct ec *ec)
{
    char why[64];
    snprintf(why, sizeof(why), "VM entry failed (VMX instruction error %lu)", vmread(VMCS_INSTR_ERROR));
    ec_kill(ec, why);
}

/* After a VM exit the CPU leaves TR with a 0x67 limit, which cuts off the TSS's I/O bitmap. */
static void reload_tr(struct percpu *c)
{
    c->gdt[SEL_TSS >> 3] &= ~GDT_TSS_BUSY;
    __asm__ volatile("ltr %w0" ::"r"(SEL_TSS));
}

/* A CPU may keep the current VMCS cached and write it back at any time: before a destroyed vCPU's
   VMCS is freed, the CPU it was current on flushes it (VMCLEAR) at its next quiescent point, or
   before it idles, when a destruction elsewhere cannot reach it. The next entry is a VMLAUNCH. */
void vmx_cpu_release(bool idle)
{
    unsigned id = this_cpu()->id;
    struct ec *owner = vmcs_owner[id];
    if (!owner || !(idle || __atomic_load_n(&owner->dead, __ATOMIC_ACQUIRE)))
        return;
    vmclear(virt_to_phys(owner->vcpu.vmcs));
    owner->vcpu.launched = false;
    vmcs_owner[id] = NULL;
}

/* Make ec's VMCS the current one on this CPU (written up completely the first time); every
   VMREAD and VMWRITE about the vCPU, also in the startup event before its first entry, needs it. */
void vmx_vcpu_activate(struct ec *ec)
{
    struct percpu *c = this_cpu();
    struct vcpu *vc = &ec->vcpu;
    if (vmcs_owner[c->id] != ec) {
        if (vmptrld(virt_to_phys(vc->vmcs)) < 0)
            entry_failed(ec);
        vmcs_owner[c->id] = ec;
    }
    if (!vc->setup_done) {
        vmcs_setup(ec, c);
        vc->setup_done = true;
    }
}

/* An exit the kernel handles itself (a host interrupt or NMI) may have interrupted the delivery
   of an event: deliver it again at the next VM entry (the CPU clears the entry field on exits). */
static void reinject(void)
{
    uint32_t info = (uint32_t)vmread(VMCS_IDT_VECT_INFO);
    if (!(info & NOVA_INTR_INFO_V))
        return;
    unsigned type = (info >> 8) & 7;
    if (type == NOVA_INTR_TYPE_SW_INT || type == NOVA_INTR_TYPE_PRIV_SW_EXC || type == NOVA_INTR_TYPE_SW_EXC)
        vmwrite(VMCS_ENTRY_INST_LEN, vmread(VMCS_EXIT_INST_LEN));
    if (info & NOVA_INTR_INFO_E)
        vmwrite(VMCS_ENTRY_EXC_ERROR, vmread(VMCS_IDT_VECT_ERROR));
    vmwrite(VMCS_ENTRY_INTR_INFO, info & ~0x1000u); /* bit 12 is reserved on entry */
}

void vmx_vcpu_run(struct ec *ec)
{
    struct percpu *c = this_cpu();
    struct vcpu *vc = &ec->vcpu;
    vmx_vcpu_activate(ec);
    for (;;) {
        vmwrite(VMCS_HOST_CR3, get_cr3());
        uint64_t gen = __atomic_load_n(&ec->pd->gst.tlb_gen, __ATOMIC_ACQUIRE);
        if (vc->flush || vc->tlb_gen != gen)
            vmx_flush_guest(vc);
        vc->tlb_gen = gen;
        vc->flush = false;
        /* Bochs 2.7 delivers no external-interrupt exit while the guest has IF = 0 (the control says
           IF does not matter): the preemption timer brings the CPU back to take its interrupts. */
        if (preempt_ticks)
            vmwrite(VMCS_PREEMPT_TIMER, preempt_ticks);
        set_cr2(vc->cr2); /* VMX does not switch CR2, nor XCR0 (XSETBV exits: the VMM sets vc->xcr0) */
        if (vc->xcr0 != host_xcr0)
            xcr0_set(vc->xcr0);
        int failed = vmx_enter(&ec->regs, vc->launched);
        if (vc->xcr0 != host_xcr0)
            xcr0_set(host_xcr0); /* before anything saves FPU state with the host's components */
        vc->cr2 = get_cr2();
        reload_tr(c);
        if (failed)
            entry_failed(ec);
        vc->launched = true;
        uint32_t reason = (uint32_t)vmread(VMCS_EXIT_REASON);
        if ((reason & 0xffff) == VMX_EXIT_EXTINT || (reason & 0xffff) == VMX_EXIT_PREEMPT) {
            reinject();
            __asm__ volatile("sti; nop; cli" ::: "memory"); /* take it in the kernel */
            if (sched_need_resched() || ec->recall) {
                ec->cont = vcpu_run;
                schedule();
            }
            continue;
        }
        if ((reason & 0xffff) == VMX_EXIT_EXC_NMI && (vmread(VMCS_EXIT_INTR_INFO) & 0x7ff) == (2u << 8 | 2)) {
            reinject();
            continue; /* an NMI: consumed */
        }
        ec->cont = vcpu_run;
        ipc_event(ec, reason & 0xff); /* entry failures (bit 31) keep their basic reason, e.g. 0x21 */
    }
}
