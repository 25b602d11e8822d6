/* SPDX-License-Identifier: MIT */
/* 64-bit task-state segment with the I/O permission bitmap that carries a PD's port rights. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define IO_PORTS          65536
#define IO_BITMAP_BYTES   (IO_PORTS / 8)
#define TSS_IST_FAULT     1     /* IST slot for NMI, #DF and #MC */

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];            /* 0x04 */
    uint64_t reserved1;
    uint64_t ist[7];            /* 0x24 */
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;        /* 0x66 */
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 0x68, "TSS size");
_Static_assert(offsetof(struct tss, ist) == 0x24, "TSS layout");
_Static_assert(offsetof(struct tss, iomap_base) == 0x66, "TSS layout");

/* The TSS followed by the bitmap and the terminating all-ones byte the CPU requires. */
struct tss_io {
    struct tss tss;
    uint8_t bitmap[IO_BITMAP_BYTES];
    uint8_t terminator;
} __attribute__((packed));

#define TSS_IOMAP_NONE    0xffff /* beyond the limit: every port access from user mode faults */
