/* SPDX-License-Identifier: MIT */
/* Reporting for the host unit tests: "ok N name" / "not ok N name: why" lines and the summary. */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Only libc's printf is used here: the format test replaces snprintf with the code under test. */
static unsigned check_passed, check_failed;

/* Count one check and print its line; on failure the caller prints the reason after "name: ". */
static inline bool check_begin(bool ok, const char *name)
{
    unsigned n = check_passed + check_failed + 1;
    if (ok) {
        check_passed++;
        printf("ok %u %s\n", n, name);
        fflush(stdout); /* keep the lines so far if a later case crashes */
    } else {
        check_failed++;
        printf("not ok %u %s: ", n, name);
    }
    return ok;
}

static inline bool check_true(const char *name, bool ok, const char *expr)
{
    if (!check_begin(ok, name))
        printf("false: %s\n", expr), fflush(stdout);
    return ok;
}

static inline bool check_u64(const char *name, unsigned long long got, unsigned long long want)
{
    bool ok = got == want;
    if (!check_begin(ok, name))
        printf("got %#llx (%lld), want %#llx (%lld)\n", got, (long long)got, want, (long long)want), fflush(stdout);
    return ok;
}

static inline bool check_str(const char *name, const char *got, const char *want)
{
    bool ok = got && want && strcmp(got, want) == 0;
    if (!check_begin(ok, name))
        printf("got \"%s\", want \"%s\"\n", got ? got : "(NULL)", want ? want : "(NULL)"), fflush(stdout);
    return ok;
}

/* CHECK(name, condition); CHECK_EQ(name, got, want) for integers; CHECK_STR for C strings. */
#define CHECK(name, cond)          check_true((name), (cond), #cond)
#define CHECK_EQ(name, got, want)  check_u64((name), (unsigned long long)(got), (unsigned long long)(want))
#define CHECK_STR(name, got, want) check_str((name), (got), (want))

/* Print "N passed, M failed" and return the process exit status. */
static inline int check_summary(void)
{
    printf("%u passed, %u failed\n", check_passed, check_failed);
    return check_failed ? 1 : 0;
}
