/* SPDX-License-Identifier: MIT */
/* Preemption points for long hypercalls (ctrl_pd over large ranges). */

#include "core/preempt.h"
#include "core/sched.h"

bool preempt_wanted(void)
{
    /* The kernel runs with interrupts off; a timer or IPI that is pending is taken here (on the
       kernel stack, returning right away) and marks the CPU for rescheduling. */
    __asm__ volatile("sti; nop; cli" ::: "memory");
    return sched_need_resched();
}
