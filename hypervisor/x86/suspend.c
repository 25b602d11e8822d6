/* SPDX-License-Identifier: MIT */
/* Shallow sleep states S1-S3 (ctrl_hw OP 0): park every CPU, sleep, and bring the machine back. */

#include "x86/suspend.h"
#include "core/console.h"
#include "core/ec.h"
#include "core/memory.h"
#include "core/sched.h"
#include "x86/acpi_pm.h"
#include "x86/acpi_tables.h"
#include "x86/cpu.h"
#include "x86/iommu.h"
#include "x86/ioapic.h"
#include "x86/lapic.h"
#include "x86/paging.h"
#include "x86/percpu.h"
#include "x86/pic.h"
#include "x86/smp.h"
#include "x86/smp_layout.h"
#include "x86/suspend_cpu.h"
#include "x86/tlb.h"
#include "x86/tsc.h"
#include "x86/vcpu.h"

#include <nova/status.h>
#include <string.h>

/* Firmware ACPI control structure (ACPI specification, FACS). */
#define FACS_OFF_LENGTH     4
#define FACS_OFF_WAKE       12      /* 32-bit firmware waking vector: real mode at CS = vector >> 4 */
#define FACS_OFF_X_WAKE     24      /* 64-bit vector (ACPI 2.0+); 0 selects the 32-bit one */
#define FACS_MIN_LENGTH     64

#define PARK_TIMEOUT_US     2000000 /* for every CPU to reach schedule(): TCG is slow to switch */
#define ENTRY_TIMEOUT_US    2000000 /* for the platform to act on SLP_EN */

enum state { IDLE, PARKING, RESUMING };

static struct {
    int busy;                   /* claimed by one caller from suspend_enter until the end */
    int state;                  /* enum state, read by every CPU in suspend_point */
    unsigned s, slp_typa, slp_typb;
    struct ec *caller;
    unsigned parked;            /* APs that have saved their state and spin in park() */
    unsigned aps;               /* how many must: the APs that are online */
} req;

static uint8_t low_page[PAGE_SIZE]; /* what the trampoline page held: it is not ours */

static uint8_t *facs(void)
{
    if (!acpi.facs || acpi.facs >= DIRECT_MAP_SIZE)
        return NULL;
    uint8_t *f = phys_to_virt(acpi.facs);
    uint32_t len;
    memcpy(&len, f + FACS_OFF_LENGTH, sizeof(len));
    return !memcmp(f, "FACS", 4) && len >= FACS_MIN_LENGTH ? f : NULL;
}

static void facs_set_vector(uint32_t phys)
{
    uint8_t *f = facs();
    *(volatile uint32_t *)(f + FACS_OFF_WAKE) = phys;
    *(volatile uint64_t *)(f + FACS_OFF_X_WAKE) = 0;
}

static void set_state(enum state s)
{
    __atomic_store_n(&req.state, s, __ATOMIC_RELEASE);
}

/* Spin until the BSP lets us go; keep answering TLB shootdowns (a CPU that has not reached
   its suspend point yet may wait for us). */
static void wait_idle(void)
{
    while (__atomic_load_n(&req.state, __ATOMIC_ACQUIRE) != IDLE) {
        tlb_flush_pending();
        cpu_pause();
    }
}

/* The transition is over: the caller's hypercall returns status, every CPU runs again. */
static void finish(unsigned status)
{
    /* The caller cannot have run since suspend_enter, and its memory cannot have gone: this
       CPU has not passed an RCU quiescent point since then. */
    if (status != NOVA_SUCCESS)
        req.caller->regs.rdi = status;
    kprintf("nova: S%u %s\n", req.s, status == NOVA_SUCCESS ? "left" : "not entered or CPUs did not stop");
    set_state(IDLE);
    __atomic_store_n(&req.busy, 0, __ATOMIC_RELEASE);
}

static void undo_wakeup_path(void)
{
    facs_set_vector(0);
    paging_identity_low(0);
    memcpy(phys_to_virt(TRAMPOLINE_PHYS), low_page, PAGE_SIZE);
}

static __attribute__((noreturn)) void wake_ap(struct percpu *c)
{
    suspend_cpu_restore(c);
    __atomic_store_n(&c->online, 1, __ATOMIC_RELEASE);
    schedule(); /* waits in suspend_point until the BSP has finished */
}

/* The firmware's waking vector leads here through the trampoline, on the BSP's kernel stack;
   what ran on this stack before the sleep is gone, and nothing needs it (continuations). */
