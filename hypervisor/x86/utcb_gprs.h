/* SPDX-License-Identifier: MIT */
/* The general-purpose registers between a saved frame and the UTCB (MTD GPR_0_7, GPR_8_15); RAX
   and RSP are passed apart because a VMCB or VMCS may hold them instead of the frame. */
#pragma once

#include "x86/regs.h"

#include <nova/utcb.h>
#include <stdint.h>

void gprs_to_utcb(const struct cpu_regs *r, uint64_t rax, uint64_t rsp, uint32_t mtd, struct nova_utcb_arch *u);
void gprs_from_utcb(struct cpu_regs *r, uint64_t *rax, uint64_t *rsp, uint32_t mtd, const struct nova_utcb_arch *u);
