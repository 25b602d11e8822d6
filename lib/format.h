/* SPDX-License-Identifier: MIT */
/* printf-style formatting into a character sink; shared by the hypervisor and user tasks. */
#pragma once

#include <stdarg.h>
#include <stddef.h>

typedef void (*format_sink)(void *ctx, char c);

/* Supports %d %i %u %x %X %o %p %s %c %%, flags - 0 # +, space, width, .precision, and the
   length modifiers hh h l ll z. Returns the number of characters produced. */
int vformat(format_sink sink, void *ctx, const char *fmt, va_list ap);

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