static __attribute__((noreturn)) void wake_bsp(struct percpu *c)
{
    suspend_tsc_wakeup();
    suspend_cpu_restore(c);
    pic_disable();
    ioapic_resume();
    iommu_resume();
    acpi_pm_clear_wake();
    set_state(RESUMING);
    unsigned back = 1;
    for (unsigned i = 1; i < cpu_count; i++) {
        if (!__atomic_exchange_n(&cpus[i]->online, 0, __ATOMIC_RELAXED))
            continue; /* lost in an earlier wakeup */
        if (smp_start_cpu(cpus[i], wake_ap))
            back++;
        else { /* it holds no kernel object any more: RCU must not wait for it */
            __atomic_store_n(&cpus[i]->idle, 1, __ATOMIC_RELEASE);
            kprintf("nova: warning: CPU %u (APIC ID %u) did not come back\n", i, cpus[i]->apic_id);
        }
    }
    kprintf("nova: %u of %u CPUs back\n", back, cpu_count);
    undo_wakeup_path();
    finish(NOVA_SUCCESS);
    schedule();
}

/* On the BSP with every other CPU parked: sleep. Returns when the platform did not sleep or
   woke up from a state that kept the CPUs' context (then nothing was lost). */
static unsigned sleep_platform(struct percpu *c)
{
    memcpy(low_page, phys_to_virt(TRAMPOLINE_PHYS), PAGE_SIZE);
    smp_trampoline_install();
    smp_trampoline_target(c, wake_bsp);
    paging_identity_low(1);
    facs_set_vector(TRAMPOLINE_PHYS);
    acpi_pm_clear_wake();
    kprintf("nova: entering S%u\n", req.s);
    suspend_tsc_save();
    __asm__ volatile("wbinvd" ::: "memory");
    acpi_pm_sleep(req.slp_typa, req.slp_typb);

    uint64_t end = rdtsc() + tsc_hz / 1000000 * ENTRY_TIMEOUT_US;
    bool woke;
    while (!(woke = acpi_pm_woke()) && rdtsc() < end)
        cpu_pause();
    woke = woke || acpi_pm_woke(); /* the deadline may have passed while the CPU was stopped */
    acpi_pm_clear_wake();
    undo_wakeup_path();
    return woke ? NOVA_SUCCESS : NOVA_ABORTED;
}

static void park(void)
{
    __atomic_fetch_add(&req.parked, 1, __ATOMIC_RELEASE);
    wait_idle();
}

static unsigned wait_parked(void)
{
    uint64_t end = rdtsc() + tsc_hz / 1000000 * PARK_TIMEOUT_US;
    while (__atomic_load_n(&req.parked, __ATOMIC_ACQUIRE) < req.aps) {
        if (rdtsc() > end)
            return NOVA_ABORTED;
        tlb_flush_pending();
        cpu_pause();
    }
    return NOVA_SUCCESS;
}

void suspend_point(void)
{
    enum state st = __atomic_load_n(&req.state, __ATOMIC_ACQUIRE);
    if (st == IDLE)
        return;
    if (st == RESUMING) {
        wait_idle();
        return;
    }
    struct percpu *c = this_cpu();
    suspend_cpu_quiesce(c);
    if (c->id != 0) {
        park();
        return;
    }
    unsigned status = wait_parked();
    if (status == NOVA_SUCCESS)
        status = sleep_platform(c);
    finish(status);
}

unsigned suspend_enter(unsigned s, unsigned slp_typa, unsigned slp_typb)
{
    if (!acpi_pm_present() || !facs())
        return NOVA_BAD_FTR;
    if (vcpu_backend() == VCPU_VMX)
        return NOVA_BAD_FTR; /* the VMX backend cannot take its VMCSs through a power loss yet */
    int expected = 0;
    if (!__atomic_compare_exchange_n(&req.busy, &expected, 1, false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
        return NOVA_ABORTED;

    struct percpu *c = this_cpu();
    struct ec *ec = c->current;
    ec->regs.rdi = NOVA_SUCCESS; /* as ec_sys_finish: this is what the call returns after wakeup */
    ec->cont = ec_ret_sysret;
    req.caller = ec;
    req.s = s;
    req.slp_typa = slp_typa;
    req.slp_typb = slp_typb;
    req.parked = 0;
    req.aps = 0;
    for (unsigned i = 1; i < cpu_count; i++)
        req.aps += __atomic_load_n(&cpus[i]->online, __ATOMIC_ACQUIRE) != 0; /* not one lost in a wakeup */
    set_state(PARKING);
    for (unsigned i = 0; i < cpu_count; i++)
        if (i != c->id && __atomic_load_n(&cpus[i]->online, __ATOMIC_ACQUIRE))
            lapic_send_ipi(cpus[i]->apic_id, VEC_IPI_RESCHED); /* into the kernel, to schedule() */
    schedule();
}
