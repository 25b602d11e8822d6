/* SPDX-License-Identifier: MIT */
/* Where the root task keeps its own objects: selectors and UTCB addresses (the initial
   capabilities are at the top of its object space, NOVA_SEL_PD_NOVA and below). */
#pragma once

#define SEL_CONSOLE_LOCK 0x100
#define SEL_POOL_LOCK    0x101
#define SEL_TABLE_LOCK   0x102
#define SEL_ENDED_SM     0x103    /* clients that end wake the main thread here */
#define SEL_UART_IRQ     0x104    /* COM1's interrupt semaphore (GSI 4), from PD_NOVA */
#define SEL_STARTUP_EC   0x105    /* handler of the start-up portal of the root's threads (thread.h) */
#define SEL_INPUT_EC     0x106    /* the console input thread */
#define SEL_INPUT_SC     0x107
#define SEL_ACCOUNT_LOCK 0x108    /* client.c: pool changes and the lines that report them */
#define SEL_KLOG_SM      0x109    /* the kernel's console semaphore, from PD_NOVA (klog.c) */
#define SEL_KLOG_EC      0x10a    /* the kernel log relay thread */
#define SEL_KLOG_SC      0x10b
#define SEL_DRV_LOCKS    0x180    /* driver services (drivers.c): DRV_LOCK_* below */
#define SEL_DRV_IRQS     0x200    /* interrupt semaphores from PD_NOVA: + index, NOVA_INT_VECTORS */
#define SEL_CLIENTS      0x20000  /* one block of CS_BLOCK per client; the block below stays empty */
#define SEL_NULL_BLOCK   0x30000  /* 2^15 selectors that stay empty: the source for clearing a space */

enum { DRV_LOCK_PIO, DRV_LOCK_IRQ, DRV_LOCK_PCI, DRV_LOCK_CFG };

#define UTCB_HANDLERS    0x300000000000ull  /* UTCBs of the client handler ECs, one page each */
#define UTCB_STARTUP     0x2ffffffff000ull  /* of SEL_STARTUP_EC */
#define UTCB_INPUT       0x2fffffffe000ull  /* of SEL_INPUT_EC */
#define UTCB_KLOG        0x2fffffffd000ull  /* of SEL_KLOG_EC */
