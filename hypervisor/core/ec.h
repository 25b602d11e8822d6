/* SPDX-License-Identifier: MIT */
/* Execution context: a thread's (later also a vCPU's) register state, PD, UTCB and continuation. */
#pragma once

#include "core/kobject.h"
#include "x86/regs.h"

#include <nova/utcb.h>
#include <stdbool.h>
#include <stdint.h>

struct pd;
struct sc;

enum ec_state { EC_READY, EC_BLOCKED, EC_DEAD };

struct ec {
    struct kobject obj;
    struct cpu_regs regs __attribute__((aligned(16)));  /* user state; TSS.RSP0 points past it */
    struct pd *pd;
    union nova_utcb *utcb;      /* kernel view of the UTCB page */
    uint64_t utcb_va;           /* where the PD sees it */
    uint64_t evt;               /* event selector base */
    unsigned cpu;
    bool global, fpu;
    enum ec_state state;
    struct sc *sc;              /* bound scheduling context of a global EC */
    /* How to resume user mode: after a hypercall (sysret) or with the full frame (iret). */
    __attribute__((noreturn)) void (*cont)(struct ec *);
};

struct ec *ec_create(struct pd *pd, unsigned cpu, uint64_t utcb_va, uint64_t evt, bool global, bool fpu);
/* Switch the CPU to ec (address space, TSS, I/O bitmap) and continue it. */
__attribute__((noreturn)) void ec_resume(struct ec *ec);
/* Finish the current hypercall of ec with a status in RDI. */
__attribute__((noreturn)) void ec_sys_finish(struct ec *ec, unsigned status);
/* Kill ec (a fault it cannot survive) and run something else. */
__attribute__((noreturn)) void ec_kill(struct ec *ec, const char *why);

__attribute__((noreturn)) void ec_ret_sysret(struct ec *ec);
__attribute__((noreturn)) void ec_ret_iret(struct ec *ec);
