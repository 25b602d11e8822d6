/* SPDX-License-Identifier: MIT */
/* The kernel's log after the console handover: relayed from the memory-buffer console to ours. */
#pragma once

#include <nova/hip.h>
#include <stdbool.h>

/* Start the relay thread on cpu (after input_start, which prepares the CPU for the root's
   threads): every line the kernel writes from now on (DMA faults, for one) is printed as it
   ends. False, said why, if it cannot run. */
bool klog_start(const struct nova_hip *hip, unsigned cpu);
