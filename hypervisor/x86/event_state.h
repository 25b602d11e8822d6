/* SPDX-License-Identifier: MIT */
/* Thread state <-> UTCB architectural layout for host events (spec 4.3.2, 4.4.2). */
#pragma once

#include "x86/regs.h"

#include <nova/utcb.h>
#include <stdint.h>

/* Copy the MTD-selected state of a faulting thread into the handler's UTCB. */
void event_state_save(const struct cpu_regs *r, uint64_t fault_addr, uint32_t mtd, struct nova_utcb_arch *u);
/* Write the MTD-selected state from the handler's UTCB back into the thread. */
void event_state_load(struct cpu_regs *r, uint32_t mtd, const struct nova_utcb_arch *u);
