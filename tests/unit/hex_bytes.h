/* SPDX-License-Identifier: MIT */
/* Instruction bytes written as hex text in the host unit tests: "8b 05 10" -> 8b 05 10. */
#pragma once

#include <stdint.h>
#include <stdlib.h>

/* Parse s into out (at most max bytes, else abort); returns the count. */
static inline unsigned hex_bytes(const char *s, uint8_t *out, unsigned max)
{
    unsigned n = 0;
    while (*s) {
        if (*s == ' ') {
            s++;
            continue;
        }
        if (n == max)
            abort();
        char buf[3] = { s[0], s[1], 0 };
        out[n++] = (uint8_t)strtoul(buf, NULL, 16);
        s += 2;
    }
    return n;
}
