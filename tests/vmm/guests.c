/* SPDX-License-Identifier: MIT */
/* Micro-guests in long and protected mode, exception injection, the interrupt window, triple
   fault, and two VMs that cannot see each other's memory. */

#include "guests.h"
#include "vm.h"

#include <hc.h>
#include <nova/events.h>
#include <nova/mtd.h>
#include <nova/selectors.h>
#include <nova/utcb.h>
#include <res.h>
#include <stdio.h>
#include <string.h>
#include <suite.h>

#define NOVA NOVA_SEL_PD_NOVA
#define SIZE 0x200000ull
#define CODE 0x1000

static const struct exit_record *find(const struct vm *vm, unsigned ev, unsigned nth)
{
    for (unsigned i = 0; i < vm->nexits; i++)
        if (vm->exits[i].ev == ev && nth-- == 0)
            return &vm->exits[i];
    return NULL;
}

static void unmap(struct vm *vm, uint64_t gpa)
{
    hc_ctrl_pd(NOVA, vm->pd, (vm->guest_phys + gpa) >> 12, gpa >> 12, 0, 0, NOVA_SPC_MEM, NOVA_ACC_CPU_GST, 0);
}

/* The common ends of every exit handler: HLT finishes the test and ends the vCPU (so no guest
   is left spinning), anything unknown ends it too. */
static uint64_t finish(struct vm *vm, struct nova_utcb_arch *a, unsigned ev)
{
    if (ev == NOVA_EV_SVM_HLT) {
        hc_sm_up(vm->done_sm);
        return NOVA_MTD_POISON;
    }
    if (ev != NOVA_EV_GST_RECALL && ev != NOVA_EV_SVM_SHUTDOWN)
        printf("vmm: unexpected event %#x at rip %#lx, qual %#lx\n", ev, a->rip, a->qual[0]);
    hc_sm_up(vm->done_sm);
    return NOVA_MTD_POISON;
}

/* Build a VM on cpu; when it cannot be built, the case `name` fails and the caller gives up. */
static bool new_vm(struct vm *vm, const char *name, uint64_t phys, unsigned cpu, vm_exit_fn on_exit)
{
    vm->cpu = cpu;
    if (vm_create(vm, phys, SIZE, on_exit) == 0)
        return true;
    suite_case(name, 0, "vm_create failed");
    return false;
}

/* ---- long mode: identity-mapped first 2 MiB through the guest's own page tables ---- */

#define PML4 0x10000
#define MSR_EFER 0xc0000080u
static const uint8_t long_guest[] = {
    0x31, 0xc0,                                 /* 1000: xor eax, eax */
    0x0f, 0xa2,                                 /* 1002: cpuid */
    0xb9, 0x80, 0x00, 0x00, 0xc0,               /* 1004: mov ecx, 0xc0000080 */
    0x0f, 0x32,                                 /* 1009: rdmsr */
    0x0f, 0x30,                                 /* 100b: wrmsr */
    0x8a, 0x04, 0x25, 0x00, 0x00, 0x15, 0x00,   /* 100d: mov al, [0x150000] (not delegated) */
    0xe6, 0x80,                                 /* 1014: out 0x80, al */
    0xf4,                                       /* 1016: hlt */
    0xeb, 0xfe,                                 /* 1017: jmp $ */
};

static uint64_t long_exit(struct vm *vm, unsigned ev, void *arch)
{
    struct nova_utcb_arch *a = arch;
    switch (ev) {
    case NOVA_EV_GST_STARTUP:
        a->cs = (struct nova_seg){8, 0xa9b, 0xffffffff, 0}; /* 64-bit code, 4 KiB granularity (VMX checks G) */
        a->ss = a->ds = a->es = (struct nova_seg){16, 0xc93, 0xffffffff, 0};
        a->cr0 = 0x80000011; /* PG, ET, PE */
        a->cr3 = PML4;
        a->cr4 = 0x20;       /* PAE */
        a->efer = 0x100;     /* LME: the kernel adds LMA */
        a->rip = CODE;
        a->rsp = 0x8000;
        a->rflags = 2;
        return NOVA_MTD_RIP | NOVA_MTD_RFLAGS | NOVA_MTD_GPR_0_7 | NOVA_MTD_CS_SS | NOVA_MTD_DS_ES | NOVA_MTD_CR |
               NOVA_MTD_EFER;
    case NOVA_EV_SVM_CPUID:
    case NOVA_EV_SVM_MSR:
        if (ev == NOVA_EV_SVM_MSR && a->qual[0] == 0)
            a->rax = 0x1111, a->rdx = 0;
        a->rip += 2;
        return NOVA_MTD_RIP | NOVA_MTD_GPR_0_7;
    case NOVA_EV_SVM_NPF:
        a->rip += 7;
        return NOVA_MTD_RIP;
    case NOVA_EV_SVM_IOIO:
        a->rip += a->inst_len;
        return NOVA_MTD_RIP;
    case NOVA_EV_SVM_HLT: /* go on, into the spin the recall case stops */
        a->rip += 1;
        hc_sm_up(vm->done_sm);
        return NOVA_MTD_RIP;
    default:
        return finish(vm, a, ev);
    }
}

void cases_long_mode(uint64_t phys, unsigned cpu)
{
    static struct vm vm;
    if (!new_vm(&vm, "long_mode_vm", phys, cpu, long_exit))
        return;
    uint64_t *pml4 = (uint64_t *)(vm.mem + PML4), *pdpt = pml4 + 512, *pd = pdpt + 512;
    pml4[0] = (PML4 + 0x1000) | 3;
    pdpt[0] = (PML4 + 0x2000) | 3;
    pd[0] = 0x83; /* 2 MiB page at 0 */
    vm_load_code(&vm, CODE, long_guest, sizeof(long_guest));
    unmap(&vm, 0x150000);
    vm_start(&vm, CODE);
    unsigned st = vm_wait(&vm, 5000);
    suite_case("long_mode_reaches_hlt", st == NOVA_SUCCESS, "%s after %u exits", nova_status_name(st), vm.nexits);
    const struct exit_record *e = find(&vm, NOVA_EV_SVM_CPUID, 0);
    suite_case("long_mode_cpuid", e && e->rip == CODE + 2 && (e->cs_ar & 0x200) && e->efer == 0x500,
               "rip %#lx cs.ar %#x efer %#lx", e ? e->rip : 0, e ? e->cs_ar : 0, e ? e->efer : 0);
    e = find(&vm, NOVA_EV_SVM_MSR, 0);
    suite_case("long_mode_rdmsr", e && e->qual0 == 0 && e->rcx == MSR_EFER && e->rip == CODE + 9,
               "qual %#lx rcx %#lx", e ? e->qual0 : 0, e ? e->rcx : 0);
    e = find(&vm, NOVA_EV_SVM_MSR, 1);
    suite_case("long_mode_wrmsr", e && e->qual0 == 1 && e->rax == 0x1111, "qual %#lx rax %#lx",
               e ? e->qual0 : 0, e ? e->rax : 0);
    e = find(&vm, NOVA_EV_SVM_NPF, 0);
    suite_case("long_mode_npf", e && e->qual2 == 0x150000 && (e->qual0 & 0x1ffffffffull) == 0x100000004ull,
               "gpa %#lx info %#lx", e ? e->qual2 : 0, e ? e->qual0 : 0);
    e = find(&vm, NOVA_EV_SVM_IOIO, 0);
    suite_case("long_mode_out", e && e->qual0 == 0x00800010, "qual %#lx", e ? e->qual0 : 0);

    /* The guest spins now; a strong recall (by IPI when it runs on another CPU) stops it. */
    EXPECT_STATUS("long_mode_strong_recall", hc_ctrl_ec(vm.vcpu, 1), NOVA_SUCCESS);
    st = vm_wait(&vm, 5000);
    e = find(&vm, NOVA_EV_GST_RECALL, 0);
    suite_case("long_mode_recall_exit", st == NOVA_SUCCESS && e && e->rip == CODE + 0x17, "%s rip %#lx",
               nova_status_name(st), e ? e->rip : 0);
}

