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
static const void *open_owner;  /* whose line the cursor stands in, NULL when at a line start */

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

/* With the lock: end a line another owner left open. */
static void close_for(const void *owner)
{
    if (open_owner && open_owner != owner) {
        printf("\n");
        open_owner = 0;
    }
}

void say(const char *fmt, ...)
{
    char buf[SAY_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    take();
    close_for(0);
    printf("%s", buf);
    give();
}

void console_text(const void *owner, const char *prefix, const char *text, size_t len, bool end)
{
    take();
    close_for(owner);
    if (prefix && open_owner != owner)
        printf("%s: ", prefix);
    printf("%.*s%s", (int)len, text, end ? "\n" : "");
    open_owner = end ? 0 : owner;
    give();
}
