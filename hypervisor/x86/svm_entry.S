/* SPDX-License-Identifier: MIT */
/* svm_enter(vmcb_pa, regs, host_save_pa): run the guest until the next #VMEXIT. The guest's
   RAX, RSP, RIP and RFLAGS live in the VMCB; the other GPRs in struct cpu_regs (x86/regs.h). */

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

.text
.global svm_enter
svm_enter:
    push    %rbx
    push    %rbp
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    push    %rsi                        /* regs */
    push    %rdx                        /* host save area */
    push    %rdi                        /* vmcb */

    clgi                                /* no interrupt until the exit is handled */
    sti                                 /* host IF = 1 at VMRUN: physical interrupts exit the guest */
    mov     %rdx, %rax
    vmsave                              /* host FS/GS/TR/LDTR/syscall MSRs */
    mov     (%rsp), %rax
    vmload                              /* the guest's */

    mov     RBX(%rsi), %rbx
    mov     RCX(%rsi), %rcx
    mov     RDX(%rsi), %rdx
    mov     RBP(%rsi), %rbp
    mov     RDI(%rsi), %rdi
    mov     R8(%rsi), %r8
    mov     R9(%rsi), %r9
    mov     R10(%rsi), %r10
    mov     R11(%rsi), %r11
    mov     R12(%rsi), %r12
    mov     R13(%rsi), %r13
    mov     R14(%rsi), %r14
    mov     R15(%rsi), %r15
    mov     RSI(%rsi), %rsi
    vmrun                               /* RAX = the VMCB */

    push    %rsi                        /* guest rsi; regs is now at 24(%rsp) */
    mov     24(%rsp), %rsi
    mov     %rbx, RBX(%rsi)
    mov     %rcx, RCX(%rsi)
    mov     %rdx, RDX(%rsi)
    mov     %rbp, RBP(%rsi)
    mov     %rdi, RDI(%rsi)
    mov     %r8, R8(%rsi)
    mov     %r9, R9(%rsi)
    mov     %r10, R10(%rsi)
    mov     %r11, R11(%rsi)
    mov     %r12, R12(%rsi)
    mov     %r13, R13(%rsi)
    mov     %r14, R14(%rsi)
    mov     %r15, R15(%rsi)
    pop     %rax
    mov     %rax, RSI(%rsi)

    mov     (%rsp), %rax
    vmsave                              /* the guest's FS/GS/TR/LDTR/syscall MSRs */
    mov     8(%rsp), %rax
    vmload                              /* ours again (GS base: per-CPU data) */
    cli
    stgi                                /* pending interrupts stay pending: IF = 0 */

    add     $24, %rsp
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %rbp
    pop     %rbx
    ret