/* ---- 32-bit protected mode: IN and string I/O ---- */

static const uint8_t protected_guest[] = {
    0xe4, 0x61,                     /* 1000: in al, 0x61 */
    0xbe, 0x00, 0x20, 0x00, 0x00,   /* 1002: mov esi, 0x2000 */
    0xb9, 0x03, 0x00, 0x00, 0x00,   /* 1007: mov ecx, 3 */
    0x66, 0xba, 0xf8, 0x03,         /* 100c: mov dx, 0x3f8 */
    0xf3, 0x6e,                     /* 1010: rep outsb */
    0xf4,                           /* 1012: hlt */
    0xeb, 0xfe,                     /* 1013: jmp $ */
};

static uint64_t protected_exit(struct vm *vm, unsigned ev, void *arch)
{
    struct nova_utcb_arch *a = arch;
    switch (ev) {
    case NOVA_EV_GST_STARTUP:
        a->cs = (struct nova_seg){8, 0xc9b, 0xffffffff, 0};
        a->ss = a->ds = a->es = (struct nova_seg){16, 0xc93, 0xffffffff, 0};
        a->cr0 = 0x11;
        a->rip = CODE;
        a->rflags = 2;
        return NOVA_MTD_RIP | NOVA_MTD_RFLAGS | NOVA_MTD_CS_SS | NOVA_MTD_DS_ES | NOVA_MTD_CR;
    case NOVA_EV_SVM_IOIO:
        if (a->qual[0] & 4) /* string I/O: the test VMM just completes it */
            a->rcx = 0;
        else
            a->rax = (a->rax & ~0xffull) | 0x5a;
        a->rip += a->inst_len;
        return NOVA_MTD_RIP | NOVA_MTD_GPR_0_7;
    default:
        return finish(vm, a, ev);
    }
}

void cases_protected_mode(uint64_t phys, unsigned cpu)
{
    static struct vm vm;
    if (!new_vm(&vm, "protected_mode_vm", phys, cpu, protected_exit))
        return;
    vm_load_code(&vm, CODE, protected_guest, sizeof(protected_guest));
    vm_start(&vm, CODE);
    unsigned st = vm_wait(&vm, 5000);
    suite_case("protected_mode_reaches_hlt", st == NOVA_SUCCESS, "%s", nova_status_name(st));
    const struct exit_record *e = find(&vm, NOVA_EV_SVM_IOIO, 0);
    suite_case("protected_mode_in", e && e->qual0 == 0x00610011 && e->inst_len == 2, "qual %#lx len %u",
               e ? e->qual0 : 0, e ? e->inst_len : 0);
    e = find(&vm, NOVA_EV_SVM_IOIO, 1);
    /* OUT, string, REP, 8-bit, port 0x3f8; QEMU leaves the address-size bits clear */
    suite_case("protected_mode_rep_outsb", e && (e->qual0 & 0xffff003f) == 0x03f8001c && e->rcx == 3 &&
                                                 e->inst_len == 2,
               "qual %#lx rcx %#lx len %u", e ? e->qual0 : 0, e ? e->rcx : 0, e ? e->inst_len : 0);
}

/* ---- real mode: an injected exception, and the interrupt window ---- */

static const uint8_t window_guest[] = {
    0xfa,                           /* 1000: cli */
    0x0f, 0x01, 0xd9,               /* 1001: vmmcall: the VMM injects #UD */
    0x0f, 0x01, 0xd9,               /* 1004: vmmcall: the VMM asks for an interrupt window */
    0xfb,                           /* 1007: sti */
    0x90,                           /* 1008: nop (STI shadow) */
    0xf4,                           /* 1009: hlt */
    0xeb, 0xfe,                     /* 100a: jmp $ */
};
static const uint8_t mark_isr[] = {
    0xc6, 0x06, 0x00, 0x30, 0x66,   /* 1100: mov byte [0x3000], 0x66 (#UD handler) */
    0xcf,                           /* 1105: iret */
    0xc6, 0x06, 0x01, 0x30, 0x21,   /* 1106: mov byte [0x3001], 0x21 (vector 0x21 handler) */
    0xcf,                           /* 110b: iret */
};

