/* SPDX-License-Identifier: MIT */
/* vmx_enter(regs, launched): enter the guest with the GPRs from struct cpu_regs (x86/regs.h);
   returns 0 after a VM exit (the GPRs saved back), 1 if VMLAUNCH/VMRESUME itself failed. The
   guest's RSP, RIP and RFLAGS live in the VMCS. */

#define R15 0x00
#define R14 0x08
#define R13 0x10
#define R12 0x18
#define R11 0x20
#define R10 0x28
#define R9  0x30
#define R8  0x38
#define RDI 0x40
#define RSI 0x48
#define RBP 0x50
#define RBX 0x58
#define RDX 0x60
#define RCX 0x68
#define RAX 0x70
#define VMCS_HOST_RSP 0x6c14

.text
.global vmx_enter, vmx_exit_stub
vmx_enter:
    push    %rbx
    push    %rbp
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    push    %rdi                        /* regs: at the top of the stack for vmx_exit_stub */
    mov     $VMCS_HOST_RSP, %eax
    vmwrite %rsp, %rax
    jc      2f
    jz      2f
    test    %esi, %esi                  /* launched? */
    mov     RAX(%rdi), %rax
    mov     RBX(%rdi), %rbx
    mov     RCX(%rdi), %rcx
    mov     RDX(%rdi), %rdx
    mov     RBP(%rdi), %rbp
    mov     RSI(%rdi), %rsi
    mov     R8(%rdi), %r8
    mov     R9(%rdi), %r9
    mov     R10(%rdi), %r10
    mov     R11(%rdi), %r11
    mov     R12(%rdi), %r12
    mov     R13(%rdi), %r13
    mov     R14(%rdi), %r14
    mov     R15(%rdi), %r15
    mov     RDI(%rdi), %rdi             /* the flags of the test above survive the moves */
    jnz     1f
    vmlaunch
    jmp     2f
1:  vmresume
2:  pop     %rdi                        /* the entry failed: nothing of the guest ran */
    mov     $1, %eax
    jmp     3f

vmx_exit_stub:                          /* RSP = the value written above: regs on top */
    push    %rax
    mov     8(%rsp), %rax
    mov     %rbx, RBX(%rax)
    mov     %rcx, RCX(%rax)
    mov     %rdx, RDX(%rax)
    mov     %rbp, RBP(%rax)
    mov     %rsi, RSI(%rax)
    mov     %rdi, RDI(%rax)
    mov     %r8, R8(%rax)
    mov     %r9, R9(%rax)
    mov     %r10, R10(%rax)
    mov     %r11, R11(%rax)
    mov     %r12, R12(%rax)
    mov     %r13, R13(%rax)
    mov     %r14, R14(%rax)
    mov     %r15, R15(%rax)
    pop     %rbx
    mov     %rbx, RAX(%rax)
    pop     %rdi
    xor     %eax, %eax
3:  pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %rbp
    pop     %rbx
    ret
