/* SPDX-License-Identifier: MIT */
/* The host's serial console (COM1, taken by roottask_console) for guest output and input. */

#include "core/console.h"

#include <portio.h>

#define LSR      5
#define LSR_DR   0x01
#define LSR_THRE 0x20

void host_console_putc(char c)
{
    while (!(inb(HOST_COM1 + LSR) & LSR_THRE))
        cpu_relax();
    outb(HOST_COM1, (uint8_t)c);
}

int host_console_getc(void)
{
    return (inb(HOST_COM1 + LSR) & LSR_DR) ? inb(HOST_COM1) : -1;
}
