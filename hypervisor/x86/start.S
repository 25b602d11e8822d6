/* SPDX-License-Identifier: MIT */
/* Boot entry: multiboot v1/v2 headers, 32-bit protected mode to 64-bit long mode, jump to kmain. */

#include "x86/boot_layout.h"

#define MB1_MAGIC       0x1badb002
#define MB1_FLAGS       0x00000003          /* page-align modules, provide memory info */
#define MB2_MAGIC       0xe85250d6
#define MB2_ARCH_I386   0
#define MB2_TAG_END     0
#define MB2_TAG_ALIGN   6                   /* page-align modules */

#define PTE_P           0x001
#define PTE_W           0x002
#define PTE_PS          0x080
#define CR0_PE          0x00000001
#define CR0_WP          0x00010000
#define CR0_PG          0x80000000
#define CR4_PAE         0x00000020
#define MSR_EFER        0xc0000080
#define EFER_LME        0x00000100
#define EFER_NXE        0x00000800

#define PHYS(sym)       ((sym) - KERNEL_OFFSET)

.section .multiboot1, "a"
.balign 4
mb1_header:
    .long MB1_MAGIC
    .long MB1_FLAGS
    .long -(MB1_MAGIC + MB1_FLAGS)

.section .multiboot2, "a"
.balign 8
mb2_header:
    .long MB2_MAGIC
    .long MB2_ARCH_I386
    .long mb2_header_end - mb2_header
    .long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
    .balign 8
    .word MB2_TAG_ALIGN, 0
    .long 8
    .balign 8
    .word MB2_TAG_END, 0
    .long 8
mb2_header_end:

.section .boot.text, "ax"
.code32
.global _start
_start:
    cli
    cld
    mov     %eax, %edi                      /* multiboot magic, kept for the root task */
    mov     %ebx, %esi                      /* multiboot information (physical) */

    /* Long mode is required; without it there is nothing we can do but stop. */
    mov     $0x80000000, %eax
    cpuid
    cmp     $0x80000001, %eax
    jb      no_long_mode
    mov     $0x80000001, %eax
    cpuid
    bt      $29, %edx
    jnc     no_long_mode
    mov     %edx, %ebp                      /* remember NX support (bit 20) */

    /* Boot page tables: 4 GiB of 2 MiB pages, visible at 0 (identity),
       at the direct map and at the kernel window (first 2 GiB only). */
    mov     $PHYS(boot_pd), %ebx
    xor     %ecx, %ecx
1:  mov     %ecx, %eax
    shl     $21, %eax
    or      $(PTE_P | PTE_W | PTE_PS), %eax
    mov     %eax, (%ebx, %ecx, 8)
    mov     %ecx, %eax
    shr     $11, %eax                       /* bits 32+ of (i << 21) */
    mov     %eax, 4(%ebx, %ecx, 8)
    inc     %ecx
    cmp     $2048, %ecx
    jne     1b

    mov     $PHYS(boot_pdpt_low), %edx
    xor     %ecx, %ecx
2:  mov     %ecx, %eax
    shl     $12, %eax
    add     %ebx, %eax
    or      $(PTE_P | PTE_W), %eax
    mov     %eax, (%edx, %ecx, 8)
    inc     %ecx
    cmp     $4, %ecx
    jne     2b

    mov     $PHYS(boot_pdpt_high), %edx
    lea     (PTE_P | PTE_W)(%ebx), %eax
    mov     %eax, 510 * 8(%edx)
    add     $4096, %eax
    mov     %eax, 511 * 8(%edx)

    mov     $PHYS(boot_pml4), %edx
    mov     $(PHYS(boot_pdpt_low) + PTE_P + PTE_W), %eax
    mov     %eax, 0(%edx)
    mov     %eax, DIRECT_MAP_SLOT * 8(%edx)
    mov     $(PHYS(boot_pdpt_high) + PTE_P + PTE_W), %eax
    mov     %eax, 511 * 8(%edx)

    mov     %cr4, %eax
    or      $CR4_PAE, %eax
    mov     %eax, %cr4
    mov     %edx, %cr3

    mov     $MSR_EFER, %ecx
    rdmsr
    or      $EFER_LME, %eax
    bt      $20, %ebp
    jnc     3f
    or      $EFER_NXE, %eax
3:  wrmsr

    mov     %cr0, %eax
    or      $(CR0_PE | CR0_WP | CR0_PG), %eax
    mov     %eax, %cr0

    lgdt    boot_gdt_ptr
    ljmp    $0x08, $start64

no_long_mode:
    /* Write a reason to COM1 (the UART may be unprogrammed; best effort) and stop. */
    mov     $boot_no_lm_msg, %esi
4:  lodsb
    test    %al, %al
    jz      5f
    mov     $0x3f8, %dx
    out     %al, %dx
    jmp     4b
5:  hlt
    jmp     5b

.code64
start64:
    mov     $0x10, %eax
    mov     %eax, %ds
    mov     %eax, %es
    mov     %eax, %ss
    xor     %eax, %eax
    mov     %eax, %fs
    mov     %eax, %gs
    mov     %edi, %edi                      /* upper halves are undefined after the mode switch */
    mov     %esi, %esi
    movabs  $boot_stack_top, %rsp
    movabs  $kmain, %rax
    xor     %ebp, %ebp
    call    *%rax
6:  hlt
    jmp     6b

.section .boot.data, "a"
.balign 8
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff                /* 0x08: 64-bit code */
    .quad 0x00cf92000000ffff                /* 0x10: data */
boot_gdt_ptr:
    .word boot_gdt_ptr - boot_gdt - 1
    .long boot_gdt
boot_no_lm_msg:
    .asciz "nova: error: this CPU does not support 64-bit long mode\r\n"

.section .bss
.balign 4096
.global boot_pml4, boot_pdpt_low
boot_pml4:      .skip 4096
boot_pdpt_low:  .skip 4096
boot_pdpt_high: .skip 4096
boot_pd:        .skip 4 * 4096
.balign 16
.global boot_stack_top
boot_stack:     .skip BOOT_STACK_SIZE
boot_stack_top:
