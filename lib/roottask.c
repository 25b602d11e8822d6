/* SPDX-License-Identifier: MIT */
/* Start-up chores every root task shares: the UART console, the boot information, a clean exit. */

#include "roottask.h"
#include "hc.h"
#include "uart.h"
#include "physmap.h"
#include "portio.h"
#include "stdio.h"
#include "words.h"

#include <nova/selectors.h>

#define UART_PORTS_ORDER 3      /* COM1: 8 ports */
#define QEMU_EXIT_PORT   0xf4   /* isa-debug-exit in the test setup */

static unsigned take_ports(unsigned base, unsigned order)
{
    return hc_ctrl_pd(NOVA_SEL_PD_NOVA, NOVA_SEL_PD_ROOT, base, base, order, NOVA_PERM_PIO_A, NOVA_SPC_PIO,
                      NOVA_ACC_CPU_HST, 0);
}

static void uart_out(char c)
{
    if (c == '\n')
        uart_putc(COM1_PORT, '\r');
    uart_putc(COM1_PORT, c);
}

bool roottask_console(void)
{
    if (take_ports(COM1_PORT, UART_PORTS_ORDER) != NOVA_SUCCESS)
        return false;
    stdio_set_output(uart_out);
    return true;
}

enum mb_status roottask_boot_info(uint64_t magic, uint64_t info, struct mb_info *mb)
{
    return multiboot_parse((uint32_t)magic, info, phys_map_ro, 0, mb);
}

void roottask_finish(const struct mb_info *mb, unsigned code)
{
    if (mb->nmods && word_present(mb->mods[0].cmdline, "qemu-exit") && take_ports(QEMU_EXIT_PORT, 0) == NOVA_SUCCESS)
        outb(QEMU_EXIT_PORT, (uint8_t)code);
    hc_ipc_reply_wait();
}
