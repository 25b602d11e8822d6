/* SPDX-License-Identifier: MIT */
/* AMD-Vi driver: not written yet; units found in the IVRS stay off (assign_dev answers BAD_DEV). */

#include "x86/iommu.h"

static int amdvi_enable(struct iommu_unit *u)
{
    (void)u;
    return -1;
}

const struct iommu_ops amdvi_ops = {.enable = amdvi_enable};
