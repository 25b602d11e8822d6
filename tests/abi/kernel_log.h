/* SPDX-License-Identifier: MIT */
/* The kernel's log after the console handover (memory-buffer console), relayed to the serial line. */
#pragma once

#include <nova/hip.h>

/* Consume the unread kernel lines; echo those that start with prefix as "abi: kernel: ..." and
   return how many there were. */
unsigned kernel_log_relay(const struct nova_hip *hip, const char *prefix);
