/* SPDX-License-Identifier: MIT */
/* Cases: S3 suspend to RAM and wakeup (ctrl_hw OP 0, spec 5.5.1), when the command line has
   "s3": the harness (tests/e2e/test_power.py) sees QEMU suspended and sends system_wakeup.
   Threads that spin on the other CPUs during the sleep, an FPU state left in the registers, an
   interrupt routed before the sleep and the timer must all work afterwards. */

#include "cases.h"
#include "suspend_vm.h"
#include <res.h>
#include <suite.h>

#include <cmos_clock.h>
#include <hc.h>
#include <nova/descriptors.h>
#include <nova/selectors.h>
#include <portio.h>
#include <thread.h>
#include <words.h>

#define NOVA NOVA_SEL_PD_NOVA
#define ROOT NOVA_SEL_PD_ROOT

/* Test fixture until the root task interprets AML: QEMU's DSDT declares
   Name (_S3, Package () {1, 1, 0, 0}) on both q35 (ICH9) and pc (PIIX4) when S3 is enabled
   (-global ICH9-LPC.disable_s3=0 or PIIX4_PM.disable_s3=0; QEMU hw/i386/acpi-build.c), and
   its PM1 control block suspends on SLP_TYP 1. */
#define QEMU_S3_SLP_TYPA 1
#define QEMU_S3_SLP_TYPB 1

#define MAX_WORKERS     16
#define STACK_SIZE      4096
#define RTC_A           0x0a
#define RTC_B           0x0b
#define RTC_C           0x0c
#define RTC_B_PIE       0x40
#define RTC_RATE_16HZ   0x0c
#define RTC_GSI         8
#define WAKEUP_WAIT_MS  120000  /* the harness wakes the machine up; QEMU may be slow */
#define PCI_ADDR        0xcf8
#define PCI_DATA        0xcfc
#define PCI_FUNCS       256     /* bus 0 */
#define PCI_COMMAND     0x04
#define PCI_BAR0        0x10
#define PCI_NBARS       6
#define PCI_HDR_TYPE    0x0c    /* dword with the header type in bits 23:16 */
#define PCI_INT_LINE    0x3c
/* Fixture: QEMU resets the q35 ICH9 LPC bridge on wakeup and SeaBIOS does not restore where it
   decodes the ACPI PM block (PMBASE, ACPI_CNTL), which firmware on real hardware does. */
#define ICH9_LPC_ID     0x29188086u
#define ICH9_PMBASE     0x40
#define ICH9_ACPI_CNTL  0x44

struct worker {
    volatile uint64_t count;    /* incremented while spinning in user mode */
    volatile int go;            /* stop spinning and check the FPU state */
    volatile int fpu;           /* 1: XMM0 kept its value, 2: it did not */
    volatile int sleep;         /* call ctrl_hw S3 from here, then spin again */
    volatile unsigned status;   /* what that call returned */
    volatile int done;          /* the call has returned */
    volatile int quit;          /* stop for good */
    uint64_t block_sm;
};

static struct worker workers[MAX_WORKERS];
/* Own stacks: the shared pool (res.h) is sized for the rest of the suite. */
static uint8_t worker_stacks[MAX_WORKERS][STACK_SIZE] __attribute__((aligned(16)));

/* The root task's side of a sleep (spec 5.5.1: devices back to D0 after wakeup is the caller's
   job): the command register, BARs and interrupt line of every PCI function on bus 0, which
   the platform reset on wakeup. The firmware restores the chipset's own registers. */
static struct pci_saved {
    uint32_t command, bar[PCI_NBARS], int_line, pmbase, acpi_cntl;
    bool present, ich9_lpc;
} pci[PCI_FUNCS];

static uint32_t pci_read(unsigned bdf, unsigned reg)
{
    outl(PCI_ADDR, 0x80000000u | bdf << 8 | reg);
    return inl(PCI_DATA);
}

static void pci_write(unsigned bdf, unsigned reg, uint32_t v)
{
    outl(PCI_ADDR, 0x80000000u | bdf << 8 | reg);
    outl(PCI_DATA, v);
}

static void pci_save(void)
{
    hc_ctrl_pd(NOVA, ROOT, PCI_ADDR, PCI_ADDR, 3, NOVA_PERM_PIO_A, NOVA_SPC_PIO, NOVA_ACC_CPU_HST, 0);
    for (unsigned bdf = 0; bdf < PCI_FUNCS; bdf++) {
        struct pci_saved *p = &pci[bdf];
        p->present = (pci_read(bdf, 0) & 0xffff) != 0xffff && !(pci_read(bdf, PCI_HDR_TYPE) >> 16 & 0x7f);
        if (!p->present)
            continue;
        p->command = pci_read(bdf, PCI_COMMAND) & 0xffff;
        for (unsigned i = 0; i < PCI_NBARS; i++)
            p->bar[i] = pci_read(bdf, PCI_BAR0 + 4 * i);
        p->int_line = pci_read(bdf, PCI_INT_LINE);
        p->ich9_lpc = pci_read(bdf, 0) == ICH9_LPC_ID;
        if (p->ich9_lpc) {
            p->pmbase = pci_read(bdf, ICH9_PMBASE);
            p->acpi_cntl = pci_read(bdf, ICH9_ACPI_CNTL);
        }
    }
}

