/* SPDX-License-Identifier: MIT */
/* AP start-up code: copied to a low page, entered in real mode by a SIPI, leaves in long mode.
   Everything here is addressed relative to the copy (TRAMPOLINE_PHYS). */

#include "x86/smp_layout.h"

#define OFF(sym)    ((sym) - trampoline_start)
#define ABS(sym)    (TRAMPOLINE_PHYS + OFF(sym))

.section .rodata.trampoline, "a"
.balign 16
.global trampoline_start, trampoline_end
trampoline_start:
.code16
    cli
    cld
    mov     %cs, %ax
    mov     %ax, %ds
    lgdtl   OFF(tr_gdt_ptr)
    mov     %cr0, %eax
    or      $1, %eax                        /* PE */
    mov     %eax, %cr0
    ljmpl   $0x08, $ABS(tr_pm32)

.code32
tr_pm32:
    mov     $0x10, %ax
    mov     %ax, %ds
    mov     %ax, %es
    mov     %ax, %ss
    mov     %cr4, %eax
    or      $0x20, %eax                     /* PAE */
    mov     %eax, %cr4
    mov     ABS(tr_cr3), %eax
    mov     %eax, %cr3
    mov     $0xc0000080, %ecx               /* EFER: the BSP's value (LME, NXE, SCE) */
    mov     ABS(tr_efer), %eax
    xor     %edx, %edx
    wrmsr
    mov     %cr0, %eax
    or      $0x80010001, %eax               /* PG, WP, PE */
    mov     %eax, %cr0
    ljmp    $0x18, $ABS(tr_lm64)

.code64
tr_lm64:
    mov     ABS(tr_stack), %rsp
    mov     ABS(tr_entry), %rax
    mov     ABS(tr_arg), %rdi
    jmp     *%rax

.balign 8
tr_gdt:
    .quad 0
    .quad 0x00cf9a000000ffff                /* 0x08: 32-bit code */
    .quad 0x00cf92000000ffff                /* 0x10: data */
    .quad 0x00af9a000000ffff                /* 0x18: 64-bit code */
tr_gdt_ptr:
    .word tr_gdt_ptr - tr_gdt - 1
    .long ABS(tr_gdt)

/* Filled in by the BSP before each start-up (struct trampoline_params in smp.c). */
.org TRAMPOLINE_PARAMS                      /* fails to assemble if the code grew past it */
tr_params:
tr_cr3:     .quad 0
tr_efer:    .quad 0
tr_stack:   .quad 0
tr_entry:   .quad 0
tr_arg:     .quad 0
trampoline_end:

