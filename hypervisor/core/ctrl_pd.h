/* SPDX-License-Identifier: MIT */
/* ctrl_pd (spec 5.4.1): take capabilities from one PD and grant them to another. */
#pragma once

#include <stdint.h>

struct pd;

/* Operands as the hypercall carries them: src_op = RDX, dst_op = RAX. Returns the ABI status. */
/* *progress: where a preempted call left off (0 for a new call). May return STATUS_PREEMPTED. */
unsigned ctrl_pd(struct pd *cur, uint64_t spd_sel, uint64_t dpd_sel, uint64_t src_op, uint64_t dst_op,
                 uint64_t *progress);
