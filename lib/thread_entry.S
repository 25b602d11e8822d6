/* SPDX-License-Identifier: MIT */
/* Where a thread begins after its startup event: its stack holds fn and arg (see thread.c). */

#define HC_IPC_REPLY 1  /* enum nova_hypercall in include/nova/hypercall.h (C only) */

.text
.global thread_entry
thread_entry:
    pop     %rax                        /* fn */
    pop     %rdi                        /* arg */
    and     $-16, %rsp
    call    *%rax
1:  mov     $HC_IPC_REPLY, %edi         /* done: wait for good (no caller, no portal) */
    syscall
    jmp     1b
