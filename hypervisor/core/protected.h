/* SPDX-License-Identifier: MIT */
/* Resources PD_NOVA never hands out (spec 8.2): the hypervisor's memory, APIC/IOMMU MMIO, ACPI control ports. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

void protected_init(uint64_t nova_start, uint64_t nova_end, bool insecure);
bool protected_page(uint64_t phys_page);
/* Whether any page of [first, first + count) is protected. */
bool protected_range(uint64_t first, uint64_t count);
bool protected_port(unsigned port);
