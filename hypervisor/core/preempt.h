/* SPDX-License-Identifier: MIT */
/* Preemption points for long hypercalls (ctrl_pd over large ranges). */
#pragma once

#include <stdbool.h>

/* Status a long operation returns when it stopped at a preemption point; never seen by users. */
#define STATUS_PREEMPTED 0x100u
/* How many steps a long operation takes between two preemption points. */
#define PREEMPT_STEPS 256

/* Let pending interrupts in for a moment; true if the scheduler now wants this CPU. */
bool preempt_wanted(void);