static uint64_t window_exit(struct vm *vm, unsigned ev, void *arch)
{
    struct nova_utcb_arch *a = arch;
    switch (ev) {
    case NOVA_EV_GST_STARTUP:
        a->cs = (struct nova_seg){0, 0x9b, 0xffff, 0};
        a->ds = a->ss = (struct nova_seg){0, 0x93, 0xffff, 0};
        a->rip = CODE;
        a->rsp = 0x8000;
        a->rflags = 2;
        return NOVA_MTD_RIP | NOVA_MTD_RFLAGS | NOVA_MTD_GPR_0_7 | NOVA_MTD_CS_SS | NOVA_MTD_DS_ES;
    case NOVA_EV_SVM_VMMCALL:
        a->rip += 3;
        if (a->rip == CODE + 4)
            a->intr_info = 6 | 3u << 8 | NOVA_INTR_INFO_V; /* hardware exception #UD */
        else
            a->intr_info = NOVA_INTR_INFO_I;               /* tell me when interrupts are open */
        return NOVA_MTD_RIP | NOVA_MTD_INJ;
    case NOVA_EV_SVM_VINTR:
        a->intr_info = 0x21 | NOVA_INTR_INFO_V;            /* external interrupt 0x21 */
        return NOVA_MTD_INJ;
    default:
        return finish(vm, a, ev);
    }
}

void cases_injection(uint64_t phys, unsigned cpu)
{
    static struct vm vm;
    if (!new_vm(&vm, "injection_vm", phys, cpu, window_exit))
        return;
    vm_load_code(&vm, CODE, window_guest, sizeof(window_guest));
    vm_load_code(&vm, 0x1100, mark_isr, sizeof(mark_isr));
    *(uint32_t *)(vm.mem + 6 * 4) = 0x1100;
    *(uint32_t *)(vm.mem + 0x21 * 4) = 0x1106;
    vm_start(&vm, CODE);
    unsigned st = vm_wait(&vm, 5000);
    suite_case("injection_reaches_hlt", st == NOVA_SUCCESS, "%s", nova_status_name(st));
    suite_case("injected_exception_seen_by_guest", vm.mem[0x3000] == 0x66, "mark %#x", vm.mem[0x3000]);
    const struct exit_record *e = find(&vm, NOVA_EV_SVM_VINTR, 0);
    suite_case("interrupt_window_exit", e && e->rip == CODE + 9, "rip %#lx", e ? e->rip : 0);
    suite_case("window_interrupt_seen_by_guest", vm.mem[0x3001] == 0x21, "mark %#x", vm.mem[0x3001]);
}

/* ---- a triple fault: no IDT, then #UD ---- */

static uint64_t shutdown_exit(struct vm *vm, unsigned ev, void *arch)
{
    struct nova_utcb_arch *a = arch;
    if (ev == NOVA_EV_GST_STARTUP) {
        a->cs = (struct nova_seg){8, 0xc9b, 0xffffffff, 0};
        a->ss = a->ds = (struct nova_seg){16, 0xc93, 0xffffffff, 0};
        a->idtr = (struct nova_seg){0, 0, 0, 0};
        a->cr0 = 0x11;
        a->rip = CODE;
        a->rflags = 2;
        return NOVA_MTD_RIP | NOVA_MTD_RFLAGS | NOVA_MTD_CS_SS | NOVA_MTD_DS_ES | NOVA_MTD_IDTR | NOVA_MTD_CR;
    }
    return finish(vm, a, ev);
}

