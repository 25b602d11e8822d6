/* SPDX-License-Identifier: MIT */
/* Micro-guest suite: a test VMM runs hand-assembled guests on a vCPU and checks every exit. */

#include "backend.h"
#include "guests.h"
#include "vm.h"

#include <hc.h>
#include <nova/events.h>
#include <nova/hip.h>
#include <nova/mtd.h>
#include <nova/selectors.h>
#include <nova/utcb.h>
#include <res.h>
#include <roottask.h>
#include <stdio.h>
#include <string.h>
#include <suite.h>

#define NOVA NOVA_SEL_PD_NOVA
#define GUEST_PHYS 0x4000000ull     /* 64 MiB: RAM nothing else uses in the test setup */
#define GUEST_SIZE 0x200000ull
#define CODE       0x1000
#define ISR        0x1100
#define RESULT     0x3000
#define ISR_MARK   0x3010
#define UNMAPPED   0x5000
#define READ_ONLY  0x6000
#define IRQ_VECTOR 0x20

static struct mb_info boot;

/* Real mode: a port write, CPUID, two nested page faults, an injected interrupt, HLT, a spin. */
static const uint8_t real_mode_guest[] = {
    0xb0, 0x42,                         /* 1000: mov al, 0x42 */
    0xe6, 0x80,                         /* 1002: out 0x80, al */
    0x66, 0x31, 0xc0,                   /* 1004: xor eax, eax */
    0x0f, 0xa2,                         /* 1007: cpuid */
    0x66, 0xa3, 0x00, 0x30,             /* 1009: mov [0x3000], eax */
    0x8a, 0x06, 0x00, 0x50,             /* 100d: mov al, [0x5000]   (not mapped) */
    0xc6, 0x06, 0x00, 0x60, 0x55,       /* 1011: mov byte [0x6000], 0x55 (read-only) */
    0xfb,                               /* 1016: sti */
    0x90,                               /* 1017: nop (no injection into the STI shadow) */
    0x0f, 0x01, 0xd9,                   /* 1018: vmmcall */
    0xf4,                               /* 101b: hlt */
    0xeb, 0xfe,                         /* 101c: jmp $ */
};
static const uint8_t isr[] = {
    0xc6, 0x06, 0x10, 0x30, 0x77,       /* 1100: mov byte [0x3010], 0x77 */
    0xcf,                               /* 1105: iret */
};

static uint64_t real_mode_exit(struct vm *vm, unsigned ev, void *arch)
{
    struct nova_utcb_arch *a = arch;
    switch (ev) {
    case NOVA_EV_GST_STARTUP:
        a->cs = (struct nova_seg){0, 0x9b, 0xffff, 0};
        a->ss = a->ds = a->es = (struct nova_seg){0, 0x93, 0xffff, 0};
        a->rip = vm->start_rip;
        a->rsp = 0x8000;
        a->rflags = 0x2;
        return NOVA_MTD_RIP | NOVA_MTD_RFLAGS | NOVA_MTD_GPR_0_7 | NOVA_MTD_CS_SS | NOVA_MTD_DS_ES;
    case NOVA_EV_SVM_IOIO:
        a->rip += a->inst_len;
        return NOVA_MTD_RIP;
    case NOVA_EV_SVM_CPUID:
        a->rax = 0x1234;
        a->rbx = a->rcx = a->rdx = 0;
        a->rip += 2;
        return NOVA_MTD_RIP | NOVA_MTD_GPR_0_7;
    case NOVA_EV_SVM_NPF:
        a->rip += a->rip == CODE + 0x0d ? 4 : 5;
        return NOVA_MTD_RIP;
    case NOVA_EV_SVM_VMMCALL:
        a->rip += 3;
        a->intr_info = IRQ_VECTOR | NOVA_INTR_INFO_V; /* external interrupt, type 0 */
        return NOVA_MTD_RIP | NOVA_MTD_INJ;
    case NOVA_EV_SVM_HLT:
        a->rip += 1;
        hc_sm_up(vm->done_sm);
        return NOVA_MTD_RIP;
    default: /* recall, and anything unexpected: end the vCPU */
        if (ev != NOVA_EV_GST_RECALL)
            printf("vmm: unexpected event %#x at rip %#lx, qual %#lx\n", ev, a->rip, a->qual[0]);
        hc_sm_up(vm->done_sm);
        return NOVA_MTD_POISON;
    }
}

