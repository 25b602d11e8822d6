/* SPDX-License-Identifier: MIT */
/* AMD SVM: vCPUs as ECs, VMRUN and the exit path that turns exits into portal calls. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct ec;
struct vmcb;

struct vcpu {
    struct vmcb *vmcb;
    unsigned asid;
    uint64_t tlb_gen;           /* the PD's guest TLB generation this vCPU has flushed for */
    bool flush;                 /* flush the guest TLB at the next VMRUN */
    bool tsc_offset;            /* created with T: TSC offsetting */
};

/* Per CPU: detect SVM, set EFER.SVME and the host save areas. */
void svm_init_cpu(void);
bool svm_available(void);
/* Make ec a vCPU (VMCB with the reset state, charged to the PD); -1 when out of memory. */
int svm_vcpu_create(struct ec *ec, bool tsc_offset);
void svm_vcpu_destroy(struct ec *ec);
/* The continuation of a vCPU: enter the guest and handle exits until one goes to a portal. */
__attribute__((noreturn)) void svm_vcpu_run(struct ec *ec);