void cases_triple_fault(uint64_t phys, unsigned cpu)
{
    static struct vm vm;
    if (!new_vm(&vm, "triple_fault_vm", phys, cpu, shutdown_exit))
        return;
    vm.mem[CODE] = 0x0f;
    vm.mem[CODE + 1] = 0x0b; /* ud2 */
    vm_start(&vm, CODE);
    unsigned st = vm_wait(&vm, 5000);
    const struct exit_record *e = find(&vm, NOVA_EV_SVM_SHUTDOWN, 0);
    suite_case("triple_fault_exit", st == NOVA_SUCCESS && e != NULL, "%s, %u exits, last %#lx", nova_status_name(st),
               vm.nexits, vm.nexits ? vm.exits[vm.nexits - 1].ev : 0);
}

/* ---- two VMs: the same guest-physical address reaches different memory ---- */

static const uint8_t peek_guest[] = {
    0xa0, 0x00, 0x30,               /* 1000: mov al, [0x3000] */
    0xe6, 0x80,                     /* 1003: out 0x80, al */
    0xa0, 0x00, 0x40,               /* 1005: mov al, [0x4000] (the other VM's page, not ours) */
    0xf4,                           /* 1008: hlt */
    0xeb, 0xfe,                     /* 1009: jmp $ */
};

static uint64_t peek_exit(struct vm *vm, unsigned ev, void *arch)
{
    struct nova_utcb_arch *a = arch;
    switch (ev) {
    case NOVA_EV_GST_STARTUP:
        a->cs = (struct nova_seg){0, 0x9b, 0xffff, 0};
        a->ds = (struct nova_seg){0, 0x93, 0xffff, 0};
        a->rip = CODE;
        a->rflags = 2;
        return NOVA_MTD_RIP | NOVA_MTD_RFLAGS | NOVA_MTD_CS_SS | NOVA_MTD_DS_ES;
    case NOVA_EV_SVM_IOIO:
        a->rip += a->inst_len;
        return NOVA_MTD_RIP;
    case NOVA_EV_SVM_NPF:
        a->rip += 3;
        return NOVA_MTD_RIP;
    default:
        return finish(vm, a, ev);
    }
}

void cases_two_vms(uint64_t phys_a, uint64_t phys_b, unsigned cpu)
{
    static struct vm a, b;
    if (!new_vm(&a, "two_vms", phys_a, cpu, peek_exit) ||
        !new_vm(&b, "two_vms", phys_b, cpu, peek_exit))
        return;
    vm_load_code(&a, CODE, peek_guest, sizeof(peek_guest));
    vm_load_code(&b, CODE, peek_guest, sizeof(peek_guest));
    a.mem[0x3000] = 0xa1;
    b.mem[0x3000] = 0xb2;
    unmap(&b, 0x4000);
    vm_start(&a, CODE);
    vm_start(&b, CODE);
    unsigned sa = vm_wait(&a, 5000), sb = vm_wait(&b, 5000);
    const struct exit_record *ea = find(&a, NOVA_EV_SVM_IOIO, 0), *eb = find(&b, NOVA_EV_SVM_IOIO, 0);
    suite_case("two_vms_run", sa == NOVA_SUCCESS && sb == NOVA_SUCCESS, "%s %s", nova_status_name(sa),
               nova_status_name(sb));
    suite_case("two_vms_own_memory", ea && eb && (ea->rax & 0xff) == 0xa1 && (eb->rax & 0xff) == 0xb2,
               "a read %#lx, b read %#lx", ea ? ea->rax & 0xff : 0, eb ? eb->rax & 0xff : 0);
    const struct exit_record *nb = find(&b, NOVA_EV_SVM_NPF, 0);
    suite_case("vm_cannot_reach_undelegated_memory", nb && nb->qual2 == 0x4000 && !find(&a, NOVA_EV_SVM_NPF, 0),
               "b npf %#lx", nb ? nb->qual2 : 0);
}

/* ---- TSC offsetting: with T = 1 the guest's TSC starts near 0, with T = 0 it is the host's ---- */

