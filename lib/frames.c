/* SPDX-License-Identifier: MIT */
/* A set of free physical page ranges: the root task's memory pool (pure logic, host-tested). */

#include "frames.h"
#include <string.h>

#define PAGE_MASK (FRAMES_PAGE - 1)

void frames_init(struct frames *f)
{
    f->n = 0;
}

static void insert_at(struct frames *f, unsigned i, uint64_t base, uint64_t end)
{
    memmove(&f->r[i + 1], &f->r[i], (f->n - i) * sizeof(f->r[0]));
    f->r[i] = (struct frame_range){base, end};
    f->n++;
}

static void delete_at(struct frames *f, unsigned i)
{
    memmove(&f->r[i], &f->r[i + 1], (f->n - i - 1) * sizeof(f->r[0]));
    f->n--;
}

bool frames_add(struct frames *f, uint64_t base, uint64_t end)
{
    if (base > ~PAGE_MASK)
        return true; /* not a whole page */
    base = (base + PAGE_MASK) & ~PAGE_MASK;
    end &= ~PAGE_MASK;
    if (end <= base)
        return true;
    unsigned i = 0;
    while (i < f->n && f->r[i].end <= base)
        i++;
    /* r[i] is the first range ending after base: it must start at or after end. */
    if (i < f->n && f->r[i].base < end)
        return false;
    bool join_prev = i > 0 && f->r[i - 1].end == base, join_next = i < f->n && f->r[i].base == end;
    if (join_prev && join_next) {
        f->r[i - 1].end = f->r[i].end;
        delete_at(f, i);
    } else if (join_prev) {
        f->r[i - 1].end = end;
    } else if (join_next) {
        f->r[i].base = base;
    } else {
        if (f->n == FRAMES_MAX_RANGES)
            return false;
        insert_at(f, i, base, end);
    }
    return true;
}

bool frames_remove(struct frames *f, uint64_t base, uint64_t end)
{
    base &= ~PAGE_MASK;
    end = end > ~PAGE_MASK ? ~PAGE_MASK : (end + PAGE_MASK) & ~PAGE_MASK; /* the last page never is free */
    if (end <= base)
        return true;
    for (unsigned i = 0; i < f->n; i++) {
        struct frame_range *r = &f->r[i];
        if (r->end <= base || r->base >= end)
            continue;
        if (r->base < base && r->end > end) { /* a hole in the middle: one range becomes two */
            if (f->n == FRAMES_MAX_RANGES)
                return false;
            insert_at(f, i + 1, end, r->end);
            f->r[i].end = base;
            return true;
        }
        if (r->base < base) {
            r->end = base;
        } else if (r->end > end) {
            r->base = end;
        } else {
            delete_at(f, i);
            i--;
        }
    }
    return true;
}

bool frames_alloc(struct frames *f, uint64_t size, uint64_t align, uint64_t *base)
{
    if (size == 0 || (size & PAGE_MASK) || align < FRAMES_PAGE || (align & (align - 1)))
        return false;
    for (unsigned i = 0; i < f->n; i++) {
        uint64_t start = (f->r[i].base + align - 1) & ~(align - 1);
        if (start < f->r[i].base || start >= f->r[i].end || f->r[i].end - start < size)
            continue;
        /* Carving from the middle splits the range; with a full table try the next one. */
        if (!frames_remove(f, start, start + size))
            continue;
        *base = start;
        return true;
    }
    return false;
}

uint64_t frames_total(const struct frames *f)
{
    uint64_t sum = 0;
    for (unsigned i = 0; i < f->n; i++)
        sum += f->r[i].end - f->r[i].base;
    return sum;
}

uint64_t frames_largest(const struct frames *f)
{
    uint64_t max = 0;
    for (unsigned i = 0; i < f->n; i++)
        if (f->r[i].end - f->r[i].base > max)
            max = f->r[i].end - f->r[i].base;
    return max;
}
