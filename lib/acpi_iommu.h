/* SPDX-License-Identifier: MIT */
/* Which IOMMU unit of the firmware's DMAR or IVRS table translates a PCI device's DMA. */
#pragma once

#include <stdint.h>

#define ACPI_IOMMU_ANY 0xffffffffu  /* as bdf: the first unit, whatever its scope */

/* The register base of the unit whose scope holds bdf (segment 0) in the DMAR or IVRS table t
   of len bytes (its signature decides which), or 0. A VT-d unit that names the device in a
   one-hop scope wins over one with INCLUDE_PCI_ALL; an AMD-Vi unit holds the devices of its
   select, range and all entries. Malformed structures end the search. */
uint64_t acpi_iommu_unit(const uint8_t *t, uint32_t len, unsigned bdf);

/* For root tasks (phys_map): find the DMAR or IVRS table from the RSDP and return the unit of
   bdf as above; *amd tells which kind. 0 when there is no table or no such unit. */
uint64_t acpi_iommu_find(uint64_t rsdp, unsigned bdf, int *amd);
