/* SPDX-License-Identifier: MIT */
/* Cases: the hypercall calling convention (facts section 1) and the reserved number. */

#include "cases.h"
#include <suite.h>

#include <hc.h>

struct probe {
    uint64_t rdi, rcx, r11, rbx, rbp, r12, r13, r14, r15, r8, r9, r10, rax, rdx, rsi;
    uint64_t ret_rip;
};

/* Issue identifier id with known values in every register and record what comes back. */
static void probe_call(uint64_t id, struct probe *p)
{
    __asm__ volatile("push %%rbp\n\t"
                     "push %%rbx\n\t"
                     "push %[p]\n\t"
                     "mov $0x1111, %%rbx\n\t"
                     "mov $0x2222, %%rbp\n\t"
                     "mov $0x3333, %%r12\n\t"
                     "mov $0x4444, %%r13\n\t"
                     "mov $0x5555, %%r14\n\t"
                     "mov $0x6666, %%r15\n\t"
                     "mov $0x7777, %%r8\n\t"
                     "mov $0x8888, %%r9\n\t"
                     "mov $0x9999, %%r10\n\t"
                     "mov $0xaaaa, %%rax\n\t"
                     "mov $0xbbbb, %%rdx\n\t"
                     "mov $0xcccc, %%rsi\n\t"
                     "syscall\n\t"
                     "1:\n\t"
                     "xchg %%rbx, (%%rsp)\n\t" /* rbx = p, saved rbx value on the stack */
                     "mov %%rdi, 0x00(%%rbx)\n\t"
                     "mov %%rcx, 0x08(%%rbx)\n\t"
                     "mov %%r11, 0x10(%%rbx)\n\t"
                     "mov %%rbp, 0x20(%%rbx)\n\t"
                     "mov %%r12, 0x28(%%rbx)\n\t"
                     "mov %%r13, 0x30(%%rbx)\n\t"
                     "mov %%r14, 0x38(%%rbx)\n\t"
                     "mov %%r15, 0x40(%%rbx)\n\t"
                     "mov %%r8, 0x48(%%rbx)\n\t"
                     "mov %%r9, 0x50(%%rbx)\n\t"
                     "mov %%r10, 0x58(%%rbx)\n\t"
                     "mov %%rax, 0x60(%%rbx)\n\t"
                     "mov %%rdx, 0x68(%%rbx)\n\t"
                     "mov %%rsi, 0x70(%%rbx)\n\t"
                     "lea 1b(%%rip), %%rax\n\t"
                     "mov %%rax, 0x78(%%rbx)\n\t"
                     "pop %%rax\n\t" /* the rbx value after the call */
                     "mov %%rax, 0x18(%%rbx)\n\t"
                     "pop %%rbx\n\t"
                     "pop %%rbp\n\t"
                     : "+D"(id)
                     : [p] "r"(p)
                     : "rax", "rcx", "rdx", "rsi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "memory");
}

void cases_hypercall(void)
{
    EXPECT_STATUS("reserved_hypercall_bad_hyp", hc_raw(nova_hc_id(NOVA_HC_RESERVED, 0, 0), 0, 0, 0, 0, 0),
                  NOVA_BAD_HYP);
    EXPECT_STATUS("reserved_hypercall_with_flags_and_selector",
                  hc_raw(nova_hc_id(NOVA_HC_RESERVED, 0xf, 0xffffffffffffffull), 0, 0, 0, 0, 0), NOVA_BAD_HYP);

    struct probe p;
    probe_call(nova_hc_id(NOVA_HC_RESERVED, 0, 0), &p);
    suite_case("hypercall_status_in_rdi", p.rdi == NOVA_BAD_HYP, "rdi %#lx (whole register)", p.rdi);
    suite_case("hypercall_rcx_is_return_rip", p.rcx == p.ret_rip, "rcx %#lx, rip %#lx", p.rcx, p.ret_rip);
    suite_case("hypercall_r11_is_0x202", p.r11 == 0x202, "r11 %#lx", p.r11);
    int kept = p.rbx == 0x1111 && p.rbp == 0x2222 && p.r12 == 0x3333 && p.r13 == 0x4444 && p.r14 == 0x5555 &&
               p.r15 == 0x6666 && p.r8 == 0x7777 && p.r9 == 0x8888 && p.r10 == 0x9999 && p.rax == 0xaaaa &&
               p.rdx == 0xbbbb && p.rsi == 0xcccc;
    suite_case("hypercall_preserves_other_gprs", kept, "rbx %#lx rbp %#lx r8 %#lx rax %#lx rdx %#lx rsi %#lx", p.rbx,
               p.rbp, p.r8, p.rax, p.rdx, p.rsi);
}