static void pci_restore(void)
{
    for (unsigned bdf = 0; bdf < PCI_FUNCS; bdf++) {
        struct pci_saved *p = &pci[bdf];
        if (!p->present)
            continue;
        for (unsigned i = 0; i < PCI_NBARS; i++)
            pci_write(bdf, PCI_BAR0 + 4 * i, p->bar[i]);
        pci_write(bdf, PCI_INT_LINE, p->int_line);
        pci_write(bdf, PCI_COMMAND, p->command);
        if (p->ich9_lpc) {
            pci_write(bdf, ICH9_PMBASE, p->pmbase);
            pci_write(bdf, ICH9_ACPI_CNTL, p->acpi_cntl);
        }
    }
}

static unsigned s3(void)
{
    uint64_t desc = nova_ctrl_hw_sleep(3, QEMU_S3_SLP_TYPA, QEMU_S3_SLP_TYPB);
    pci_save();
    unsigned st = hc_raw(nova_hc_id(NOVA_CTRL_HW, NOVA_CTRL_HW_SLEEP, desc), 0, 0, 0, 0, 0);
    if (st == NOVA_SUCCESS)
        pci_restore();
    return st;
}

static void set_xmm0(uint64_t v)
{
    __asm__ volatile("movq %0, %%xmm0" ::"r"(v)); /* no clobber: user code is built without SSE */
}

static uint64_t get_xmm0(void)
{
    uint64_t v;
    __asm__ volatile("movq %%xmm0, %0" : "=r"(v));
    return v;
}

static uint64_t pattern(uint64_t cpu)
{
    return 0x5a5a000000000000ull | cpu << 8 | 0x33;
}

/* On its CPU: XMM0 holds a pattern while the thread spins (the sleep interrupts it in user
   mode with its FPU state in the registers); then it checks the pattern and, if asked, calls
   ctrl_hw itself. */
static void worker(void *arg)
{
    uint64_t cpu = (uint64_t)arg;
    struct worker *w = &workers[cpu];
    set_xmm0(pattern(cpu));
    while (!w->go)
        w->count++;
    w->fpu = get_xmm0() == pattern(cpu) ? 1 : 2;
    while (!w->quit) {
        if (w->sleep && !w->done) {
            w->status = s3();
            w->done = 1;
        }
        w->count++;
    }
    hc_sm_down(w->block_sm, 0, 0);
}

static void start_workers(void)
{
    for (unsigned cpu = 1; cpu < cpu_num() && cpu < MAX_WORKERS; cpu++) {
        struct worker *w = &workers[cpu];
        w->block_sm = sel_alloc(1);
        hc_create_sm(w->block_sm, ROOT, 0);
        uint64_t ec = sel_alloc(1), sc = sel_alloc(1);
        uint64_t *sp = (uint64_t *)(worker_stacks[cpu] + STACK_SIZE) - 2;
        sp[0] = (uint64_t)worker;
        sp[1] = cpu;
        hc_create_ec(ec, ROOT, utcb_alloc(), cpu, (uint64_t)sp, thread_evt(cpu), NOVA_CREATE_EC_T | NOVA_CREATE_EC_F);
        hc_create_sc(sc, ROOT, ec, nova_scd(1, 10, 0));
    }
}

/* Every worker's count still moves: its CPU is back and the thread resumed where it was. */
static int workers_spin(unsigned *stuck)
{
    for (unsigned cpu = 1; cpu < cpu_num() && cpu < MAX_WORKERS; cpu++) {
        uint64_t before = workers[cpu].count;
        WAIT_UNTIL(workers[cpu].count != before, 2000);
        if (workers[cpu].count == before) {
            *stuck = cpu;
            return 0;
        }
    }
    return 1;
}


static unsigned assign_rtc(uint64_t sm, unsigned flags)
{
    return hc_raw(nova_hc_id(NOVA_ASSIGN_INT, flags, sm), 0, 0, 0, 0, 0);
}

/* The RTC's pin is routed (unmasked) before the sleep and not touched afterwards: its
   interrupt arrives only if the kernel restored the IOAPIC. The RTC itself is a device the
   root task programs again after wakeup. */
static uint64_t rtc_route(void)
{
    uint64_t sm = sel_alloc(1);
    hc_ctrl_pd(NOVA, ROOT, CMOS_INDEX, CMOS_INDEX, 1, NOVA_PERM_PIO_A, NOVA_SPC_PIO, NOVA_ACC_CPU_HST, 0);
    hc_ctrl_pd(NOVA, ROOT, NOVA_SEL_INT_BASE + RTC_GSI, sm, 0, NOVA_PERM_SM_INT, NOVA_SPC_OBJ, 0, 0);
    cmos_write(RTC_B, cmos_read(RTC_B) & ~RTC_B_PIE);
    cmos_read(RTC_C);
    assign_rtc(sm, 0);
    return sm;
}

