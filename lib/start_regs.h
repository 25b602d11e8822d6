/* SPDX-License-Identifier: MIT */
/* The registers a user task found at its entry point, recorded by start.S. */
#pragma once

#define START_RAX    0x00
#define START_RBX    0x08
#define START_RCX    0x10
#define START_RDX    0x18
#define START_RSI    0x20
#define START_RDI    0x28
#define START_RBP    0x30
#define START_RSP    0x38
#define START_R8     0x40
#define START_R9     0x48
#define START_R10    0x50
#define START_R11    0x58
#define START_R12    0x60
#define START_R13    0x68
#define START_R14    0x70
#define START_R15    0x78
#define START_RFLAGS 0x80
#define START_REGS_SIZE 0x88

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct start_regs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp, r8, r9, r10, r11, r12, r13, r14, r15, rflags;
};
_Static_assert(offsetof(struct start_regs, rsp) == START_RSP, "start_regs layout");
_Static_assert(offsetof(struct start_regs, r11) == START_R11, "start_regs layout");
_Static_assert(offsetof(struct start_regs, rflags) == START_RFLAGS, "start_regs layout");
_Static_assert(sizeof(struct start_regs) == START_REGS_SIZE, "start_regs size");

extern struct start_regs start_regs;
#endif
