/* SPDX-License-Identifier: MIT */
/* printf for user tasks, to an output function the task chooses (the UART for the root task). */

#include "stdio.h"

#include <stdarg.h>

static void (*out)(char c);

void stdio_set_output(void (*putc)(char c))
{
    out = putc;
}

static void sink(void *ctx, char c)
{
    (void)ctx;
    if (out)
        out(c);
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vformat(sink, 0, fmt, ap);
    va_end(ap);
    return n;
}
