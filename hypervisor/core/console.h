/* SPDX-License-Identifier: MIT */
/* Kernel console: formatted output to the UART and the memory-buffer console (spec C.1). */
#pragma once

#include <stdint.h>

void console_init_uart(void);
void console_disable_uart(void);
/* The root task owns the UART from now on (spec C.2: the UART is boot-time output): later
   messages go to the memory-buffer console only, except panics. */
void console_handover(void);
/* For the last words before the platform goes off or resets: to the UART as well. */
int kprintf_final(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Before a register dump: the UART is ours again. */
void console_handover_revoke(void);
void console_init_mbuf(void *page, void (*line_done)(void));
/* The console semaphore (PD_NOVA, selector SEL_NUM - 1): up at the end of every mbuf line. */
void console_sm_init(void);
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);
/* Print "nova: error: <reason>" and stop for good: for bad boot input. */
__attribute__((noreturn, format(printf, 1, 2))) void boot_fail(const char *fmt, ...);
