/* SPDX-License-Identifier: MIT */
/* The PC's cascaded pair of 8259A interrupt controllers (ports 0x20-0x21, 0xa0-0xa1) and the ELCR (0x4d0-0x4d1). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct vm;

/* One 8259A. Inputs are numbered 0-7 (IR0-IR7). */
struct i8259_chip {
    uint8_t irr, isr, imr;
    uint8_t line;               /* input levels; the master's IR2 is the slave's INT output */
    uint8_t elcr;               /* 1 = level-triggered input (ELCR, on top of ICW1.LTIM) */
    uint8_t icw1, icw2, icw3, icw4;
    uint8_t init_step;          /* the ICW the data port expects next: 2, 3 or 4; 0 when initialized */
    uint8_t lowest;             /* the IR with the lowest priority (rotation, OCW2 set priority) */
    bool read_isr;              /* OCW3 RR/RIS: command port reads ISR, else IRR */
    bool poll;                  /* OCW3 P: the next read is a poll */
    bool special_mask;          /* OCW3 SMM */
    bool rotate_aeoi;           /* OCW2 rotate in automatic EOI mode */
};

struct i8259 {
    struct vm *vm;
    struct i8259_chip master, slave;
    bool intr_seen;             /* INTR was high since the last INTA: if it has gone, INTA gets IRQ 7 */
    uint32_t logged;            /* problems already logged (one bit each) */
};

/* Claim the ports and put both chips in their power-on state: initialized as a PC BIOS leaves them
   (ICW1 0x11, vectors 0x08 and 0x70, slave on IR2, ICW4 0x01) with everything ICW1 resets reset
   (IMR 0, IRR/ISR 0, IR7 lowest priority, IRR selected for reads), ELCR 0 (all edge-triggered). */
void i8259_init(struct i8259 *pic, struct vm *vm);
/* The level of ISA IRQ irq (0-15; 2 is the cascade and ignored). An edge-triggered input latches
   a rising edge in IRR until INTA (a short pulse is not lost, unlike on the real part); a
   level-triggered input's IRR bit follows the line. */
void i8259_set_irq(struct i8259 *pic, unsigned irq, bool level);
/* The master's INTR output. */
bool i8259_intr(const struct i8259 *pic);
/* The CPU's INTA cycle: the vector, with IRR moved to ISR in the master and (through IR2) the slave.
   A request that went away since INTR was seen gives IRQ 7's vector (IRQ 15's if it was the slave's)
   and sets no ISR bit, as on the 8259A; -1 if INTR has not been high since the last INTA. */
int i8259_ack(struct i8259 *pic);
