/* SPDX-License-Identifier: MIT */
/* Legacy 8259 PICs: moved off the exception vectors and masked (the kernel uses the APICs). */

#include "x86/pic.h"
#include "x86/cpu.h"

#define PIC1_CMD    0x20
#define PIC1_DATA   0x21
#define PIC2_CMD    0xa0
#define PIC2_DATA   0xa1
#define ICW1_INIT   0x11    /* edge, cascade, ICW4 follows */
#define ICW4_8086   0x01
#define PIC1_BASE   0x20
#define PIC2_BASE   0x28
#define CASCADE_IRQ 2

void pic_disable(void)
{
    outb(PIC1_CMD, ICW1_INIT);
    outb(PIC2_CMD, ICW1_INIT);
    outb(PIC1_DATA, PIC1_BASE);
    outb(PIC2_DATA, PIC2_BASE);
    outb(PIC1_DATA, 1u << CASCADE_IRQ);
    outb(PIC2_DATA, CASCADE_IRQ);
    outb(PIC1_DATA, ICW4_8086);
    outb(PIC2_DATA, ICW4_8086);
    outb(PIC1_DATA, 0xff);
    outb(PIC2_DATA, 0xff);
}
