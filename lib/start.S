/* SPDX-License-Identifier: MIT */
/* User task entry: record the entry registers, switch to the task's own stack and call
   user_main(rdi, rsi, rsp at entry). */

#include "start_regs.h"

#define STACK_SIZE 65536

.section .text.start, "ax"
.global _start
_start:
    /* Keep the initial register state for tasks that check it (the ABI suite). */
    mov     %rax, start_regs + START_RAX(%rip)
    mov     %rbx, start_regs + START_RBX(%rip)
    mov     %rcx, start_regs + START_RCX(%rip)
    mov     %rdx, start_regs + START_RDX(%rip)
    mov     %rsi, start_regs + START_RSI(%rip)
    mov     %rdi, start_regs + START_RDI(%rip)
    mov     %rbp, start_regs + START_RBP(%rip)
    mov     %rsp, start_regs + START_RSP(%rip)
    mov     %r8, start_regs + START_R8(%rip)
    mov     %r9, start_regs + START_R9(%rip)
    mov     %r10, start_regs + START_R10(%rip)
    mov     %r11, start_regs + START_R11(%rip)
    mov     %r12, start_regs + START_R12(%rip)
    mov     %r13, start_regs + START_R13(%rip)
    mov     %r14, start_regs + START_R14(%rip)
    mov     %r15, start_regs + START_R15(%rip)
    mov     %rsp, %rdx                  /* the root task gets the HIP address here */
    lea     stack_top(%rip), %rsp
    pushfq
    pop     %rax
    mov     %rax, start_regs + START_RFLAGS(%rip)
    xor     %ebp, %ebp
    call    user_main
    ud2                                 /* user_main does not return */

.section .bss
.balign 16
.global start_regs
start_regs:
    .skip START_REGS_SIZE
stack:
    .skip STACK_SIZE
stack_top:
