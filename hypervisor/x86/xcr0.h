/* SPDX-License-Identifier: MIT */
/* XCR0, the enabled XSAVE components: access, and the values a guest may have. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define XCR0_X87   0x1ull
#define XCR0_SSE   0x2ull
#define XCR0_AVX   0x4ull
#define XCR0_RESET XCR0_X87     /* the value after INIT */

static inline uint64_t xcr0_get(void)
{
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (uint64_t)hi << 32 | lo;
}

static inline void xcr0_set(uint64_t v)
{
    __asm__ volatile("xsetbv" ::"c"(0), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* XCR0 values XSETBV accepts (x87 on, AVX only with SSE) within the components in allowed. */
static inline bool xcr0_valid(uint64_t xcr0, uint64_t allowed)
{
    return (xcr0 & XCR0_X87) && !((xcr0 & XCR0_AVX) && !(xcr0 & XCR0_SSE)) && !(xcr0 & ~allowed);
}
