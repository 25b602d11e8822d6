/* SPDX-License-Identifier: MIT */
/* Execution context: a thread's register state, PD, UTCB, IPC links and continuation. */
#pragma once

#include "core/kobject.h"
#include "x86/regs.h"
#include "x86/vcpu.h"

#include <nova/utcb.h>
#include <stdbool.h>
#include <stdint.h>

struct pd;
struct sc;
struct pt;
struct sm;
struct quota;

enum ec_kind { EC_LOCAL, EC_GLOBAL };

struct ec {
    struct kobject obj;
    struct cpu_regs regs __attribute__((aligned(16)));  /* user state; TSS.RSP0 points past it */
    struct pd *pd;
    union nova_utcb *utcb;      /* kernel view of the UTCB page */
    uint64_t utcb_va;           /* where the PD sees it */
    uint64_t evt;               /* event selector base */
    unsigned cpu;
    enum ec_kind kind;
    bool fpu;
    bool dead;
    bool waiting;               /* blocked: for a message (idle portal handler) or on a semaphore */
    bool in_event;              /* the call in progress is an exception/startup/recall event */
    bool recall;                /* a recall is pending */
    bool started;               /* a global EC has had its startup event */
    struct sc *sc;              /* first SC bound to a global EC */
    struct ec *caller;          /* whose call this EC handles now (the reply goes there) */
    struct ec *partner;         /* the EC this one waits for in a call */
    struct sc *wake_sc;         /* SC to make ready again when woken */
    struct ec *helpers;         /* ECs waiting for this one to finish its current call */
    struct ec *help_next;
    struct sm *blocked_sm;      /* the semaphore this EC waits on */
    unsigned pending_event;     /* event to deliver once the handler is free */
    uint64_t fault_addr;        /* CR2 of the last page fault */
    void *fpu_area;             /* XSAVE area of an EC created with F=1, else NULL */
    uint64_t hc_progress;       /* how far a preempted long hypercall got */
    struct vcpu vcpu;           /* for a vCPU (vcpu.vmcb set), else unused */
    struct ec *sm_next;         /* semaphore wait queue */
    uint64_t deadline;          /* absolute TSC deadline of a semaphore down, 0 = none */
    struct ec *timeout_next;
    uint32_t event_mtd;         /* architectural MTD of the event being delivered */
    /* How to continue in the kernel when this EC is next scheduled. */
    __attribute__((noreturn)) void (*cont)(struct ec *);
};

/* The EC, its UTCB and FPU area are charged to q. It takes over a reference to pd that the caller
   holds (which stays the caller's when NULL is returned). */
struct ec *ec_create(struct pd *pd, unsigned cpu, uint64_t utcb_va, uint64_t evt, enum ec_kind kind, bool fpu,
                     struct quota *q);
/* Switch the CPU to ec (address space, TSS, I/O bitmap, FPU) and continue it. */
__attribute__((noreturn)) void ec_resume(struct ec *ec);
/* Finish the current hypercall of ec with a status in RDI. */
__attribute__((noreturn)) void ec_sys_finish(struct ec *ec, unsigned status);
/* Kill ec (a fault it cannot survive) and run something else. */
__attribute__((noreturn)) void ec_kill(struct ec *ec, const char *why);
/* Whether the scheduler can run ec now (not dead, not waiting). */
bool ec_runnable(const struct ec *ec);
/* The EC that actually runs for ec: follow the chain of calls in progress. */
struct ec *ec_chain_end(struct ec *ec);

/* The last reference is gone: abort its calls, unmap its UTCB, free it after a grace period. */
void ec_destroy(struct ec *ec);
struct percpu;
/* At a quiescent point of CPU c, before it is published: let go of the EC c was about to run, its
   address space and the FPU owner if they have died (rcu.c). */
void ec_forget_dead(struct percpu *c);

__attribute__((noreturn)) void ec_ret_sysret(struct ec *ec);
__attribute__((noreturn)) void ec_ret_iret(struct ec *ec);
/* Execute the EC's pending hypercall again (after helping a busy callee). */
__attribute__((noreturn)) void ec_retry_hypercall(struct ec *ec);
