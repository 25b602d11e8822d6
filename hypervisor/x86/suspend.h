/* SPDX-License-Identifier: MIT */
/* Shallow sleep states S1-S3 (ctrl_hw OP 0): park every CPU, sleep, and bring the machine back. */
#pragma once

/* Put the platform into shallow state s with the given SLP_TYP values on behalf of the current
   EC's hypercall. Returns a status only when the transition cannot start (BAD_FTR: no FACS
   or PM1 block, or a vCPU backend that cannot be suspended; ABORTED: another transition is
   under way). Otherwise it does not return: the hypercall completes after wakeup, with
   SUCCESS, or with ABORTED when the CPUs did not stop or the platform did not sleep. */
unsigned suspend_enter(unsigned s, unsigned slp_typa, unsigned slp_typb);
/* Called by schedule() on every CPU where the current EC's state is saved: while a transition
   is under way this CPU parks here (the bootstrap processor puts the platform to sleep), and
   after wakeup it waits here until every CPU is back. */
void suspend_point(void);
