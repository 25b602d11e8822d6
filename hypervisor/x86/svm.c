/* SPDX-License-Identifier: MIT */
/* AMD SVM: vCPUs as ECs, VMRUN and the exit path that turns exits into portal calls. */

#include "x86/svm.h"
#include "core/console.h"
#include "core/ec.h"
#include "core/ipc.h"
#include "core/memory.h"
#include "core/pd.h"
#include "core/pmm.h"
#include "core/quota.h"
#include "core/sched.h"
#include "x86/cpu.h"
#include "x86/percpu.h"
#include "x86/smp_layout.h"
#include "x86/vmcb.h"
#include "x86/fpu.h"
#include "x86/xcr0.h"

#include <nova/events.h>
#include <string.h>

#define CPUID_SVM           (1u << 2)   /* 8000_0001 ECX */
#define CPUID_NPT           (1u << 0)   /* 8000_000A EDX */
#define CPUID_NRIPS         (1u << 3)
#define SVM_EXIT_INTR       0x60
#define SVM_EXIT_NMI        0x61

static bool available, nrips;
static unsigned nasid;
static uint64_t hsave_pa[MAX_CPUS], host_save_pa[MAX_CPUS];
static struct ec *asid_owner[MAX_CPUS][64];

void svm_enter(uint64_t vmcb_pa, struct cpu_regs *regs, uint64_t host_save);

bool svm_init_cpu(void)
{
    uint32_t r[4];
    cpuid(0x80000000, 0, r);
    if (r[0] < 0x8000000a)
        return false;
    cpuid(0x80000001, 0, r);
    if (!(r[2] & CPUID_SVM))
        return false;
    cpuid(0x8000000a, 0, r);
    if (!(r[3] & CPUID_NPT))
        return false; /* we run guests with nested paging only */
    unsigned id = this_cpu()->id;
    void *hsave = page_alloc(0), *host = page_alloc(0);
    if (!hsave || !host)
        return false;
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
    hsave_pa[id] = virt_to_phys(hsave);
    host_save_pa[id] = virt_to_phys(host);
    wrmsr(MSR_VM_HSAVE_PA, hsave_pa[id]);
    if (id == 0) {
        nasid = r[1] < 64 ? r[1] : 64;
        nrips = r[3] & CPUID_NRIPS;
        available = nasid > 1;
    }
    return available;
}

static void seg(struct vmcb_seg *s, uint16_t sel, uint16_t attrib, uint32_t limit, uint64_t base)
{
    *s = (struct vmcb_seg){sel, attrib, limit, base};
}

/* The state of a CPU after INIT (real mode at f000:fff0); the VMM sets what it wants in the
   startup event. */
static void vmcb_reset(struct vmcb *v)
{
    seg(&v->cs, 0xf000, 0x009b, 0xffff, 0xffff0000);
    seg(&v->ds, 0, 0x0093, 0xffff, 0);
    v->es = v->ss = v->fs = v->gs = v->ds;
    seg(&v->gdtr, 0, 0, 0xffff, 0);
    v->idtr = v->gdtr;
    seg(&v->ldtr, 0, 0x0082, 0xffff, 0);
    seg(&v->tr, 0, 0x008b, 0xffff, 0);
    v->cr0 = 0x10;                  /* ET */
    v->efer = EFER_SVME;            /* required by VMRUN; hidden from the guest by the MSR map */
    v->rflags = 0x2;
    v->rip = 0xfff0;
    v->dr6 = 0xffff0ff0;
    v->dr7 = 0x400;
    v->g_pat = 0x0007040600070406ull;
}

int svm_vcpu_create(struct ec *ec, bool tsc_offset)
{
    struct pd *pd = ec->pd;
    struct vcpu *vc = &ec->vcpu;
    if (space_gst_init(pd) < 0 || !(vc->vmcb = quota_page_alloc(&pd->quota, 0)))
        return -1;
    struct vmcb *v = vc->vmcb;
    v->misc1 = SVM_FORCED_MISC1;
    v->misc2 = SVM_FORCED_MISC2;
    v->iopm_pa = virt_to_phys(pd->gst.iopm);
    v->msrpm_pa = virt_to_phys(pd->gst.msrpm);
    static unsigned next_asid[MAX_CPUS];
    vc->asid = 1 + next_asid[ec->cpu]++ % (nasid - 1);
    v->asid = vc->asid;
    v->np_enable = 1;
    v->n_cr3 = virt_to_phys(pd->gst.npt);
    v->int_ctl = SVM_INT_V_INTR_MASKING;
    vc->tsc_offset = tsc_offset;
    vc->xcr0 = fpu_xcr0() ? XCR0_RESET : 0;
    if (tsc_offset) /* T = 1: the guest's TSC counts from the creation of the vCPU */
        v->tsc_offset = (uint64_t)0 - rdtsc();
    vc->flush = true;
    vmcb_reset(v);
    return 0;
}

