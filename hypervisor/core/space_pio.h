/* SPDX-License-Identifier: MIT */
/* I/O port space of a PD: the TSS-format permission bitmap. */
#pragma once

#include <stdint.h>

struct pd;

/* ctrl_pd PIO with CPU_HST access: ports [base, base + 2^ord). */
unsigned space_pio_delegate(struct pd *spd, struct pd *dpd, uint64_t base, unsigned ord, unsigned pmm,
                            uint64_t *progress);
