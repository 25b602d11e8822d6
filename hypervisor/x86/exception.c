/* SPDX-License-Identifier: MIT */
/* Exceptions and interrupts: kernel faults dump registers and stop; user faults end the EC. */

#include "core/console.h"
#include "core/ec.h"
#include "x86/cpu.h"
#include "x86/percpu.h"
#include "x86/regs.h"

#include <format.h>

#define VEC_PF          14
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

/* Called by entry.S for anything taken in kernel mode. Returns only for interrupts. */
void exc_handler_kernel(struct cpu_regs *r);
void exc_handler_kernel(struct cpu_regs *r)
{
    if (r->vector >= VEC_FIRST_IRQ)
        return; /* no device interrupts are unmasked yet; ignore strays */
    kprintf("nova: panic: %s (vector %lu) in the kernel on CPU %u\n", exc_name(r->vector), r->vector,
            this_cpu()->id);
    dump(r);
    cpu_stop();
}

/* Called by entry.S for anything taken in user mode, on the kernel stack. Event portals come
   with the full IPC path; until then a faulting EC is killed, and only that EC. */
__attribute__((noreturn)) void exc_handler_user(struct cpu_regs *r);
void exc_handler_user(struct cpu_regs *r)
{
    struct ec *ec = this_cpu()->current;
    if (r->vector >= VEC_FIRST_IRQ) {
        ec->cont = ec_ret_iret;
        ec_resume(ec);
    }
    if (r != &ec->regs) { /* NMI, #DF or #MC on the fault stack */
        kprintf("nova: panic: %s (vector %lu) while in user mode\n", exc_name(r->vector), r->vector);
        dump(r);
        cpu_stop();
    }
    char why[96];
    snprintf(why, sizeof(why), "%s at rip=%#lx err=%#lx%s", exc_name(r->vector), r->rip, r->error,
             r->vector == VEC_PF ? " (see cr2)" : "");
    kprintf("nova: user exception: %s cr2=%#lx\n", why, get_cr2());
    dump(r);
    ec_kill(ec, why);
}