void svm_vcpu_destroy(struct ec *ec)
{
    for (unsigned c = 0; c < MAX_CPUS; c++)
        for (unsigned a = 0; a < 64; a++)
            if (asid_owner[c][a] == ec)
                asid_owner[c][a] = NULL;
    quota_page_free(&ec->pd->quota, ec->vcpu.vmcb, 0);
}

/* Flush the guest TLB when the ASID was last used by someone else or the mappings shrank. */
static void prepare_tlb(struct ec *ec, unsigned cpu)
{
    struct vcpu *vc = &ec->vcpu;
    uint64_t gen = __atomic_load_n(&ec->pd->gst.tlb_gen, __ATOMIC_ACQUIRE);
    bool flush = vc->flush || vc->tlb_gen != gen || asid_owner[cpu][vc->asid] != ec;
    vc->vmcb->tlb_control = flush ? 1 : 0;
    vc->tlb_gen = gen;
    vc->flush = false;
    asid_owner[cpu][vc->asid] = ec;
}

/* An exit the kernel handles itself (a host interrupt or NMI) may have interrupted the delivery
   of an event the VMM injected: deliver it again at the next VMRUN, or it is lost. Software
   interrupts are left out: RIP still points at the INT instruction, which runs again. */
static void reinject(struct vmcb *v)
{
    uint32_t e = v->exitintinfo;
    unsigned type = (e & SVM_EVT_TYPE_MASK) >> SVM_EVT_TYPE_SHIFT, vec = e & SVM_EVT_VECTOR_MASK;
    if (!(e & SVM_EVT_V) || type == SVM_EVT_TYPE_SOFT) {
        v->eventinj = 0;
        return;
    }
    if (type == SVM_EVT_TYPE_EXC && vec == 2) /* QEMU reports NMIs and interrupts as exceptions */
        type = SVM_EVT_TYPE_NMI;
    else if (type == SVM_EVT_TYPE_EXC && vec >= 32)
        type = SVM_EVT_TYPE_INTR;
    v->eventinj = vec | type << SVM_EVT_TYPE_SHIFT | (e & SVM_EVT_EV) | SVM_EVT_V;
    v->eventinj_err = v->exitintinfo_err;
    v->exitintinfo = 0; /* now pending in EVENTINJ: a recall before VMRUN reports it from there */
}

void svm_vcpu_run(struct ec *ec)
{
    struct percpu *c = this_cpu();
    struct vmcb *v = ec->vcpu.vmcb;
    for (;;) {
        prepare_tlb(ec, c->id);
        /* VMRUN switches no XCR0: the guest's goes in and comes out by hand. QEMU cannot
           intercept XSETBV, so the guest may have changed it; it never stays for the host. */
        uint64_t host_xcr0 = fpu_xcr0();
        if (ec->vcpu.xcr0 != host_xcr0)
            xcr0_set(ec->vcpu.xcr0);
        svm_enter(virt_to_phys(v), &ec->regs, host_save_pa[c->id]);
        if (host_xcr0) {
            ec->vcpu.xcr0 = xcr0_get();
            if (ec->vcpu.xcr0 != host_xcr0)
                xcr0_set(host_xcr0); /* before anything saves FPU state with the host's components */
        }
        uint64_t code = v->exitcode;
        if ((uint32_t)code == SVM_EXIT_INTR) {
            reinject(v);
            __asm__ volatile("sti; nop; cli" ::: "memory"); /* take it in the kernel */
            if (sched_need_resched() || ec->recall) {
                ec->cont = vcpu_run;
                schedule(); /* ec_resume raises a pending recall */
            }
            continue;
        }
        if ((uint32_t)code == SVM_EXIT_NMI) {
            reinject(v);
            continue;
        }
        ec->cont = vcpu_run;
        ipc_event(ec, nova_svm_exit_event(code));
    }
}
