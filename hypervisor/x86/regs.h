/* SPDX-License-Identifier: MIT */
/* Saved user register frame: what entry.S pushes on an exception, interrupt or hypercall. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Lowest address first: GPRs pushed by entry.S, then vector and error code, then the frame the
   CPU pushes (or entry.S builds for SYSCALL). */
struct cpu_regs {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;  /* 0x00 */
    uint64_t rdi, rsi, rbp, rbx, rdx, rcx, rax;     /* 0x40 */
    uint64_t vector, error;                         /* 0x78 */
    uint64_t rip, cs, rflags, rsp, ss;              /* 0x88 */
};
_Static_assert(offsetof(struct cpu_regs, rdi) == 0x40, "regs layout");
_Static_assert(offsetof(struct cpu_regs, rax) == 0x70, "regs layout");
_Static_assert(offsetof(struct cpu_regs, vector) == 0x78, "regs layout");
_Static_assert(offsetof(struct cpu_regs, rip) == 0x88, "regs layout");
_Static_assert(offsetof(struct cpu_regs, cs) == 0x90, "regs layout");
_Static_assert(sizeof(struct cpu_regs) == 0xb0, "regs size must keep the frame 16-byte aligned");

#define REGS_OFF_CS      0x90
#define VECTOR_SYSCALL   0x100  /* vector value that marks a hypercall frame */

/* Segment selectors (see gdt.c). */
#define SEL_KCODE        0x08
#define SEL_KDATA        0x10
#define SEL_UCODE32      0x18   /* placeholder so that SYSRET finds user data and code above it */
#define SEL_UDATA        0x23
#define SEL_UCODE        0x2b
#define SEL_TSS          0x30
