/* SPDX-License-Identifier: MIT */
/* Host test of lib/frames.c: the root task's set of free physical page ranges. */

#include <frames.h>

#include <stdio.h>
#include <string.h>

#include "check.h"

#define K 1024ull
#define M (1024ull * K)

static struct frames f;

/* The set as text, "[base-end) ..." in hex, to compare whole states at once. */
static const char *show(void)
{
    static char buf[4096];
    size_t n = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < f.n && n < sizeof(buf) - 64; i++)
        n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s[%llx-%llx)", i ? " " : "",
                              (unsigned long long)f.r[i].base, (unsigned long long)f.r[i].end);
    return buf;
}

static void cases_add(void)
{
    frames_init(&f);
    CHECK("add_rounds_inward", frames_add(&f, 0x1800, 0x5800));
    CHECK_STR("add_rounds_inward_state", show(), "[2000-5000)");
    CHECK("add_less_than_a_page_is_nothing", frames_add(&f, 0x9100, 0x9f00));
    CHECK_STR("add_less_than_a_page_state", show(), "[2000-5000)");
    CHECK("add_top_partial_page_is_nothing", frames_add(&f, ~0ull - 0xffe, ~0ull) && f.n == 1);
    CHECK("add_after", frames_add(&f, 0x8000, 0x9000));
    CHECK("add_before", frames_add(&f, 0x0, 0x1000));
    CHECK_STR("add_sorted", show(), "[0-1000) [2000-5000) [8000-9000)");
    CHECK("add_joins_both_neighbours", frames_add(&f, 0x5000, 0x8000));
    CHECK_STR("add_joined", show(), "[0-1000) [2000-9000)");
    CHECK("add_joins_previous", frames_add(&f, 0x9000, 0xa000));
    CHECK("add_joins_next", frames_add(&f, 0x1000, 0x2000));
    CHECK_STR("add_one_range", show(), "[0-a000)");
    CHECK("add_overlap_refused", !frames_add(&f, 0x9000, 0xb000));
    CHECK("add_inside_refused", !frames_add(&f, 0x3000, 0x4000));
    CHECK("add_separate", frames_add(&f, 0x100000, 0x200000));
    CHECK("add_covering_refused", !frames_add(&f, 0x50000, 0x300000));
    CHECK_STR("add_refused_changes_nothing", show(), "[0-a000) [100000-200000)");
    CHECK_EQ("total", frames_total(&f), 0xa000 + 0x100000);
}

static void cases_remove(void)
{
    frames_init(&f);
    frames_add(&f, 0, 16 * M);
    CHECK("remove_middle_splits", frames_remove(&f, 4 * M + 1, 5 * M - 1));
    CHECK_STR("remove_middle_rounds_outward", show(), "[0-400000) [500000-1000000)");
    CHECK("remove_head", frames_remove(&f, 0, 0x1000));
    CHECK("remove_tail", frames_remove(&f, 15 * M, 17 * M));
    CHECK("remove_across_two_ranges", frames_remove(&f, 3 * M, 6 * M));
    CHECK_STR("remove_state", show(), "[1000-300000) [600000-f00000)");
    CHECK("remove_absent_is_fine", frames_remove(&f, 3 * M, 6 * M));
    CHECK("remove_to_the_top", frames_remove(&f, 14 * M, ~0ull) && f.r[f.n - 1].end == 14 * M);
    CHECK("remove_whole", frames_remove(&f, 0, 32 * M));
    CHECK_EQ("remove_whole_empty", f.n, 0);
}

static void cases_alloc(void)
{
    uint64_t base = 0;
    frames_init(&f);
    frames_add(&f, 0x1000, 0x3000);
    frames_add(&f, 3 * M, 8 * M);
    CHECK("alloc_lowest_fit", frames_alloc(&f, 0x2000, FRAMES_PAGE, &base) && base == 0x1000);
    CHECK("alloc_skips_small", frames_add(&f, 0x1000, 0x2000) && frames_alloc(&f, 0x2000, FRAMES_PAGE, &base) &&
                                   base == 3 * M);
    CHECK("alloc_aligned", frames_alloc(&f, 2 * M, 2 * M, &base) && base == 4 * M);
    CHECK_STR("alloc_aligned_leaves_head", show(), "[1000-2000) [302000-400000) [600000-800000)");
    CHECK("alloc_too_big", !frames_alloc(&f, 4 * M, FRAMES_PAGE, &base));
    CHECK("alloc_zero_refused", !frames_alloc(&f, 0, FRAMES_PAGE, &base));
    CHECK("alloc_partial_page_refused", !frames_alloc(&f, 100, FRAMES_PAGE, &base));
    CHECK("alloc_bad_align_refused", !frames_alloc(&f, FRAMES_PAGE, 3 * FRAMES_PAGE, &base));
    CHECK_EQ("largest", frames_largest(&f), 2 * M);
    uint64_t before = frames_total(&f);
    CHECK("alloc_then_free", frames_alloc(&f, 64 * K, FRAMES_PAGE, &base) && frames_add(&f, base, base + 64 * K));
    CHECK_EQ("alloc_free_restores_total", frames_total(&f), before);
    CHECK("double_free_refused", !frames_add(&f, base, base + 64 * K));
}

/* A full table: adds that need an entry fail, and an allocation that would split moves on. */
static void cases_full(void)
{
    uint64_t base = 0;
    frames_init(&f);
    for (unsigned i = 0; i < FRAMES_MAX_RANGES; i++)
        frames_add(&f, i * 0x10000 + 0x1000, i * 0x10000 + 0x8000);
    CHECK_EQ("full_count", f.n, FRAMES_MAX_RANGES);
    CHECK("full_add_refused", !frames_add(&f, 0x10000000, 0x10001000));
    CHECK("full_add_joining_allowed", frames_add(&f, 0x8000, 0x9000) && f.r[0].end == 0x9000);
    CHECK("full_split_refused", !frames_remove(&f, 0x13000, 0x14000));
    CHECK("full_split_refused_unchanged", f.r[1].base == 0x11000 && f.r[1].end == 0x18000);
    CHECK("full_trim_allowed", frames_remove(&f, 0x21000, 0x24000) && f.r[2].base == 0x24000);
    /* Ranges 0 and 1 would split at a 16 KiB boundary; range 2 starts on one. */
    CHECK("full_alloc_moves_on", frames_alloc(&f, 0x1000, 0x4000, &base) && base == 0x24000);
    CHECK_EQ("full_alloc_count", f.n, FRAMES_MAX_RANGES);
}

int main(void)
{
    cases_add();
    cases_remove();
    cases_alloc();
    cases_full();
    return check_summary();
}
