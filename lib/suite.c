/* SPDX-License-Identifier: MIT */
/* A tiny case runner for in-hypervisor test tasks: "ok N name" / "not ok N name: why" lines. */

#include "suite.h"

#include <format.h>
#include <stdarg.h>

struct suite suite;

void suite_case(const char *name, int ok, const char *why_fmt, ...)
{
    suite.n++;
    if (ok) {
        suite.passed++;
        printf("ok %u %s\n", suite.n, name);
        return;
    }
    char why[160];
    va_list ap;
    va_start(ap, why_fmt);
    vsnprintf(why, sizeof(why), why_fmt, ap);
    va_end(ap);
    suite.failed++;
    printf("not ok %u %s: %s\n", suite.n, name, why);
}

void suite_skip(const char *name, const char *reason)
{
    suite.n++;
    suite.passed++;
    printf("ok %u %s # skip %s\n", suite.n, name, reason);
}

void suite_summary(void)
{
    printf("%u passed, %u failed\n", suite.passed, suite.failed);
}
