/* SPDX-License-Identifier: MIT */
/* Kernel entry and exit: exception/interrupt stubs, SYSCALL entry, return to user mode. */

#include "x86/percpu.h"

#define REGS_OFF_CS     0x90
#define VECTOR_SYSCALL  0x100
#define SEL_UDATA       0x23
#define SEL_UCODE       0x2b

.macro SAVE_GPRS
    push    %rax
    push    %rcx
    push    %rdx
    push    %rbx
    push    %rbp
    push    %rsi
    push    %rdi
    push    %r8
    push    %r9
    push    %r10
    push    %r11
    push    %r12
    push    %r13
    push    %r14
    push    %r15
.endm

.macro RESTORE_GPRS
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %r11
    pop     %r10
    pop     %r9
    pop     %r8
    pop     %rdi
    pop     %rsi
    pop     %rbp
    pop     %rbx
    pop     %rdx
    pop     %rcx
    pop     %rax
.endm

/* One stub per vector: push a zero error code where the CPU pushes none, then the vector. */
.macro STUB vec
    .balign 16
exc_stub_\vec:
    .if (\vec == 8) || (\vec == 10) || (\vec == 11) || (\vec == 12) || (\vec == 13) || (\vec == 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
    .else
    push    $0
    .endif
    push    $\vec
    jmp     exc_common
.endm

.text
.altmacro
.set vec, 0
.rept 256
    STUB %vec
    .set vec, vec + 1
.endr
.noaltmacro

.macro STUB_ADDR vec
    .quad exc_stub_\vec
.endm

.section .rodata
.balign 8
.global exc_stub_table
exc_stub_table:
.altmacro
.set vec, 0
.rept 256
    STUB_ADDR %vec
    .set vec, vec + 1
.endr
.noaltmacro

.text
/* From user mode the CPU has pushed the frame into the current EC's register area (TSS.RSP0);
   from kernel mode it is on the kernel stack (or an IST stack). */
exc_common:
    testb   $3, 0x18(%rsp)              /* CS above vector, error code and RIP */
    jz      1f
    swapgs
1:  SAVE_GPRS
    mov     %rsp, %rdi
    testb   $3, REGS_OFF_CS(%rsp)
    jz      exc_from_kernel
    mov     %gs:PERCPU_KSTACK, %rsp
    call    exc_handler_user            /* does not return */
    ud2

exc_from_kernel:
    cld
    call    exc_handler_kernel          /* returns only for interrupts taken in the kernel */
    RESTORE_GPRS
    add     $16, %rsp
    iretq

/* SYSCALL: RCX = user RIP, R11 = user RFLAGS, interrupts off (FMASK). Build the same frame
   as an exception in the current EC's register area, then run the handler on the kernel stack. */
.global syscall_entry
syscall_entry:
    swapgs
    mov     %rsp, %gs:PERCPU_SCRATCH
    mov     %gs:PERCPU_FRAME_TOP, %rsp
    push    $SEL_UDATA
    push    %gs:PERCPU_SCRATCH
    push    %r11
    push    $SEL_UCODE
    push    %rcx
    push    $0
    push    $VECTOR_SYSCALL
    SAVE_GPRS
    mov     %rsp, %rdi
    mov     %gs:PERCPU_KSTACK, %rsp
    cld
    call    syscall_handler             /* does not return */
    ud2

/* ret_user_iret(struct cpu_regs *frame): resume user mode with every register from the frame. */
.global ret_user_iret
ret_user_iret:
    mov     %rdi, %rsp
    RESTORE_GPRS
    add     $16, %rsp
    swapgs
    iretq

/* ret_user_sysret(struct cpu_regs *frame): fast return after a hypercall. RIP must be canonical
   (it is the RCX that SYSCALL saved); RCX and R11 come back as RIP and RFLAGS, as the ABI says. */
.global ret_user_sysret
ret_user_sysret:
    mov     %rdi, %rsp
    RESTORE_GPRS
    add     $16, %rsp                   /* now at the hardware frame: rip, cs, rflags, rsp, ss */
    mov     0x00(%rsp), %rcx
    mov     0x10(%rsp), %r11
    mov     0x18(%rsp), %rsp
    swapgs
    sysretq

/* idle_wait(): enable interrupts, halt until one arrives, return with interrupts disabled. */
.global idle_wait
idle_wait:
    sti
    hlt
    cli
    ret
