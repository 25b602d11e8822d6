/* SPDX-License-Identifier: MIT */
/* The few things a VMM decodes per backend (docs/abi-svm.md): event numbers, qualifications, VMMCALL. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct backend {
    bool vmx;
    unsigned ev_io, ev_cpuid, ev_hlt, ev_call, ev_npf, ev_rdmsr, ev_wrmsr, ev_shutdown, ev_window;
    uint8_t call_byte3;             /* third byte of VMMCALL (0f 01 d9) or VMCALL (0f 01 c1) */
};

extern struct backend be;

/* Pick the backend from the HIP features. */
void backend_init(uint64_t hip_features);
/* Whether an I/O exit qualification describes this access. */
bool io_is(uint64_t qual, unsigned port, bool in, unsigned size, bool string, bool rep);
/* Whether a nested-page-fault / EPT-violation qualification is a read of an unmapped page, or a
   write to a page that is mapped without write permission. */
bool npf_is_unmapped_read(uint64_t qual);
bool npf_is_write_to_read_only(uint64_t qual);
/* Whether an MSR exit is a read (SVM: EXITINFO1 0; VMX: its own event number). */
bool msr_is_read(unsigned ev, uint64_t qual);
