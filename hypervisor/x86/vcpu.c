/* SPDX-License-Identifier: MIT */
/* vCPUs: one interface over the two backends, AMD SVM (svm.c) and Intel VMX (vmx.c). */

#include "x86/vcpu.h"
#include "core/ec.h"
#include "x86/percpu.h"

static enum vcpu_backend backend;

void vcpu_init_cpu(void)
{
    bool bsp = this_cpu()->id == 0;
    if (svm_init_cpu()) {
        if (bsp)
            backend = VCPU_SVM;
    } else if (vmx_init_cpu()) {
        if (bsp)
            backend = VCPU_VMX;
    }
}

enum vcpu_backend vcpu_backend(void)
{
    return backend;
}

int vcpu_create(struct ec *ec, bool tsc_offset)
{
    ec->vcpu.backend = backend;
    return backend == VCPU_SVM ? svm_vcpu_create(ec, tsc_offset) : vmx_vcpu_create(ec, tsc_offset);
}

void vcpu_destroy(struct ec *ec)
{
    if (ec->vcpu.backend == VCPU_SVM)
        svm_vcpu_destroy(ec);
    else
        vmx_vcpu_destroy(ec);
}

void vcpu_cpu_release(bool idle)
{
    if (backend == VCPU_VMX)
        vmx_cpu_release(idle);
}

void vcpu_run(struct ec *ec)
{
    if (ec->vcpu.backend == VCPU_SVM)
        svm_vcpu_run(ec);
    vmx_vcpu_run(ec);
}

void vcpu_state_save(struct ec *ec, uint32_t mtd, struct nova_utcb_arch *u)
{
    if (ec->vcpu.backend == VCPU_SVM)
        vmcb_state_save(ec, mtd, u);
    else
        vmcs_state_save(ec, mtd, u);
}

void vcpu_state_load(struct ec *ec, uint32_t mtd, const struct nova_utcb_arch *u)
{
    if (ec->vcpu.backend == VCPU_SVM)
        vmcb_state_load(ec, mtd, u);
    else
        vmcs_state_load(ec, mtd, u);
}
