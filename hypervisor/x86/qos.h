/* SPDX-License-Identifier: MIT */
/* Intel RDT allocation for ctrl_hw OP 4-7: per-CPU QOS configuration, CAT masks, MBA delays. */
#pragma once

#include <stdint.h>

/* OP 4 (QOS configuration), 5/6 (L3/L2 capacity bitmask), 7 (MBA delay) on the calling CPU. */
unsigned qos_ctrl(unsigned op, uint64_t desc);
/* After a sleep state, on each CPU: program its QOS configuration, masks and delays again. */
void qos_resume_cpu(void);