static const struct exit_record *find(const struct vm *vm, unsigned ev, unsigned nth)
{
    for (unsigned i = 0; i < vm->nexits; i++)
        if (vm->exits[i].ev == ev && nth-- == 0)
            return &vm->exits[i];
    return NULL;
}

static void cases_real_mode(void)
{
    static struct vm vm;
    int ok = vm_create(&vm, GUEST_PHYS, GUEST_SIZE, real_mode_exit) == 0;
    suite_case("vm_create", ok, "the VM could not be built");
    if (!ok)
        return;
    vm_load_code(&vm, CODE, real_mode_guest, sizeof(real_mode_guest));
    vm_load_code(&vm, ISR, isr, sizeof(isr));
    *(uint32_t *)(vm.mem + IRQ_VECTOR * 4) = ISR; /* IVT entry: segment 0, offset 0x1100 */
    /* Take one page away and make another read-only. */
    hc_ctrl_pd(NOVA, vm.pd, (GUEST_PHYS + UNMAPPED) >> 12, UNMAPPED >> 12, 0, 0, NOVA_SPC_MEM, NOVA_ACC_CPU_GST, 0);
    hc_ctrl_pd(NOVA, vm.pd, (GUEST_PHYS + READ_ONLY) >> 12, READ_ONLY >> 12, 0,
               NOVA_PERM_MEM_R | NOVA_PERM_MEM_XU | NOVA_PERM_MEM_XS, NOVA_SPC_MEM, NOVA_ACC_CPU_GST, 0);

    suite_case("vcpu_start", vm_start(&vm, CODE) == 0, "create_ec V=1 or create_sc failed");
    unsigned st = vm_wait(&vm, 5000);
    suite_case("guest_reaches_hlt", st == NOVA_SUCCESS, "%s after %u exits", nova_status_name(st), vm.nexits);

    const struct exit_record *e = find(&vm, NOVA_EV_GST_STARTUP, 0);
    suite_case("exit_startup_first", vm.nexits > 0 && vm.exits[0].ev == NOVA_EV_GST_STARTUP, "first event %#lx",
               vm.nexits ? vm.exits[0].ev : 0);
    e = find(&vm, NOVA_EV_SVM_IOIO, 0);
    suite_case("exit_io_out", e && (e->qual0 & 0xffff007f) == 0x00800010 && (e->rax & 0xff) == 0x42 && e->rip == CODE + 2,
               "qual %#lx rax %#lx rip %#lx", e ? e->qual0 : 0, e ? e->rax : 0, e ? e->rip : 0);
    suite_case("exit_io_inst_len", e && e->inst_len == 2, "inst_len %u", e ? e->inst_len : 0);
    e = find(&vm, NOVA_EV_SVM_CPUID, 0);
    suite_case("exit_cpuid", e && e->rip == CODE + 7 && e->rax == 0, "rip %#lx rax %#lx", e ? e->rip : 0,
               e ? e->rax : 0);
    suite_case("cpuid_result_in_guest", *(uint32_t *)(vm.mem + RESULT) == 0x1234, "guest stored %#x",
               *(uint32_t *)(vm.mem + RESULT));
    e = find(&vm, NOVA_EV_SVM_NPF, 0);
    suite_case("exit_npf_first_arrives", e != NULL, "no nested page fault came (the QEMU canary)");
    suite_case("exit_npf_unmapped", e && e->qual2 == UNMAPPED && (e->qual0 & 0x1ffffffffull) == 0x100000004ull,
               "gpa %#lx info %#lx", e ? e->qual2 : 0, e ? e->qual0 : 0);
    e = find(&vm, NOVA_EV_SVM_NPF, 1);
    suite_case("exit_npf_write_read_only", e && e->qual2 == READ_ONLY && (e->qual0 & 7) == 7,
               "gpa %#lx info %#lx", e ? e->qual2 : 0, e ? e->qual0 : 0);
    suite_case("guest_write_to_read_only_dropped", vm.mem[READ_ONLY] == 0, "byte %#x", vm.mem[READ_ONLY]);
    e = find(&vm, NOVA_EV_SVM_VMMCALL, 0);
    suite_case("exit_vmmcall", e && e->rip == CODE + 0x18, "rip %#lx", e ? e->rip : 0);
    suite_case("injected_interrupt_seen_by_guest", vm.mem[ISR_MARK] == 0x77, "mark %#x", vm.mem[ISR_MARK]);
    e = find(&vm, NOVA_EV_SVM_HLT, 0);
    suite_case("exit_hlt", e && e->rip == CODE + 0x1b, "rip %#lx", e ? e->rip : 0);

    /* The guest now spins; a recall brings it back to the VMM, which ends it. */
    EXPECT_STATUS("recall_vcpu", hc_ctrl_ec(vm.vcpu, 0), NOVA_SUCCESS);
    st = vm_wait(&vm, 5000);
    e = find(&vm, NOVA_EV_GST_RECALL, 0);
    suite_case("exit_recall", st == NOVA_SUCCESS && e && e->rip == CODE + 0x1c, "%s, rip %#lx",
               nova_status_name(st), e ? e->rip : 0);
    unsigned n = vm.nexits;
    vm_wait(&vm, 100);
    suite_case("poison_ends_vcpu", vm.nexits == n, "%u more exits", vm.nexits - n);
}

