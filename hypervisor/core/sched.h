/* SPDX-License-Identifier: MIT */
/* Fixed-priority preemptive scheduler: per-CPU run queues, round robin by budget within a priority. */
#pragma once

#include <stdbool.h>

struct sc;

#define SCHED_PRIORITIES 128

/* Make sc ready on its CPU (another CPU gets an IPI; this one reschedules if sc wins). */
void sched_add(struct sc *sc);
/* sc leaves for good: out of the run queue, and its CPU stops running it. */
void sched_remove(struct sc *sc);
/* The SC running on this CPU (NULL when idle). */
struct sc *sched_current(void);
/* Whether this CPU should pick again before returning to user mode. */
bool sched_need_resched(void);
/* A deadline on cpu changed: reprogram its timer. */
void sched_timer_changed(unsigned cpu);
/* Timer or reschedule interrupt on this CPU: expire timeouts and budgets. */
void sched_tick(void);
/* Run the highest-priority ready SC's EC; idle until one is ready. */
__attribute__((noreturn)) void schedule(void);
