/* SPDX-License-Identifier: MIT */
/* Fixed-priority scheduler: per-priority FIFO of ready SCs; the idle loop when none is ready. */
#pragma once

struct sc;

#define SCHED_PRIORITIES 128

void sched_add(struct sc *sc);
void sched_remove(struct sc *sc);
/* Run the highest-priority ready SC's EC; idle until one is ready. */
__attribute__((noreturn)) void schedule(void);
