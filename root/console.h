/* SPDX-License-Identifier: MIT */
/* The serial console shared by the root task's threads and its clients: whole lines at a time. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Create the console lock at the free selector sel. Until then, say() writes without it. */
void console_init(uint64_t sel);
/* printf for the root task once several threads run: the text goes out in one piece. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One line of a client's output, "prefix: text" (just "text" when prefix is NULL). */
void console_line(const char *prefix, const char *text, size_t len);
