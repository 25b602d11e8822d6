/* SPDX-License-Identifier: MIT */
/* Exceptions and interrupts: kernel faults dump registers and stop; user faults end the EC. */

#include "core/console.h"
#include "core/ec.h"
#include "core/ipc.h"
#include "core/irq.h"

#include <nova/selectors.h>
#include "core/sched.h"
#include "x86/iommu.h"
#include "x86/lapic.h"
#include "x86/tlb.h"
#include "x86/cpu.h"
#include "x86/percpu.h"
#include "x86/regs.h"

#include <format.h>
#include <stdbool.h>

__attribute__((noreturn)) void ret_user_iret(struct cpu_regs *frame);

#define VEC_NMI         2
#define VEC_DF          8
#define VEC_CSO         9
#define VEC_PF          14
#define VEC_RSVD15      15
#define VEC_LAST_EVENT  21
#define VEC_FIRST_IRQ   32

static const char *const exc_names[VEC_FIRST_IRQ] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow", "#BR bound range",
    "#UD invalid opcode", "#NM device not available", "#DF double fault", "coprocessor overrun",
    "#TS invalid TSS", "#NP segment not present", "#SS stack fault", "#GP general protection",
    "#PF page fault", "reserved 15", "#MF x87 error", "#AC alignment check", "#MC machine check",
    "#XM SIMD error", "#VE virtualization", "#CP control protection",
};

static const char *exc_name(uint64_t v)
{
    return v < VEC_FIRST_IRQ && exc_names[v] ? exc_names[v] : "reserved";
}

static void dump(const struct cpu_regs *r)
{
    kprintf("  rip=%016lx cs=%04lx rflags=%016lx rsp=%016lx ss=%04lx err=%#lx\n", r->rip, r->cs, r->rflags,
            r->rsp, r->ss, r->error);
    kprintf("  rax=%016lx rbx=%016lx rcx=%016lx rdx=%016lx\n", r->rax, r->rbx, r->rcx, r->rdx);
    kprintf("  rsi=%016lx rdi=%016lx rbp=%016lx r8 =%016lx\n", r->rsi, r->rdi, r->rbp, r->r8);
    kprintf("  r9 =%016lx r10=%016lx r11=%016lx r12=%016lx\n", r->r9, r->r10, r->r11, r->r12);
    kprintf("  r13=%016lx r14=%016lx r15=%016lx cr2=%016lx cr3=%016lx\n", r->r13, r->r14, r->r15, get_cr2(),
            get_cr3());
}

/* Interrupts: end the interrupt and let the scheduler look at timeouts, budgets and new work. */
static void interrupt(uint64_t vector)
{
    if (vector == VEC_SPURIOUS)
        return;
    /* A device interrupt first: a level-triggered pin is masked before the EOI, which would
       otherwise have the IOAPIC deliver it again at once. */
    if (vector >= IRQ_VECTOR_BASE && vector < IRQ_VECTOR_BASE + NOVA_INT_VECTORS)
        irq_handle((unsigned)vector);
    lapic_eoi();
    if (vector == VEC_TIMER || vector == VEC_IPI_RESCHED)
        sched_tick();
    else if (vector == VEC_IPI_TLB)
        tlb_flush_pending();
    else if (vector == IOMMU_VEC_FAULT)
        iommu_faults();
}

/* Called by entry.S for anything taken in kernel mode. Returns only for interrupts. */
void exc_handler_kernel(struct cpu_regs *r);
void exc_handler_kernel(struct cpu_regs *r)
{
    if (r->vector >= VEC_FIRST_IRQ) {
        interrupt(r->vector);
        return;
    }
    console_handover_revoke();
    kprintf("nova: panic: %s (vector %lu) in the kernel on CPU %u\n", exc_name(r->vector), r->vector,
            this_cpu()->id);
    dump(r);
    cpu_stop();
}

/* Host exceptions a thread never sees as events (spec 8.6.1): NMI, #DF, 9, 15 and 22 up. */
static bool deliverable(uint64_t v)
{
    return v != VEC_NMI && v != VEC_DF && v != VEC_CSO && v != VEC_RSVD15 && v <= VEC_LAST_EVENT;
}

/* Called by entry.S for anything taken in user mode, on the kernel stack. */
__attribute__((noreturn)) void exc_handler_user(struct cpu_regs *r);
void exc_handler_user(struct cpu_regs *r)
{
    struct ec *ec = this_cpu()->current;
    if (r != &ec->regs) { /* NMI, #DF or #MC on the fault stack */
        if (r->vector == VEC_NMI)
            ret_user_iret(r);
        console_handover_revoke();
        kprintf("nova: panic: %s (vector %lu) while in user mode\n", exc_name(r->vector), r->vector);
        dump(r);
        cpu_stop();
    }
    ec->cont = ec_ret_iret;
    if (r->vector >= VEC_FIRST_IRQ) { /* even for a dead EC: the EOI, and a shootdown's flush, must happen */
        interrupt(r->vector);
        schedule();
    }
    if (ec->dead)
        schedule(); /* destroyed on another CPU while it ran here */
    if (r->vector == VEC_PF)
        ec->fault_addr = get_cr2();
    if (!deliverable(r->vector)) {
        char why[96];
        snprintf(why, sizeof(why), "%s at rip=%#lx", exc_name(r->vector), r->rip);
        ec_kill(ec, why);
    }
    ipc_event(ec, (unsigned)r->vector);
}
