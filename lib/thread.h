/* SPDX-License-Identifier: MIT */
/* Global threads: an EC with an SC that starts in a C function, through a startup portal. */
#pragma once

#include <stdint.h>

/* Startup and exception events of threads on cpu go to portals at thread_evt(cpu) + event. */
#define THREAD_EVT_BASE 0x1000
#define THREAD_EVT_STRIDE 0x40
static inline uint64_t thread_evt(unsigned cpu)
{
    return THREAD_EVT_BASE + (uint64_t)cpu * THREAD_EVT_STRIDE;
}

/* Create the startup portal for threads on cpu (handler EC at ec_sel, UTCB at utcb_va). */
unsigned thread_init_cpu(unsigned cpu, uint64_t ec_sel, uint64_t utcb_va);
/* An exception of a thread: where it ran, the vector, its RIP and the qualification (page fault:
   error code, address). */
struct thread_fault {
    unsigned cpu, vector;
    uint64_t rip, qual0, qual1;
};
typedef void (*thread_fault_fn)(const struct thread_fault *f);
/* Catch the exceptions of threads on cpu (those with event base thread_evt(cpu), also local ECs
   created with it): fn is told (in the handler of cpu's startup portal, so it must not wait for
   the faulting thread's locks) and the thread is killed. Needs thread_init_cpu(cpu) first. */
unsigned thread_catch_faults(unsigned cpu, thread_fault_fn fn);
/* Start fn(arg) as a global EC on cpu with an SC of the given priority and budget (ms).
   stack_top must leave room; the EC's UTCB goes to utcb_va. */
unsigned thread_start(uint64_t ec_sel, uint64_t sc_sel, unsigned cpu, uint64_t utcb_va, uint64_t stack_top,
                      unsigned prio, unsigned budget_ms, void (*fn)(void *), void *arg);
/* The same with an event selector base of the caller's choice; the startup portal of cpu is
   copied to evt + startup first. */
unsigned thread_start_evt(uint64_t ec_sel, uint64_t sc_sel, unsigned cpu, uint64_t utcb_va, uint64_t stack_top,
                          unsigned prio, unsigned budget_ms, void (*fn)(void *), void *arg, uint64_t evt);