static const uint8_t tsc_guest[] = {
    0x0f, 0x31,                     /* 1000: rdtsc */
    0xe6, 0x80,                     /* 1002: out 0x80, al (the VMM reads EDX:EAX) */
    0xf4,                           /* 1004: hlt */
    0xeb, 0xfe,                     /* 1005: jmp $ */
};

static uint64_t tsc_exit(struct vm *vm, unsigned ev, void *arch)
{
    struct nova_utcb_arch *a = arch;
    switch (ev) {
    case NOVA_EV_GST_STARTUP:
        a->cs = (struct nova_seg){0, 0x9b, 0xffff, 0};
        a->rip = CODE;
        a->rflags = 2;
        return NOVA_MTD_RIP | NOVA_MTD_RFLAGS | NOVA_MTD_CS_SS;
    case NOVA_EV_SVM_IOIO:
        vm->ctx = (void *)((a->rdx << 32) | (a->rax & 0xffffffffull));
        a->rip += a->inst_len;
        return NOVA_MTD_RIP;
    default:
        return finish(vm, a, ev);
    }
}

void cases_tsc_offset(uint64_t phys_a, uint64_t phys_b, unsigned cpu)
{
    static struct vm off, plain;
    off.tsc_offset = true;
    if (!new_vm(&off, "tsc_vms", phys_a, cpu, tsc_exit) ||
        !new_vm(&plain, "tsc_vms", phys_b, cpu, tsc_exit))
        return;
    vm_load_code(&off, CODE, tsc_guest, sizeof(tsc_guest));
    vm_load_code(&plain, CODE, tsc_guest, sizeof(tsc_guest));
    uint64_t before = rdtsc_now();
    vm_start(&off, CODE);
    vm_start(&plain, CODE);
    vm_wait(&off, 5000);
    vm_wait(&plain, 5000);
    uint64_t after = rdtsc_now(), guest_off = (uint64_t)off.ctx, guest_plain = (uint64_t)plain.ctx;
    suite_case("tsc_offset_guest_starts_near_zero", guest_off > 0 && guest_off < after - before,
               "guest tsc %#lx, %lu host ticks passed", guest_off, after - before);
    suite_case("tsc_without_offset_is_host_tsc", guest_plain >= before && guest_plain <= after,
               "guest tsc %#lx, host %#lx..%#lx", guest_plain, before, after);
}

/* ---- delegated port and MSR: the guest uses them without exits ---- */

#define MSR_FS_BASE 0xc0000100u
static const uint8_t passthrough_guest[] = {
    0xe6, 0x80,                             /* 1000: out 0x80, al    (delegated: no exit) */
    0xe4, 0x61,                             /* 1002: in al, 0x61     (not delegated: exit) */
    0x66, 0xb9, 0x00, 0x01, 0x00, 0xc0,     /* 1004: mov ecx, 0xc0000100 (FS_BASE) */
    0x0f, 0x32,                             /* 100a: rdmsr           (delegated for reading: no exit) */
    0x0f, 0x30,                             /* 100c: wrmsr           (not for writing: exit) */
    0xf4,                                   /* 100e: hlt */
};

static uint64_t passthrough_exit(struct vm *vm, unsigned ev, void *arch)
{
    struct nova_utcb_arch *a = arch;
    switch (ev) {
    case NOVA_EV_GST_STARTUP:
        a->cs = (struct nova_seg){0, 0x9b, 0xffff, 0};
        a->rip = CODE;
        a->rflags = 2;
        return NOVA_MTD_RIP | NOVA_MTD_RFLAGS | NOVA_MTD_CS_SS;
    case NOVA_EV_SVM_IOIO:
        a->rip += a->inst_len;
        return NOVA_MTD_RIP;
    case NOVA_EV_SVM_MSR:
        a->rip += 2;
        return NOVA_MTD_RIP;
    default:
        return finish(vm, a, ev);
    }
}

