/* SPDX-License-Identifier: MIT */
/* User task entry: switch to the task's own stack and call user_main(rdi, rsi, rsp at entry). */

#define STACK_SIZE 65536

.section .text.start, "ax"
.global _start
_start:
    mov     %rsp, %rdx                  /* the root task gets the HIP address here */
    lea     stack_top(%rip), %rsp
    xor     %ebp, %ebp
    call    user_main
    ud2                                 /* user_main does not return */

.section .bss
.balign 16
stack:
    .skip STACK_SIZE
stack_top:
