/* SPDX-License-Identifier: MIT */
/* vCPU state <-> UTCB architectural layout through the SVM binding (docs/abi-svm.md). */
#pragma once

#include <nova/utcb.h>
#include <stdint.h>

struct ec;

/* At an exit: copy the MTD-selected guest state into the handler's UTCB. */
void vmcb_state_save(struct ec *ec, uint32_t mtd, struct nova_utcb_arch *u);
/* At the reply: write the MTD-selected state back into the VMCB (and the saved GPRs). */
void vmcb_state_load(struct ec *ec, uint32_t mtd, const struct nova_utcb_arch *u);
