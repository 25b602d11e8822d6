/* SPDX-License-Identifier: MIT */
/* What one CPU loses in a sleep state: its control registers, MSRs, local APIC, QOS and TSC. */

#include "x86/suspend_cpu.h"
#include "x86/cpu.h"
#include "x86/fpu.h"
#include "x86/gdt.h"
#include "x86/idt.h"
#include "x86/lapic.h"
#include "x86/paging.h"
#include "x86/percpu.h"
#include "x86/qos.h"
#include "x86/smp_layout.h"
#include "x86/tlb.h"
#include "x86/vcpu.h"
#include "x86/vmcb.h"

#define MSR_TSC          0x10
#define LAPIC_VERSION    0x030
#define LAPIC_ESR        0x280
#define LVT_MAX_SHIFT    16
#define LVT_MAX_THERMAL  5      /* highest LVT index when the thermal LVT exists */
#define LAPIC_SVR        0x0f0
#define LAPIC_LVT_THERMAL 0x330

/* Local APIC registers the kernel (or the firmware before it) programs, in restore order.
   The spurious-vector register goes last: with the APIC software-disabled, LVT writes keep
   their mask bit set. */
static const uint16_t lapic_regs[] = {
    0x0e0, /* DFR */
    0x0d0, /* LDR */
    0x080, /* TPR */
    0x3e0, /* timer divide configuration */
    0x320, /* LVT timer */
    0x340, /* LVT performance counters */
    0x350, /* LVT LINT0 */
    0x360, /* LVT LINT1 */
    0x370, /* LVT error */
    LAPIC_SVR,
};
#define NLAPIC (sizeof(lapic_regs) / sizeof(lapic_regs[0]))

static struct cpu_saved {
    uint64_t cr0, cr4, efer, hsave;
    uint32_t lapic[NLAPIC];
    uint32_t lvt_thermal;
    bool thermal;
} saved[MAX_CPUS];

static int64_t tsc_delta;   /* add to a CPU's TSC after wakeup so the STC continues where it stopped */
static uint64_t tsc_saved;

void suspend_cpu_quiesce(struct percpu *c)
{
    fpu_save_cpu();
    c->current = NULL;
    tlb_activate_guest(c, NULL);
    tlb_activate(c, NULL); /* CR3 = the kernel's table, which is what the trampoline loads */

    struct cpu_saved *s = &saved[c->id];
    s->cr0 = get_cr0();
    s->cr4 = get_cr4();
    s->efer = rdmsr(MSR_EFER);
    if (vcpu_backend() == VCPU_SVM)
        s->hsave = rdmsr(MSR_VM_HSAVE_PA);
    for (unsigned i = 0; i < NLAPIC; i++)
        s->lapic[i] = lapic_read(lapic_regs[i]);
    s->thermal = (lapic_read(LAPIC_VERSION) >> LVT_MAX_SHIFT & 0xff) >= LVT_MAX_THERMAL;
    if (s->thermal)
        s->lvt_thermal = lapic_read(LAPIC_LVT_THERMAL);
    __asm__ volatile("wbinvd" ::: "memory"); /* caches lose their contents in S2 and S3 */
}

void suspend_cpu_restore(struct percpu *c)
{
    struct cpu_saved *s = &saved[c->id];
    idt_load();
    gdt_load(c); /* GS base, TSS and the SYSCALL MSRs; the TSS's I/O bitmap starts empty */
    c->iobm_pd = NULL;
    paging_init_cpu();
    fpu_init_cpu();
    set_cr0(s->cr0); /* also undoes the caching-disabled CR0 of a CPU that came out of INIT */
    set_cr4(s->cr4);
    wrmsr(MSR_EFER, s->efer);
    if (vcpu_backend() == VCPU_SVM)
        wrmsr(MSR_VM_HSAVE_PA, s->hsave);

    lapic_init();
    for (unsigned i = 0; i < NLAPIC; i++)
        lapic_write(lapic_regs[i], s->lapic[i]);
    if (s->thermal)
        lapic_write(LAPIC_LVT_THERMAL, s->lvt_thermal);
    lapic_write(LAPIC_ESR, 0);
    qos_resume_cpu();

    /* The STC keeps its value across a shallow sleep state (spec 3.1). */
    wrmsr(MSR_TSC, (uint64_t)((int64_t)rdtsc() + tsc_delta));
}

void suspend_tsc_save(void)
{
    tsc_saved = rdtsc();
}

void suspend_tsc_wakeup(void)
{
    tsc_delta = (int64_t)(tsc_saved - rdtsc());
}
