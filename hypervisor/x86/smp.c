/* SPDX-License-Identifier: MIT */
/* Start the application processors listed in the MADT. */

#include "x86/smp.h"
#include "core/console.h"
#include "core/memory.h"
#include "core/sched.h"
#include "x86/acpi_tables.h"
#include "x86/cpu.h"
#include "x86/fpu.h"
#include "x86/gdt.h"
#include "x86/idt.h"
#include "x86/lapic.h"
#include "x86/paging.h"
#include "x86/percpu.h"
#include "x86/smp_layout.h"
#include "x86/timer.h"
#include "x86/vcpu.h"
#include "x86/tsc.h"

#include <multiboot.h>
#include <string.h>

#define AP_START_TIMEOUT_US 1000000 /* TCG can be slow to schedule a new vCPU */
#define AP_START_ATTEMPTS   3

struct trampoline_params {
    uint64_t cr3, efer, stack, entry, arg;
};

extern const char trampoline_start[], trampoline_end[];

static __attribute__((noreturn)) void ap_main(struct percpu *c)
{
    idt_load();
    gdt_load(c);
    paging_init_cpu();
    fpu_init_cpu();
    vcpu_init_cpu();
    lapic_init();
    timer_init();
    __atomic_store_n(&c->online, 1, __ATOMIC_RELEASE);
    schedule(); /* the idle loop until work arrives */
}

/* The trampoline page must be free RAM that holds neither boot information nor a module. */
static int trampoline_page_free(const struct mb_info *mb)
{
    uint64_t lo = TRAMPOLINE_PHYS, hi = TRAMPOLINE_PHYS + PAGE_SIZE;
    if (mb->info_start < hi && lo < mb->info_end)
        return 0;
    for (unsigned i = 0; i < mb->nmods; i++)
        if (mb->mods[i].start < hi && lo < mb->mods[i].end)
            return 0;
    for (unsigned i = 0; i < mb->nmem; i++)
        if (mb->mem[i].type == MB_MEM_AVAILABLE && mb->mem[i].base <= lo && mb->mem[i].base + mb->mem[i].len >= hi)
            return 1;
    return 0;
}

static int wait_online(struct percpu *c)
{
    uint64_t end = rdtsc() + tsc_hz / 1000000 * AP_START_TIMEOUT_US;
    while (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE))
        if (rdtsc() > end)
            return 0;
        else
            cpu_pause();
    return 1;
}

void smp_trampoline_install(void)
{
    char *page = phys_to_virt(TRAMPOLINE_PHYS);
    memcpy(page, trampoline_start, (size_t)(trampoline_end - trampoline_start));
    struct trampoline_params *p = (struct trampoline_params *)(page + TRAMPOLINE_PARAMS);
    p->cr3 = virt_to_phys(boot_pml4);
    p->efer = rdmsr(MSR_EFER);
}

void smp_trampoline_target(struct percpu *c, void (*entry)(struct percpu *))
{
    struct trampoline_params *p = phys_to_virt(TRAMPOLINE_PHYS + TRAMPOLINE_PARAMS);
    p->stack = c->kstack_top;
    p->entry = (uint64_t)entry;
    p->arg = (uint64_t)c;
}

/* Another INIT-SIPI-SIPI when the first did not take: firmware may have sent the AP its own
   start-up sequence just before (SeaBIOS does on S3 resume), and under QEMU an INIT that
   arrives while the previous one is still pending is merged with it, so our SIPIs find the AP
   running the firmware's code. */
bool smp_start_cpu(struct percpu *c, void (*entry)(struct percpu *))
{
    smp_trampoline_target(c, entry);
    for (unsigned i = 0; i < AP_START_ATTEMPTS; i++) {
        lapic_start_ap(c->apic_id, TRAMPOLINE_PHYS >> PAGE_SHIFT);
        if (wait_online(c))
            return true;
    }
    return false;
}

void smp_boot(const struct mb_info *mb)
{
    uint32_t self = lapic_id();
    cpus[0]->apic_id = self;
    if (acpi.ncpus <= 1)
        return;
    if (!trampoline_page_free(mb)) {
        kprintf("nova: warning: page %#x is not free, application processors stay off\n", TRAMPOLINE_PHYS);
        return;
    }
    smp_trampoline_install();
    paging_identity_low(1);

    for (unsigned i = 0; i < acpi.ncpus && cpu_count < MAX_CPUS; i++) {
        if (acpi.apic_id[i] == self)
            continue;
        struct percpu *c = percpu_create(cpu_count, acpi.apic_id[i]);
        if (!c) {
            kprintf("nova: warning: out of memory for CPU with APIC ID %u\n", acpi.apic_id[i]);
            break;
        }
        if (!smp_start_cpu(c, ap_main)) {
            kprintf("nova: warning: CPU with APIC ID %u did not start\n", acpi.apic_id[i]);
            continue; /* its memory stays allocated: the CPU might still wake up and use it */
        }
        cpus[cpu_count++] = c;
    }
    paging_identity_low(0);
}