static void rtc_check(uint64_t sm)
{
    cmos_write(RTC_A, (uint8_t)((cmos_read(RTC_A) & 0xf0) | RTC_RATE_16HZ));
    cmos_read(RTC_C);
    cmos_write(RTC_B, cmos_read(RTC_B) | RTC_B_PIE);
    EXPECT_STATUS("s3_ioapic_route_kept", hc_sm_down(sm, 0, deadline_ms(1000)), NOVA_SUCCESS);
    cmos_write(RTC_B, cmos_read(RTC_B) & ~RTC_B_PIE);
    cmos_read(RTC_C);
    assign_rtc(sm, NOVA_ASSIGN_INT_M);
}

/* The vCPU's exit count still moves. */
static bool vm_runs(void)
{
    uint64_t before = suspend_vm_exits();
    WAIT_UNTIL(suspend_vm_exits() != before, 2000);
    return suspend_vm_exits() != before;
}

static void first_sleep(void)
{
    uint64_t nap = sel_alloc(1);
    hc_create_sm(nap, ROOT, 0);
    uint64_t rtc_sm = rtc_route();
    unsigned stuck = 0;
    int spin = workers_spin(&stuck);
    suite_case("s3_workers_spin_before", spin, "the thread on cpu %u does not run", stuck);
    /* A guest in SVM on the last CPU, sharing it round robin with that CPU's worker. */
    bool vm = suspend_vm_start(cpu_num() - 1, 10);
    if (vm)
        suite_case("s3_vcpu_runs_before", vm_runs(), "no VMMCALL exits");
    else
        suite_skip("s3_vcpu_runs_before", "no SVM");

    set_xmm0(pattern(0)); /* our own FPU state, in CPU 0's registers during the sleep */
    uint64_t before = rdtsc_now();
    printf("abi: entering S3 from cpu 0\n");
    EXPECT_STATUS("ctrl_hw_s3_success", s3(), NOVA_SUCCESS);
    uint64_t after = rdtsc_now();
    uint64_t xmm0 = get_xmm0();
    printf("abi: back from S3\n");
    suite_case("s3_stc_monotonic", after >= before, "stc %#lx before, %#lx after", before, after);
    EXPECT_STATUS("s3_timeout_fires", hc_sm_down(nap, 0, deadline_ms(20)), NOVA_TIMEOUT);
    spin = workers_spin(&stuck);
    suite_case("s3_every_cpu_runs", spin, "the thread on cpu %u does not run", stuck);
    unsigned bad = xmm0 == pattern(0) ? 0 : 1;
    for (unsigned cpu = 1; cpu < cpu_num() && cpu < MAX_WORKERS; cpu++) {
        workers[cpu].go = 1;
        WAIT_UNTIL(workers[cpu].fpu, 2000);
        if (!bad && workers[cpu].fpu != 1)
            bad = cpu + 1;
    }
    suite_case("s3_fpu_state_kept", !bad, "XMM0 of the thread on cpu %u changed", bad - 1);
    if (vm)
        suite_case("s3_vcpu_runs_after", vm_runs(), "no VMMCALL exits since the wakeup");
    else
        suite_skip("s3_vcpu_runs_after", "no SVM");
    rtc_check(rtc_sm);
}

/* The sleep requested by a thread on another CPU: the BSP still does it, the call returns
   on the thread's CPU, and the root task (blocked on CPU 0 meanwhile) carries on. */
static void second_sleep(void)
{
    if (cpu_num() == 1) {
        suite_skip("ctrl_hw_s3_from_other_cpu", "one CPU");
        return;
    }
    struct worker *w = &workers[other_cpu()];
    printf("abi: entering S3 from cpu %u\n", other_cpu());
    w->sleep = 1;
    WAIT_UNTIL(w->done, WAKEUP_WAIT_MS);
    printf("abi: back from S3\n");
    suite_case("ctrl_hw_s3_from_other_cpu", w->done && w->status == NOVA_SUCCESS, "done %d status %s", w->done,
               nova_status_name(w->status));
    unsigned stuck = 0;
    int spin = workers_spin(&stuck);
    suite_case("s3_again_every_cpu_runs", spin, "the thread on cpu %u does not run", stuck);
}

void cases_suspend(const char *cmdline)
{
    if (!word_present(cmdline, "s3"))
        return;
    start_workers();
    first_sleep();
    second_sleep();
    for (unsigned cpu = 1; cpu < cpu_num() && cpu < MAX_WORKERS; cpu++)
        workers[cpu].quit = 1; /* the rest of the suite wants these CPUs */
    suspend_vm_stop();
}
