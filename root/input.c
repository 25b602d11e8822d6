/* SPDX-License-Identifier: MIT */
/* Console input: the root reads COM1 on its interrupt and hands typed bytes to the client that has
   the input focus; Ctrl-A followed by a key moves the focus, as in a terminal multiplexer. */

#include "input.h"
#include "client.h"
#include "console.h"
#include "sel.h"

#include <hc.h>
#include <nova/descriptors.h>
#include <nova/selectors.h>
#include <portio.h>
#include <thread.h>
#include <uart.h>

#define UART_GSI     4      /* COM1's ISA IRQ; identity-mapped until the root reads ACPI */
#define UART_RBR     0      /* receive buffer */
#define UART_IER     1
#define UART_MCR     4
#define UART_LSR     5
#define IER_RX       0x01   /* interrupt when a byte arrives */
#define MCR_DTR_RTS  0x03
#define MCR_OUT2     0x08   /* gates the UART's interrupt line on PC boards */
#define LSR_DR       0x01   /* a byte is waiting */
#define CTRL_A       0x01
#define INPUT_PRIO   100    /* above the clients, below the root's main thread */
#define INPUT_BUDGET 10     /* ms */
#define INPUT_STACK  8192

static uint8_t stack[INPUT_STACK] __attribute__((aligned(16)));

/* One typed byte: Ctrl-A starts a command, 1-9 picks a client, n the next one, a second Ctrl-A
   passes one through; anything else goes to the focus with CR turned into LF. */
static void key(char ch)
{
    static bool command;
    if (command) {
        command = false;
        if (ch >= '1' && ch <= '9')
            clients_focus((unsigned)(ch - '0'));
        else if (ch == 'n')
            clients_focus(0);
        else if (ch == CTRL_A)
            clients_input(ch);
        return;
    }
    if (ch == CTRL_A)
        command = true;
    else
        clients_input(ch == '\r' ? '\n' : ch);
}

static void input_loop(void *arg)
{
    (void)arg;
    for (;;) {
        while (inb(COM1_PORT + UART_LSR) & LSR_DR)
            key((char)inb(COM1_PORT + UART_RBR));
        hc_sm_down(SEL_UART_IRQ, 0, 0);
    }
}

bool input_start(unsigned cpu)
{
    unsigned st = hc_ctrl_pd(NOVA_SEL_PD_NOVA, NOVA_SEL_PD_ROOT, NOVA_SEL_INT_BASE + UART_GSI, SEL_UART_IRQ, 0,
                             NOVA_PERM_SM_INT, NOVA_SPC_OBJ, 0, 0);
    if (st == NOVA_SUCCESS) /* edge-triggered, active high, unmasked, host-owned */
        st = hc_raw(nova_hc_id(NOVA_ASSIGN_INT, 0, SEL_UART_IRQ), cpu, 0, 0, 0, 0);
    if (st == NOVA_SUCCESS)
        st = thread_init_cpu(cpu, SEL_STARTUP_EC, UTCB_STARTUP);
    if (st == NOVA_SUCCESS)
        st = thread_start(SEL_INPUT_EC, SEL_INPUT_SC, cpu, UTCB_INPUT, (uint64_t)stack + INPUT_STACK, INPUT_PRIO,
                          INPUT_BUDGET, input_loop, 0);
    if (st != NOVA_SUCCESS) {
        say("root: no console input: %s\n", nova_status_name(st));
        return false;
    }
    outb(COM1_PORT + UART_MCR, MCR_DTR_RTS | MCR_OUT2);
    outb(COM1_PORT + UART_IER, IER_RX);
    return true;
}
