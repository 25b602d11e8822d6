/* SPDX-License-Identifier: MIT */
/* 16550 UART output at 115200 8N1; used by the hypervisor and by the root task. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define COM1_PORT 0x3f8

bool uart_init(uint16_t port);
void uart_putc(uint16_t port, char c);
