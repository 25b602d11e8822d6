/* SPDX-License-Identifier: MIT */
/* What one CPU loses in a sleep state: its control registers, MSRs, local APIC, QOS and TSC. */
#pragma once

struct percpu;

/* On c, before the platform sleeps: put the FPU owner's state away, switch to the kernel's
   page table, record what the hardware forgets, write back the caches. */
void suspend_cpu_quiesce(struct percpu *c);
/* On c, entered from the wakeup trampoline on its kernel stack: descriptor tables, control
   registers, MSRs, local APIC and TSC as before the sleep. */
void suspend_cpu_restore(struct percpu *c);
/* On the BSP: the STC just before the sleep, and (after wakeup, before any restore) how far
   the TSCs must be moved so the STC continues from there. */
void suspend_tsc_save(void);
void suspend_tsc_wakeup(void);
