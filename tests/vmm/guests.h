/* SPDX-License-Identifier: MIT */
/* Micro-guest groups beyond the first real-mode guest; each gets its own guest memory. */
#pragma once

#include <stdint.h>

void cases_long_mode(uint64_t phys, unsigned cpu);
void cases_protected_mode(uint64_t phys, unsigned cpu);
void cases_injection(uint64_t phys, unsigned cpu);
void cases_triple_fault(uint64_t phys, unsigned cpu);
void cases_two_vms(uint64_t phys_a, uint64_t phys_b, unsigned cpu);
void cases_tsc_offset(uint64_t phys_a, uint64_t phys_b, unsigned cpu);
void cases_passthrough(uint64_t phys, unsigned cpu);
void cases_spinning_guest(uint64_t phys, unsigned cpu);
void cases_xcr0(uint64_t phys, unsigned cpu);
