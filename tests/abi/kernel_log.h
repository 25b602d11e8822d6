/* SPDX-License-Identifier: MIT */
/* The kernel's log after the console handover (memory-buffer console), relayed to the serial line. */
#pragma once

#include <nova/hip.h>

/* Consume the unread kernel lines; echo those that start with echo as "abi: kernel: ..." (adding
   their number to *echoed unless it is NULL) and return how many start with prefix. */
unsigned kernel_log_relay(const struct nova_hip *hip, const char *echo, const char *prefix, unsigned *echoed);
