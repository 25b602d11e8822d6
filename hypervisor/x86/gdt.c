/* SPDX-License-Identifier: MIT */
/* Per-CPU GDT and TSS, GS base, and the SYSCALL MSRs. */

#include "x86/gdt.h"
#include "x86/cpu.h"
#include "x86/percpu.h"
#include "x86/regs.h"

#include <string.h>

/* Descriptor bits (Intel SDM vol. 3, 3.4.5). */
#define DESC_P      (1ull << 47)
#define DESC_S      (1ull << 44)
#define DESC_DPL3   (3ull << 45)
#define DESC_CODE   (0xaull << 40)   /* execute/read */
#define DESC_DATA   (0x2ull << 40)   /* read/write */
#define DESC_TSS    (0x9ull << 40)   /* available 64-bit TSS */
#define DESC_L      (1ull << 53)
#define DESC_DB     (1ull << 54)
#define DESC_G      (1ull << 55)
#define DESC_LIMIT  0x000f00000000ffffull

#define FMASK_BITS  0x47700u         /* SYSCALL clears IF, TF, DF, AC, NT and IOPL */

extern char syscall_entry[];

static void gdt_fill(struct percpu *c)
{
    uint64_t *g = c->gdt;
    uint64_t base = (uint64_t)&c->tss, limit = sizeof(c->tss) - 1;

    g[0] = 0;
    g[SEL_KCODE >> 3] = DESC_P | DESC_S | DESC_CODE | DESC_L | DESC_G | DESC_LIMIT;
    g[SEL_KDATA >> 3] = DESC_P | DESC_S | DESC_DATA | DESC_DB | DESC_G | DESC_LIMIT;
    g[SEL_UCODE32 >> 3] = DESC_P | DESC_S | DESC_DPL3 | DESC_CODE | DESC_DB | DESC_G | DESC_LIMIT;
    g[SEL_UDATA >> 3] = DESC_P | DESC_S | DESC_DPL3 | DESC_DATA | DESC_DB | DESC_G | DESC_LIMIT;
    g[SEL_UCODE >> 3] = DESC_P | DESC_S | DESC_DPL3 | DESC_CODE | DESC_L | DESC_G | DESC_LIMIT;
    g[SEL_TSS >> 3] = DESC_P | DESC_TSS | (limit & 0xffff) | ((base & 0xffffff) << 16) |
                      ((limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
    g[(SEL_TSS >> 3) + 1] = base >> 32;
}

/* Load GDT, segments, TSS and GS base for CPU c, and program SYSCALL. */
void gdt_load(struct percpu *c)
{
    struct __attribute__((packed)) {
        uint16_t limit;
        uint64_t base;
    } ptr = {sizeof(c->gdt) - 1, (uint64_t)c->gdt};

    c->self = c;
    memset(&c->tss, 0, sizeof(c->tss));
    c->tss.tss.iomap_base = TSS_IOMAP_NONE;
    c->tss.tss.rsp[0] = c->frame_top;
    c->tss.tss.ist[TSS_IST_FAULT - 1] = c->ist_top;
    c->tss.terminator = 0xff;
    memset(c->tss.bitmap, 0xff, sizeof(c->tss.bitmap));
    gdt_fill(c);

    __asm__ volatile("lgdt %0" ::"m"(ptr));
    __asm__ volatile("mov %0, %%ds; mov %0, %%es; mov %0, %%ss" ::"r"(SEL_KDATA));
    __asm__ volatile("mov %0, %%fs; mov %0, %%gs" ::"r"(0));
    __asm__ volatile("pushq %0; leaq 1f(%%rip), %%rax; pushq %%rax; lretq; 1:" ::"i"(SEL_KCODE) : "rax", "memory");
    __asm__ volatile("ltr %w0" ::"r"(SEL_TSS));

    wrmsr(MSR_GS_BASE, (uint64_t)c);
    wrmsr(MSR_KERNEL_GS_BASE, 0);
    wrmsr(MSR_STAR, (uint64_t)SEL_UCODE32 << 48 | (uint64_t)SEL_KCODE << 32);
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    wrmsr(MSR_FMASK, FMASK_BITS);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

/* Point TSS.RSP0 (and the SYSCALL path) at the end of the register frame of the EC about to run. */
void gdt_set_frame(struct percpu *c, uint64_t frame_top)
{
    c->frame_top = frame_top;
    c->tss.tss.rsp[0] = frame_top;
}
