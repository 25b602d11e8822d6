/* SPDX-License-Identifier: MIT */
/* Kernel console: formatted output to the UART and the memory-buffer console (spec C.1). */

#include "core/console.h"
#include "core/pd.h"
#include "core/sm.h"
#include "core/spinlock.h"
#include "x86/cpu.h"
#include <uart.h>

#include <format.h>
#include <nova/mbuf.h>
#include <nova/selectors.h>
#include <nova/status.h>
#include <stdarg.h>
#include <stdbool.h>

static bool uart_on, handed_over;
static struct nova_mbuf *mbuf;
static void (*mbuf_line_done)(void);
static struct spinlock console_lock;

void console_init_uart(void)
{
    uart_on = uart_init(COM1_PORT);
}

void console_disable_uart(void)
{
    uart_on = false;
}

void console_handover(void)
{
    handed_over = true;
}

void console_handover_revoke(void)
{
    handed_over = false;
}

static struct sm *console_sm;

static void console_line_done(void)
{
    sm_up(console_sm);
}

void console_sm_init(void)
{
    console_sm = sm_create(0, NULL);
    if (!console_sm || space_obj_insert(&pd_nova->objs, NOVA_SEL_CONSOLE_SM,
                                        cap_make(&console_sm->obj, NOVA_PERM_SM_ALL)) != NOVA_SUCCESS)
        panic("out of memory creating the console semaphore");
    mbuf_line_done = console_line_done;
}

void console_init_mbuf(void *page, void (*line_done)(void))
{
    mbuf = page;
    mbuf->rd_idx = mbuf->wr_idx = 0;
    mbuf_line_done = line_done;
}

/* Append to the ring; when it is full, drop the oldest character (advance RdIdx). */
static void mbuf_putc(char c)
{
    uint32_t wr = mbuf->wr_idx, next = (wr + 1) % NOVA_MBUF_SLOTS;
    mbuf->buf[wr] = c;
    if (next == __atomic_load_n(&mbuf->rd_idx, __ATOMIC_RELAXED))
        mbuf->rd_idx = (next + 1) % NOVA_MBUF_SLOTS;
    __atomic_store_n(&mbuf->wr_idx, next, __ATOMIC_RELEASE);
}

struct sink_state {
    bool newline, uart;
};

static void console_sink(void *ctx, char c)
{
    struct sink_state *st = ctx;
    if (st->uart) {
        if (c == '\n')
            uart_putc(COM1_PORT, '\r');
        uart_putc(COM1_PORT, c);
    }
    if (mbuf) {
        mbuf_putc(c);
        if (c == '\n')
            st->newline = true;
    }
}

static int console_output(bool uart, const char *fmt, va_list ap)
{
    struct sink_state st = {false, uart && uart_on};
    spin_lock(&console_lock);
    int n = vformat(console_sink, &st, fmt, ap);
    spin_unlock(&console_lock);
    if (st.newline && mbuf_line_done)
        mbuf_line_done();
    return n;
}

static int console_vprintf(const char *fmt, va_list ap)
{
    return console_output(!handed_over, fmt, ap);
}

/* Fatal messages reach the UART even after the handover. */
int kprintf_final(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = console_output(true, fmt, ap);
    va_end(ap);
    return n;
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = console_vprintf(fmt, ap);
    va_end(ap);
    return n;
}

void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    console_handover_revoke(); /* everything from here on matters */
    kprintf_final("nova: panic: ");
    console_output(true, fmt, ap);
    va_end(ap);
    kprintf_final("\n");
    cpu_stop();
}

void boot_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kprintf("nova: error: ");
    console_vprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
    cpu_stop();
}
