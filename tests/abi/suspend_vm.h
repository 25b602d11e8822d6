/* SPDX-License-Identifier: MIT */
/* For the S3 cases: a vCPU (SVM) whose real-mode guest counts in a loop and leaves by VMMCALL
   every 65536 rounds, so that its exits show whether it still runs after a sleep. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Build the VM and start its vCPU on cpu with an SC of priority prio; false without SVM or
   when a hypercall failed. */
bool suspend_vm_start(unsigned cpu, unsigned prio);
/* VMMCALL exits handled so far. */
uint64_t suspend_vm_exits(void);
/* Kill the vCPU at its next exit. */
void suspend_vm_stop(void);