__attribute__((noreturn)) void user_main(uint64_t magic, uint64_t info, const struct nova_hip *hip);
void user_main(uint64_t magic, uint64_t info, const struct nova_hip *hip)
{
    if (!roottask_console())
        hc_ipc_reply_wait();
    roottask_boot_info(magic, info, &boot);
    printf("vmm: micro-guest suite (features %#lx)\n", hip->features);
    backend_init(hip->features);
    if (!(hip->features & (NOVA_HIP_FEAT_SVM | NOVA_HIP_FEAT_VMX))) {
        suite_case("vcpus_available", 0, "the HIP reports neither SVM nor VMX");
    } else {
        cases_real_mode();
        unsigned cpu = hip->cpu_num > 1 ? 1 : 0; /* with two CPUs, the other guests run on the second */
        cases_long_mode(GUEST_PHYS + 1 * GUEST_SIZE, cpu);
        cases_protected_mode(GUEST_PHYS + 2 * GUEST_SIZE, cpu);
        cases_injection(GUEST_PHYS + 3 * GUEST_SIZE, cpu);
        cases_triple_fault(GUEST_PHYS + 4 * GUEST_SIZE, cpu);
        cases_two_vms(GUEST_PHYS + 5 * GUEST_SIZE, GUEST_PHYS + 6 * GUEST_SIZE, cpu);
        cases_tsc_offset(GUEST_PHYS + 7 * GUEST_SIZE, GUEST_PHYS + 8 * GUEST_SIZE, cpu);
        cases_passthrough(GUEST_PHYS + 9 * GUEST_SIZE, cpu);
        cases_spinning_guest(GUEST_PHYS + 10 * GUEST_SIZE, 0);
        cases_xcr0(GUEST_PHYS + 11 * GUEST_SIZE, cpu);
    }
    suite_summary();
    roottask_finish(&boot, suite.failed ? 1 : 0);
}
