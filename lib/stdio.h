/* SPDX-License-Identifier: MIT */
/* printf for user tasks, to an output function the task chooses (the UART for the root task). */
#pragma once

#include "format.h"

void stdio_set_output(void (*putc)(char c));
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
