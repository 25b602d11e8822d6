/* SPDX-License-Identifier: MIT */
/* Memory-buffer console: one page with read/write indices and a character ring. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/*
 * The page lies at HIP mbuf_start .. mbuf_end (physical, taken from PD_NOVA
 * with ctrl_pd). The ring has N = mbuf_end - mbuf_start - 8 slots; our kernel
 * uses one page, so N = NOVA_MBUF_SLOTS. Empty when rd_idx == wr_idx; both
 * indices are in 0 .. N-1 and wrap at N. Only the kernel moves wr_idx; the
 * consumer moves rd_idx, and the kernel also moves it when the ring is full.
 * Both sides change the header concurrently: access it with volatile or
 * atomic loads and stores. After each '\n' the kernel does an up on the
 * console semaphore (NOVA_SEL_CONSOLE_SM in PD_NOVA); wait on it with a down.
 */
struct nova_mbuf {
    uint32_t rd_idx; /* 0x0: next character to read */
    uint32_t wr_idx; /* 0x4: next character the kernel writes */
    char buf[];      /* 0x8 */
} __attribute__((packed));

#define NOVA_MBUF_SIZE     4096U
#define NOVA_MBUF_HDR_SIZE 8U
#define NOVA_MBUF_SLOTS    (NOVA_MBUF_SIZE - NOVA_MBUF_HDR_SIZE)

_Static_assert(sizeof(struct nova_mbuf) == NOVA_MBUF_HDR_SIZE, "mbuf header size");
_Static_assert(offsetof(struct nova_mbuf, rd_idx) == 0x0, "mbuf.rd_idx");
_Static_assert(offsetof(struct nova_mbuf, wr_idx) == 0x4, "mbuf.wr_idx");
_Static_assert(offsetof(struct nova_mbuf, buf) == 0x8, "mbuf.buf");
