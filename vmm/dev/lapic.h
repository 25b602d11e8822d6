/* SPDX-License-Identifier: MIT */
/* The local APIC of one vCPU (xAPIC and x2APIC, Intel SDM vol. 3 chapter "APIC"), with its timer. */
#pragma once

#include "dev/vdev.h"

#define LAPIC_BUS_HZ       1000000000ull /* timer input clock before the divider: one tick per ns */
#define LAPIC_DEFAULT_BASE 0xfee00000ull
#define LAPIC_VERSION      0x00050014u   /* integrated APIC 0x14, max LVT entry 5 (no CMCI) */

/* IA32_APIC_BASE (MSR 0x1b). */
#define LAPIC_MSR_APIC_BASE    0x1bu
#define LAPIC_BASE_BSP         (1ull << 8)  /* read-only */
#define LAPIC_BASE_EXTD        (1ull << 10) /* x2APIC mode */
#define LAPIC_BASE_EN          (1ull << 11) /* global enable */
#define LAPIC_BASE_ADDR_MASK   0x000ffffffffff000ull
#define LAPIC_MSR_TSC_DEADLINE 0x6e0u
#define LAPIC_MSR_X2APIC_FIRST 0x800u
#define LAPIC_MSR_X2APIC_LAST  0x8ffu

/* Local vector table entries in register order (xAPIC offset 0x320 + 0x10 * index). */
enum { LAPIC_LVT_TIMER, LAPIC_LVT_THERMAL, LAPIC_LVT_PERF, LAPIC_LVT_LINT0, LAPIC_LVT_LINT1, LAPIC_LVT_ERROR,
       LAPIC_LVT_NUM };

/* Error status register bits this model reports. */
#define LAPIC_ESR_SEND_ILLEGAL   (1u << 5)
#define LAPIC_ESR_RECV_ILLEGAL   (1u << 6)
#define LAPIC_ESR_ILLEGAL_REG    (1u << 7)

struct lapic {
    struct vm *vm;
    unsigned id;                    /* APIC ID = vCPU index (read-only for the guest) */
    uint64_t base_msr;              /* IA32_APIC_BASE */
    uint32_t tpr, ldr, dfr, svr;
    uint32_t esr, esr_pending;      /* ESR as read; errors since the last ESR write */
    uint32_t icr_low, icr_high;
    uint32_t lvt[LAPIC_LVT_NUM];
    uint32_t irr[8], isr[8], tmr[8];
    uint32_t timer_initial, timer_dcr;
    uint32_t timer_base;            /* the count at timer_start_ns */
    uint64_t timer_start_ns;
    bool timer_running;             /* one-shot / periodic counting */
    uint64_t tsc_deadline;          /* IA32_TSC_DEADLINE, 0 = disarmed */
    struct vtimer timer;
    bool logged_access, logged_base;
};

/* Power-on state: IA32_APIC_BASE = 0xfee00000 | EN | (bsp ? BSP : 0), xAPIC mode, registers reset. */
void lapic_init(struct lapic *l, struct vm *vm, unsigned id, bool bsp);
/* INIT: every register to its power-up value except the APIC ID and IA32_APIC_BASE (the mode stays). */
void lapic_reset(struct lapic *l);

static inline bool lapic_enabled(const struct lapic *l)
{
    return l->base_msr & LAPIC_BASE_EN;
}
static inline bool lapic_x2apic(const struct lapic *l)
{
    return (l->base_msr & (LAPIC_BASE_EN | LAPIC_BASE_EXTD)) == (LAPIC_BASE_EN | LAPIC_BASE_EXTD);
}
/* Where the VMM routes the xAPIC page of this vCPU (meaningful while enabled and not in x2APIC mode). */
static inline uint64_t lapic_base(const struct lapic *l)
{
    return l->base_msr & LAPIC_BASE_ADDR_MASK;
}
/* The MSRs lapic_msr_read/write handle: IA32_APIC_BASE, IA32_TSC_DEADLINE, 0x800-0x8ff. */
static inline bool lapic_is_msr(uint32_t msr)
{
    return msr == LAPIC_MSR_APIC_BASE || msr == LAPIC_MSR_TSC_DEADLINE ||
           (msr >= LAPIC_MSR_X2APIC_FIRST && msr <= LAPIC_MSR_X2APIC_LAST);
}

/* xAPIC register access at offset in the APIC page: 4-byte accesses at 16-byte aligned offsets;
   anything else is logged once and ignored (reads 0). While the APIC is globally disabled or in
   x2APIC mode the page reads all ones and ignores writes. */
uint32_t lapic_mmio_read(struct lapic *l, uint64_t offset, unsigned size);
void lapic_mmio_write(struct lapic *l, uint64_t offset, unsigned size, uint64_t value);
/* RDMSR / WRMSR of IA32_APIC_BASE, IA32_TSC_DEADLINE and the x2APIC range. false: the guest gets
   #GP(0) (reserved bits, illegal mode transition, x2APIC MSR outside x2APIC mode, write to a
   read-only or read of a write-only register, reserved MSR, any MSR outside lapic_is_msr). */
bool lapic_msr_read(struct lapic *l, uint32_t msr, uint64_t *value);
bool lapic_msr_write(struct lapic *l, uint32_t msr, uint64_t value);

/* A fixed / lowest-priority interrupt arrives (the VMM resolved the destination): IRR, and TMR as
   level. Vectors 0-15 set ESR "receive illegal vector" and are dropped; so is everything while
   the APIC is globally or software disabled. Kicks the vCPU if it becomes deliverable. */
void lapic_accept(struct lapic *l, unsigned vector, bool level);
/* The vector the vCPU should take now: the highest IRR vector whose priority class is above the
   PPR's, else -1. The VMM checks RFLAGS.IF / interruptibility itself. */
int lapic_pending(const struct lapic *l);
/* The VMM injected vector (from lapic_pending): IRR -> ISR. */
void lapic_ack(struct lapic *l, unsigned vector);
/* Whether the i8259's INTR reaches this CPU: LVT LINT0 unmasked with delivery mode ExtINT, or the
   APIC globally or software disabled (virtual-wire behaviour at power-on; no firmware here sets
   LINT0 up before the kernel). */
bool lapic_extint_ok(const struct lapic *l);
/* Whether this APIC is a destination of a message with this destination field: physical by ID,
   logical by LDR (xAPIC flat / cluster per DFR, x2APIC cluster). broadcast_ok: the all-ones
   destination (0xff in xAPIC, 0xffffffff in x2APIC) matches every APIC. A globally disabled APIC
   matches nothing. */
bool lapic_matches(const struct lapic *l, uint32_t dest, bool logical, bool broadcast_ok);

/* IPIs: a write to ICR low (xAPIC) or ICR (x2APIC) calls vdev_ipi(vm, id, icr_low, dest) with
   dest = ICR bits 63:56 (xAPIC) or 63:32 (x2APIC), every shorthand included (self too); fixed /
   lowest-priority IPIs with vectors 0-15 set ESR "send illegal vector" and are not sent. The
   x2APIC SELF IPI MSR is handled here: lapic_accept(vector, edge) without vdev_ipi. The delivery
   status bit always reads idle. */
