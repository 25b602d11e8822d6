/* SPDX-License-Identifier: MIT */
/* Scheduling context: priority, budget and consumed time, bound to one EC. */
#pragma once

#include "core/kobject.h"

struct quota;

#include <stdint.h>

struct ec;

struct sc {
    struct kobject obj;
    struct ec *ec;
    unsigned prio;              /* 1..127 */
    uint64_t budget;            /* TSC ticks per round */
    uint64_t left;              /* of the current round */
    uint64_t consumed;          /* TSC ticks used so far */
    uint64_t started;           /* TSC when it last got the CPU (0 when not running) */
    struct sc *next;            /* run-queue link */
    unsigned cpu;
    int queued;
};

/* It takes over a reference to ec that the caller holds (which stays the caller's when NULL is returned). */
struct sc *sc_create(struct ec *ec, unsigned prio, uint64_t budget_ticks, struct quota *q);
void sc_destroy(struct sc *sc);
/* Total consumed time including the current slice if the SC is running now. */
uint64_t sc_consumed(const struct sc *sc);
