/* SPDX-License-Identifier: MIT */
/* Portal: an entry point (IP) into a local EC, with the PID and event MTD it delivers. */
#pragma once

#include "core/kobject.h"

struct quota;

#include <stdint.h>

struct ec;

struct pt {
    struct kobject obj;
    struct ec *ec;
    uint64_t ip;
    uint64_t pid;
    uint32_t mtd;
};

/* It takes over a reference to ec that the caller holds (which stays the caller's when NULL is returned). */
struct pt *pt_create(struct ec *ec, uint64_t ip, struct quota *q);
void pt_destroy(struct pt *pt);
