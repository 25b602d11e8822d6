/* SPDX-License-Identifier: MIT */
/* The serial console shared by the root task's threads and its clients: whole lines at a time. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Create the console lock at the free selector sel. Until then, say() writes without it. */
void console_init(uint64_t sel);
/* printf for the root task once several threads run: the text goes out in one piece. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Output of a client (owner): "prefix: text" (just "text" when prefix is NULL), ended with a
   newline when end is set. A line left open (a prompt) is continued by the same owner's next text
   without a prefix; any other output first ends it. */
void console_text(const void *owner, const char *prefix, const char *text, size_t len, bool end);
