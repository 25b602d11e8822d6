/* SPDX-License-Identifier: MIT */
/* The guest side of a PD: nested page table, I/O and MSR permission maps of its vCPUs. */
#pragma once

#include <stdint.h>

struct pd;

struct space_gst {
    uint64_t *npt;              /* nested page table root (host format, U on every level) */
    uint8_t *iopm;              /* SVM I/O permission map: 1 = intercept */
    uint8_t *msrpm;             /* SVM MSR permission map: 2 bits per MSR (read, write), 1 = intercept */
    uint64_t tlb_gen;           /* bumped when guest mappings shrink: vCPUs flush their TLB */
};

/* Allocate the structures on first use (charged to the PD); 0 or -1 when out of memory. */
int space_gst_init(struct pd *pd);
/* ctrl_pd PIO / MSR with CPU_GST access (the selectors are port or MSR numbers). */
unsigned space_gst_pio(struct pd *spd, struct pd *dpd, uint64_t base, unsigned ord, unsigned pmm);
unsigned space_gst_msr(struct pd *spd, struct pd *dpd, uint64_t base, unsigned ord, unsigned pmm);
