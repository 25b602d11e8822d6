/* SPDX-License-Identifier: MIT */
/* Local APIC (xAPIC MMIO): enable, end of interrupt, and the INIT/SIPI sequence for AP start-up. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define VEC_SPURIOUS 0xff

void lapic_init(void);
uint32_t lapic_id(void);
void lapic_eoi(void);
/* INIT-SIPI-SIPI to the CPU with the given APIC ID; the AP starts at vector << 12. */
void lapic_start_ap(uint32_t apic_id, uint8_t vector);
