/* SPDX-License-Identifier: MIT */
/* vCPUs: one interface over the two backends, AMD SVM (svm.c) and Intel VMX (vmx.c). */
#pragma once

#include <nova/utcb.h>
#include <stdbool.h>
#include <stdint.h>

struct ec;
struct vmcb;
struct vmx_msr_entry;

enum vcpu_backend { VCPU_NONE, VCPU_SVM, VCPU_VMX };

struct vcpu {
    enum vcpu_backend backend;  /* VCPU_NONE: the EC is a thread */
    struct vmcb *vmcb;          /* SVM */
    void *vmcs;                 /* VMX */
    bool launched;              /* VMX: VMLAUNCH done, VMRESUME next */
    bool setup_done;            /* VMX: the VMCS fields are written */
    uint64_t cr2, cr8;          /* VMX: not in the VMCS (CR2 is not switched yet, CR8 exits) */
    struct vmx_msr_entry *msrs; /* VMX: the guest's SYSCALL MSRs and KERNEL_GS_BASE (x86/vmcs.h) */
    uint64_t xcr0;              /* the guest's XCR0, in force while it runs */
    unsigned asid;              /* SVM ASID or VMX VPID */
    uint64_t tlb_gen;           /* the PD's guest TLB generation this vCPU has flushed for */
    bool flush;                 /* flush the guest TLB at the next entry */
    bool tsc_offset;            /* created with T: TSC offsetting */
};

/* Per CPU: bring up whichever backend the CPU has. */
void vcpu_init_cpu(void);
enum vcpu_backend vcpu_backend(void);
static inline bool vcpu_available(void)
{
    return vcpu_backend() != VCPU_NONE;
}
int vcpu_create(struct ec *ec, bool tsc_offset);
void vcpu_destroy(struct ec *ec);
/* The continuation of a vCPU: enter the guest and handle exits until one goes to a portal. */
__attribute__((noreturn)) void vcpu_run(struct ec *ec);
/* This CPU lets go of the guest state it caches for a destroyed vCPU (idle: of any vCPU). */
void vcpu_cpu_release(bool idle);
void vcpu_state_save(struct ec *ec, uint32_t mtd, struct nova_utcb_arch *u);
void vcpu_state_load(struct ec *ec, uint32_t mtd, const struct nova_utcb_arch *u);

/* The backends. */
bool svm_init_cpu(void);
int svm_vcpu_create(struct ec *ec, bool tsc_offset);
void svm_vcpu_destroy(struct ec *ec);
__attribute__((noreturn)) void svm_vcpu_run(struct ec *ec);
void vmcb_state_save(struct ec *ec, uint32_t mtd, struct nova_utcb_arch *u);
void vmcb_state_load(struct ec *ec, uint32_t mtd, const struct nova_utcb_arch *u);
bool vmx_init_cpu(void);
int vmx_vcpu_create(struct ec *ec, bool tsc_offset);
void vmx_vcpu_destroy(struct ec *ec);
void vmx_cpu_release(bool idle);
__attribute__((noreturn)) void vmx_vcpu_run(struct ec *ec);
void vmcs_state_save(struct ec *ec, uint32_t mtd, struct nova_utcb_arch *u);
void vmcs_state_load(struct ec *ec, uint32_t mtd, const struct nova_utcb_arch *u);
