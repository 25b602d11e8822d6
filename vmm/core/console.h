/* SPDX-License-Identifier: MIT */
/* The host's serial console as the VMM uses it: guest output out, typed input in (polled). */
#pragma once

#include <stdbool.h>

#define HOST_COM1 0x3f8

void host_console_putc(char c);
/* A byte typed on the host console, or -1 if none is waiting. */
int host_console_getc(void);
