/* SPDX-License-Identifier: MIT */
/* The general-purpose registers between a saved frame and the UTCB (MTD GPR_0_7, GPR_8_15); RAX
   and RSP are passed apart because a VMCB or VMCS may hold them instead of the frame. */

#include "x86/utcb_gprs.h"

#include <nova/mtd.h>

void gprs_to_utcb(const struct cpu_regs *r, uint64_t rax, uint64_t rsp, uint32_t mtd, struct nova_utcb_arch *u)
{
    if (mtd & NOVA_MTD_GPR_0_7) {
        u->rax = rax;
        u->rcx = r->rcx;
        u->rdx = r->rdx;
        u->rbx = r->rbx;
        u->rsp = rsp;
        u->rbp = r->rbp;
        u->rsi = r->rsi;
        u->rdi = r->rdi;
    }
    if (mtd & NOVA_MTD_GPR_8_15) {
        u->r8 = r->r8;
        u->r9 = r->r9;
        u->r10 = r->r10;
        u->r11 = r->r11;
        u->r12 = r->r12;
        u->r13 = r->r13;
        u->r14 = r->r14;
        u->r15 = r->r15;
    }
}

void gprs_from_utcb(struct cpu_regs *r, uint64_t *rax, uint64_t *rsp, uint32_t mtd, const struct nova_utcb_arch *u)
{
    if (mtd & NOVA_MTD_GPR_0_7) {
        *rax = u->rax;
        r->rcx = u->rcx;
        r->rdx = u->rdx;
        r->rbx = u->rbx;
        *rsp = u->rsp;
        r->rbp = u->rbp;
        r->rsi = u->rsi;
        r->rdi = u->rdi;
    }
    if (mtd & NOVA_MTD_GPR_8_15) {
        r->r8 = u->r8;
        r->r9 = u->r9;
        r->r10 = u->r10;
        r->r11 = u->r11;
        r->r12 = u->r12;
        r->r13 = u->r13;
        r->r14 = u->r14;
        r->r15 = u->r15;
    }
}