void cases_passthrough(uint64_t phys, unsigned cpu)
{
    static struct vm vm;
    if (!new_vm(&vm, "passthrough_vm", phys, cpu, passthrough_exit))
        return;
    /* The port comes from PD_NOVA (the root task holds it too), the MSR read from PD_NOVA. */
    unsigned sp = hc_ctrl_pd(NOVA, vm.pd, 0x80, 0x80, 0, NOVA_PERM_PIO_A, NOVA_SPC_PIO, NOVA_ACC_CPU_GST, 0);
    unsigned sm = hc_ctrl_pd(NOVA, vm.pd, MSR_FS_BASE, MSR_FS_BASE, 0, NOVA_PERM_MSR_R, NOVA_SPC_MSR,
                             NOVA_ACC_CPU_GST, 0);
    suite_case("ctrl_pd_guest_pio_and_msr", sp == NOVA_SUCCESS && sm == NOVA_SUCCESS, "pio %s msr %s",
               nova_status_name(sp), nova_status_name(sm));
    EXPECT_STATUS("ctrl_pd_guest_msr_outside_map_bad_par",
                  hc_ctrl_pd(NOVA, vm.pd, 0x40000000, 0x40000000, 0, NOVA_PERM_MSR_R, NOVA_SPC_MSR, NOVA_ACC_CPU_GST, 0),
                  NOVA_BAD_PAR);
    vm_load_code(&vm, CODE, passthrough_guest, sizeof(passthrough_guest));
    vm_start(&vm, CODE);
    unsigned st = vm_wait(&vm, 5000);
    const struct exit_record *io = find(&vm, NOVA_EV_SVM_IOIO, 0), *msr = find(&vm, NOVA_EV_SVM_MSR, 0);
    suite_case("passthrough_reaches_hlt", st == NOVA_SUCCESS, "%s", nova_status_name(st));
    suite_case("delegated_port_does_not_exit", io && io->rip == CODE + 2 && !find(&vm, NOVA_EV_SVM_IOIO, 1),
               "first I/O exit at %#lx", io ? io->rip : 0);
    suite_case("delegated_msr_read_does_not_exit", msr && msr->rip == CODE + 0xc && msr->qual0 == 1 &&
                                                       !find(&vm, NOVA_EV_SVM_MSR, 1),
               "first MSR exit at %#lx (qual %#lx)", msr ? msr->rip : 0, msr ? msr->qual0 : 0);
}

/* ---- a guest that only spins: the timer must still preempt it for higher-priority work ---- */

static uint64_t spin_exit(struct vm *vm, unsigned ev, void *arch)
{
    struct nova_utcb_arch *a = arch;
    if (ev == NOVA_EV_GST_STARTUP) {
        a->cs = (struct nova_seg){0, 0x9b, 0xffff, 0};
        a->rip = CODE;
        /* IF=1: Bochs 2.7 never takes an external-interrupt exit from a VMX guest with IF=0
           (against the SDM: with that exiting control IF does not block); QEMU's SVM does. */
        a->rflags = 0x202;
        return NOVA_MTD_RIP | NOVA_MTD_RFLAGS | NOVA_MTD_CS_SS;
    }
    return finish(vm, a, ev); /* the recall at the end */
}

void cases_spinning_guest(uint64_t phys, unsigned cpu)
{
    static struct vm vm;
    if (!new_vm(&vm, "spin_vm", phys, cpu, spin_exit))
        return;
    vm.mem[CODE] = 0xeb;
    vm.mem[CODE + 1] = 0xfe; /* jmp $ */
    vm_start(&vm, CODE);
    uint64_t t0 = rdtsc_now();
    nap_ms(30); /* the guest spins on our CPU (or on the other one) meanwhile */
    uint64_t t1 = rdtsc_now();
    suite_case("timer_preempts_spinning_guest", t1 > t0, "never came back");
    EXPECT_STATUS("spinning_guest_recalled", hc_ctrl_ec(vm.vcpu, 1), NOVA_SUCCESS);
    suite_case("spinning_guest_recall_exit", vm_wait(&vm, 5000) == NOVA_SUCCESS, "no recall event");
}
