/* SPDX-License-Identifier: MIT */
/* ctrl_hw (spec 5.5.1): sleep states, reset, and the QOS operations. */
#pragma once

#include <stdint.h>

/* op from the hypercall flags, desc from RDI[63:8]; the caller has checked it is the root PD. */
unsigned ctrl_hw(unsigned op, uint64_t desc);
