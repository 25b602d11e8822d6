/* SPDX-License-Identifier: MIT */
/* A 16550A UART device model (the guest's ttyS0); not lib/ns16550.h, the driver for the host's UART. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct vm;

#define NS16550_FIFO_SIZE 16

struct ns16550 {
    struct vm *vm;
    uint16_t base;
    unsigned irq;
    uint8_t rx[NS16550_FIFO_SIZE];  /* receive FIFO (one entry used while FIFOs are off) */
    uint8_t rx_head, rx_count;
    uint8_t rbr;                    /* the byte the last RBR read returned */
    uint8_t ier, lcr, mcr, scr, dll, dlm;
    uint8_t fcr;                    /* FIFO enable, DMA mode and trigger bits as last written */
    uint8_t lsr_err;                /* OE/PE/FE/BI, until LSR is read */
    uint8_t msr_in;                 /* MSR bits 7:4, the modem inputs */
    uint8_t msr_delta;              /* MSR bits 3:0, until MSR is read */
    bool thre_pending;              /* THR-empty interrupt condition */
    bool logged_width;
};

/* Reset the UART and claim ports [base, base + 8); its interrupt line is GSI irq. */
void ns16550_init(struct ns16550 *u, struct vm *vm, uint16_t base, unsigned irq);
/* A byte from the host console for the guest. false if the receiver has no room (the FIFO is
   full, or the UART is in loopback mode, where the serial input is disconnected): keep the byte. */
bool ns16550_receive(struct ns16550 *u, uint8_t byte);
/* How many bytes ns16550_receive would accept now. */
unsigned ns16550_rx_space(const struct ns16550 *u);
