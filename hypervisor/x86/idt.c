/* SPDX-License-Identifier: MIT */
/* Interrupt descriptor table: 256 gates to the stubs in entry.S. */

#include "x86/idt.h"
#include "x86/regs.h"
#include "x86/tss.h"

#include <stdint.h>

#define GATE_INTR    0xe
#define GATE_P       0x80
#define GATE_DPL3    0x60
#define VEC_NMI      2
#define VEC_BP       3
#define VEC_OF       4
#define VEC_DF       8
#define VEC_MC       18

struct gate {
    uint16_t off_lo, sel;
    uint8_t ist, attr;
    uint16_t off_mid;
    uint32_t off_hi, zero;
} __attribute__((packed));
_Static_assert(sizeof(struct gate) == 16, "IDT gate size");

extern const uint64_t exc_stub_table[256];
static struct gate idt[256] __attribute__((aligned(16)));

void idt_init(void)
{
    for (unsigned v = 0; v < 256; v++) {
        uint64_t off = exc_stub_table[v];
        uint8_t attr = GATE_P | GATE_INTR;
        if (v == VEC_BP || v == VEC_OF) /* INT3 and INTO are allowed from user mode */
            attr |= GATE_DPL3;
        idt[v] = (struct gate){
            .off_lo = (uint16_t)off,
            .sel = SEL_KCODE,
            .ist = (v == VEC_NMI || v == VEC_DF || v == VEC_MC) ? TSS_IST_FAULT : 0,
            .attr = attr,
            .off_mid = (uint16_t)(off >> 16),
            .off_hi = (uint32_t)(off >> 32),
        };
    }
}

void idt_load(void)
{
    struct __attribute__((packed)) {
        uint16_t limit;
        uint64_t base;
    } ptr = {sizeof(idt) - 1, (uint64_t)idt};
    __asm__ volatile("lidt %0" ::"m"(ptr));
}

uint64_t idt_base(void)
{
    return (uint64_t)idt;
}
