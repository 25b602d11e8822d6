/* SPDX-License-Identifier: MIT */
/* The VMM's console through the root task: its messages and its guest's serial output out, typed
   input in (polled by the device thread). */
#pragma once

#include <stdbool.h>

/* Start the console thread on cpu and send printf through it; -1 if it cannot start. */
int console_start(unsigned cpu);
/* Wait (up to a second) until everything printed so far has reached the root. */
void console_flush(void);
/* A byte of the guest's serial output. */
void host_console_putc(char c);
/* A byte typed for this VM, or -1 if none is waiting. */
int host_console_getc(void);
