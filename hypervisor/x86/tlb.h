/* SPDX-License-Identifier: MIT */
/* TLB shootdown: after a PD's mappings shrink, every CPU that runs in that PD flushes. */
#pragma once

struct pd;
struct percpu;

/* Flush the TLB for pd here (if active) and on every other CPU where it is active; returns
   when they have. */
void tlb_shootdown(struct pd *pd);
/* Interrupt handler side, and the wait loop's: handle this CPU's pending flush request. */
void tlb_flush_pending(void);
/* Record that this CPU now runs in pd (NULL: the kernel's own page table). */
void tlb_activate(struct percpu *c, struct pd *pd);
/* Record that this CPU runs a vCPU of pd (NULL: none). A vCPU needs no host page table of its
   own, so CR3 stays as it is (saving two TLB flushes per exit under QEMU); shootdowns of pd's
   guest mappings still reach this CPU. */
void tlb_activate_guest(struct percpu *c, struct pd *pd);
