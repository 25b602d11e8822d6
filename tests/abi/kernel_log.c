/* SPDX-License-Identifier: MIT */
/* The kernel's log after the console handover (memory-buffer console), relayed to the serial line. */

#include "kernel_log.h"

#include <nova/mbuf.h>
#include <physmap.h>
#include <stdio.h>
#include <string.h>

#define LINE_MAX 160u

unsigned kernel_log_relay(const struct nova_hip *hip, const char *echo, const char *prefix, unsigned *echoed)
{
    volatile struct nova_mbuf *m = phys_map(hip->mbuf_start, NOVA_MBUF_SIZE, 1);
    if (!m)
        return 0;
    char line[LINE_MAX];
    unsigned len = 0, found = 0, plen = (unsigned)strlen(prefix);
    uint32_t rd = m->rd_idx, wr = __atomic_load_n(&m->wr_idx, __ATOMIC_ACQUIRE);
    for (; rd != wr; rd = (rd + 1) % NOVA_MBUF_SLOTS) {
        char c = m->buf[rd];
        if (c != '\n') {
            if (len < LINE_MAX - 1)
                line[len++] = c;
            continue;
        }
        line[len] = 0;
        if (!strncmp(line, echo, strlen(echo))) {
            printf("abi: kernel: %s\n", line);
            if (echoed)
                ++*echoed;
        }
        found += len >= plen && !memcmp(line, prefix, plen);
        len = 0;
    }
    m->rd_idx = (rd + NOVA_MBUF_SLOTS - len) % NOVA_MBUF_SLOTS; /* a partial line stays unread */
    return found;
}
