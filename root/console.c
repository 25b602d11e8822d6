/* SPDX-License-Identifier: MIT */
/* The serial console shared by the root task's threads and its clients: whole lines at a time. */

#include "console.h"
#include "lock.h"

#include <format.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#define SAY_MAX 512

static struct lock console_lock;
static bool locking;

void console_init(uint64_t sel)
{
    locking = lock_init(&console_lock, sel) == NOVA_SUCCESS;
}

static void take(void)
{
    if (locking)
        lock_take(&console_lock);
}

static void give(void)
{
    if (locking)
        lock_give(&console_lock);
}

void say(const char *fmt, ...)
{
    char buf[SAY_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    take();
    printf("%s", buf);
    give();
}

void console_line(const char *prefix, const char *text, size_t len)
{
    take();
    if (prefix)
        printf("%s: ", prefix);
    printf("%.*s\n", (int)len, text);
    give();
}
