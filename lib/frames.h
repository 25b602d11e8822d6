/* SPDX-License-Identifier: MIT */
/* A set of free physical page ranges: the root task's memory pool (pure logic, host-tested). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define FRAMES_PAGE       4096ull
#define FRAMES_MAX_RANGES 128

struct frame_range {
    uint64_t base, end;         /* page-aligned, end exclusive */
};

/* Ranges sorted by address, never empty, never touching (neighbours are merged). */
struct frames {
    unsigned n;
    struct frame_range r[FRAMES_MAX_RANGES];
};

void frames_init(struct frames *f);
/* Add the whole pages inside [base, end) (never the last page of the address space). False (and
   nothing added) if a page of it is free already, or if the table has no room. */
bool frames_add(struct frames *f, uint64_t base, uint64_t end);
/* Take every page touching [base, end) out of the set, free or not. False if a split needed a
   table entry that was not there (the set is then unchanged). */
bool frames_remove(struct frames *f, uint64_t base, uint64_t end);
/* Take size bytes (a multiple of the page size, > 0) starting at a multiple of align (a power of
   two, at least a page) from the lowest range where they fit; false if none does. */
bool frames_alloc(struct frames *f, uint64_t size, uint64_t align, uint64_t *base);
/* Bytes free, and the largest free range. */
uint64_t frames_total(const struct frames *f);
uint64_t frames_largest(const struct frames *f);
