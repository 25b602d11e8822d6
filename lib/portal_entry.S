/* SPDX-License-Identifier: MIT */
/* Portal entry: RDI = PID (a struct portal_ctx *), RSI = MTD. Call ctx->fn on the handler's own
   stack, then reply with the MTD it returns; the next message starts here again. */

#define HC_IPC_REPLY 1  /* enum nova_hypercall in include/nova/hypercall.h (C only) */

.text
.global portal_entry
portal_entry:
    mov     0x00(%rdi), %rsp            /* a fresh stack for every message */
    call    *0x08(%rdi)                 /* fn(ctx, mtd) returns the reply MTD */
    mov     %rax, %rsi
    mov     $HC_IPC_REPLY, %edi
    syscall
    ud2                                 /* ipc_reply does not return */
