/* SPDX-License-Identifier: MIT */
/* vCPUs: their ECs, exit portals and run states; INIT/SIPI; interrupt injection on every exit. */
#pragma once

#include <nova/utcb.h>
#include <stdbool.h>

#include "core/vm.h"

/* Normalised event numbers: the SVM binding's (docs/abi-svm.md); VMX exits are translated. */
#define EV_VINTR    0x64
#define EV_CPUID    0x72
#define EV_INVD     0x76
#define EV_HLT      0x78
#define EV_IOIO     0x7b
#define EV_MSR      0x7c
#define EV_SHUTDOWN 0x7f
#define EV_VMMCALL  0x81
#define EV_XSETBV   0x8d
#define EV_NPF      0xfc
#define EV_INVALID  0xfd
#define EV_STARTUP  0x100
#define EV_RECALL   0x101

/* The state every exit portal transfers, and what every reply writes back. */
#define VCPU_EXIT_MTD                                                                              \
    (NOVA_MTD_GPR_0_7 | NOVA_MTD_GPR_8_15 | NOVA_MTD_RFLAGS | NOVA_MTD_RIP | NOVA_MTD_STA | NOVA_MTD_QUAL |     \
     NOVA_MTD_INJ | NOVA_MTD_CS_SS | NOVA_MTD_DS_ES | NOVA_MTD_FS_GS | NOVA_MTD_CR | NOVA_MTD_EFER |         \
     NOVA_MTD_PAT | NOVA_MTD_SYSCALL | NOVA_MTD_SYSENTER | NOVA_MTD_KERNEL_GS)
#define VCPU_REPLY_MTD                                                                             \
    (NOVA_MTD_GPR_0_7 | NOVA_MTD_GPR_8_15 | NOVA_MTD_RFLAGS | NOVA_MTD_RIP | NOVA_MTD_STA | NOVA_MTD_INJ)

/* Prepare vCPU id of vm on host CPU cpu: its handler EC and exit portals. */
int vcpu_create(struct vm *vm, unsigned id, unsigned cpu);
/* Create the vCPU's EC in the VM (not yet running: no SC). */
int vcpu_create_ec(struct vcpu *v);
/* Give the vCPU its SC: it starts with a startup exit. */
int vcpu_run(struct vcpu *v);
/* INIT and SIPI from the local APICs (VM lock held). */
void vcpu_init_signal(struct vcpu *v);
void vcpu_sipi_signal(struct vcpu *v, unsigned vector);

/* Exit handlers (core/exit_*.c). Each returns the extra MTD bits its reply needs; false in *ok
   kills the VM. They run with the VM lock held; a->rip already points past nothing. */
uint64_t exit_io(struct vcpu *v, struct nova_utcb_arch *a, bool *ok);
uint64_t exit_cpuid(struct vcpu *v, struct nova_utcb_arch *a, bool *ok);
uint64_t exit_msr(struct vcpu *v, struct nova_utcb_arch *a, bool write, bool *ok);
uint64_t exit_npf(struct vcpu *v, struct nova_utcb_arch *a, bool *ok);
uint64_t exit_vmmcall(struct vcpu *v, struct nova_utcb_arch *a, bool *ok);
uint64_t exit_xsetbv(struct vcpu *v, struct nova_utcb_arch *a, bool *ok);  /* core/exit_vmx.c */
/* The XCR0 the hypervisor switches with every FPU state (0 without XSAVE). */
uint64_t host_xcr0(void);
uint64_t exit_invd(struct vcpu *v, struct nova_utcb_arch *a, bool *ok);
uint64_t exit_cr(struct vcpu *v, unsigned ev, struct nova_utcb_arch *a, bool *ok);

/* Queue a hardware exception for the guest (with an error code if has_error). */
void vcpu_inject_exception(struct nova_utcb_arch *a, unsigned vector, bool has_error, uint32_t error);
/* Advance RIP past an instruction of len bytes and drop the interrupt shadow. */
void vcpu_skip(struct nova_utcb_arch *a, unsigned len);
