/* SPDX-License-Identifier: MIT */
/* Exit events in one numbering: the SVM binding's (docs/abi-svm.md). VMX exits are translated,
   with their qualifications, so the handlers are written once. */
#pragma once

#include <nova/utcb.h>
#include <stdbool.h>
#include <stdint.h>

/* Pick the backend from the HIP features. */
void exit_decode_init(uint64_t hip_features);
bool exit_is_vmx(void);
/* The normalised event number; on VMX the I/O and EPT qualifications are rewritten in place. */
unsigned exit_decode(unsigned ev, struct nova_utcb_arch *a);
