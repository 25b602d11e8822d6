/* SPDX-License-Identifier: MIT */
/* Where the firmware's DMAR or IVRS table puts the first IOMMU's registers (for the IOMMU cases). */
#pragma once

#include <stdint.h>

/* Register base of the first VT-d (DMAR) or AMD-Vi (IVRS, *amd = 1) unit; 0 when none. */
uint64_t acpi_iommu_base(uint64_t rsdp, int *amd);
