/* SPDX-License-Identifier: MIT */
/* Per-CPU data, reached through GS in the kernel; entry.S uses the offsets below. */
#pragma once

#include "x86/boot_layout.h"

#define PERCPU_SELF       0x00
#define PERCPU_SCRATCH    0x08
#define PERCPU_KSTACK     0x10
#define PERCPU_FRAME_TOP  0x18

#ifndef __ASSEMBLER__
#include "x86/tss.h"

#include <stddef.h>
#include <stdint.h>

struct ec;
struct pd;

struct percpu {
    struct percpu *self;        /* 0x00 */
    uint64_t scratch;           /* 0x08: user RSP during SYSCALL entry */
    uint64_t kstack_top;        /* 0x10 */
    uint64_t frame_top;         /* 0x18: end of the current EC's register frame (= TSS.RSP0) */
    struct ec *current;
    struct ec *fpu_owner;       /* whose state the FPU registers hold */
    struct pd *active_pd;       /* whose page table CR3 holds (NULL: the kernel's) */
    struct pd *guest_pd;        /* whose vCPU runs here (NULL: none) */
    volatile int tlb_flush;     /* a shootdown asks this CPU to flush */
    unsigned long rcu_seen;     /* RCU generation at this CPU's last quiescent point */
    volatile int idle;          /* halted with no object in use: quiescent for RCU */
    struct pd *iobm_pd;         /* whose I/O bitmap the TSS holds */
    uint64_t iobm_version;
    uint64_t ist_top;           /* stack for NMI, #DF and #MC */
    unsigned id, apic_id;
    volatile int online;
    uint64_t gdt[8];
    struct tss_io tss;
} __attribute__((aligned(64)));

_Static_assert(offsetof(struct percpu, scratch) == PERCPU_SCRATCH, "percpu layout");
_Static_assert(offsetof(struct percpu, kstack_top) == PERCPU_KSTACK, "percpu layout");
_Static_assert(offsetof(struct percpu, frame_top) == PERCPU_FRAME_TOP, "percpu layout");

static inline struct percpu *this_cpu(void)
{
    struct percpu *p;
    __asm__ volatile("mov %%gs:0, %0" : "=r"(p));
    return p;
}

extern struct percpu *cpus[];
extern unsigned cpu_count;

/* The BSP's per-CPU data (static, usable before the page allocator exists). */
void percpu_init_bsp(void);
/* Per-CPU data and stacks for an AP; NULL when out of memory. */
struct percpu *percpu_create(unsigned id, unsigned apic_id);
#endif
