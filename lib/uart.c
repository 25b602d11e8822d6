/* SPDX-License-Identifier: MIT */
/* 16550 UART output at 115200 8N1; used by the hypervisor and by the root task. */

#include "uart.h"
#include "portio.h"

enum {
    UART_THR = 0, /* transmit holding (DLAB=0) */
    UART_DLL = 0, /* divisor low (DLAB=1) */
    UART_IER = 1,
    UART_DLM = 1,
    UART_FCR = 2,
    UART_LCR = 3,
    UART_MCR = 4,
    UART_LSR = 5,
    UART_SCR = 7,
};

#define LCR_8N1     0x03
#define LCR_DLAB    0x80
#define FCR_ENABLE  0x07 /* enable and clear both FIFOs */
#define MCR_DTR_RTS 0x03
#define LSR_THRE    0x20
#define DIVISOR_115200 1 /* 1.8432 MHz / 16 / 115200 */

/* Program the UART; returns false when no UART answers at the port (scratch register test). */
bool uart_init(uint16_t port)
{
    outb(port + UART_SCR, 0x5a);
    if (inb(port + UART_SCR) != 0x5a)
        return false;
    outb(port + UART_IER, 0);
    outb(port + UART_LCR, LCR_DLAB);
    outb(port + UART_DLL, DIVISOR_115200 & 0xff);
    outb(port + UART_DLM, DIVISOR_115200 >> 8);
    outb(port + UART_LCR, LCR_8N1);
    outb(port + UART_FCR, FCR_ENABLE);
    outb(port + UART_MCR, MCR_DTR_RTS);
    return true;
}

void uart_putc(uint16_t port, char c)
{
    for (unsigned spin = 0; !(inb(port + UART_LSR) & LSR_THRE) && spin < 1000000; spin++)
        cpu_relax();
    outb(port + UART_THR, (uint8_t)c);
}
