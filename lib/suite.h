/* SPDX-License-Identifier: MIT */
/* A tiny case runner for in-hypervisor test tasks: "ok N name" / "not ok N name: why" lines. */
#pragma once

#include <stdio.h>

struct suite {
    unsigned n, passed, failed;
};

extern struct suite suite;

/* Record one case; why is printed only on failure. */
void suite_case(const char *name, int ok, const char *why_fmt, ...) __attribute__((format(printf, 3, 4)));
void suite_summary(void);
/* A case that cannot run on this machine (e.g. needs a second CPU): counted as passed, marked skip. */
void suite_skip(const char *name, const char *reason);

/* Check that a hypercall returned the expected status. */
#define EXPECT_STATUS(name, call, want)                                                                \
    do {                                                                                               \
        unsigned got_ = (call);                                                                        \
        suite_case(name, got_ == (want), "status %s, want %s", nova_status_name(got_),                 \
                   nova_status_name(want));                                                            \
    } while (0)
