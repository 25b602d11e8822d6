/* SPDX-License-Identifier: MIT */
/* Intel EPT leaf entries (SDM vol. 3C, 29.3.2): permissions and the memory type. */
#pragma once

#include <nova/caps.h>
#include <stdint.h>

#define EPT_R       (1ull << 0)
#define EPT_W       (1ull << 1)
#define EPT_X       (1ull << 2)
#define EPT_MT_WB   (6ull << 3)

/* The leaf flags for NOVA memory permissions: readable whenever mapped (write-only would be a
   misconfiguration), executable for either execute permission, write-back. */
static inline uint64_t ept_leaf_flags(unsigned perms)
{
    return EPT_R | (perms & NOVA_PERM_MEM_W ? EPT_W : 0) |
           (perms & (NOVA_PERM_MEM_XU | NOVA_PERM_MEM_XS) ? EPT_X : 0) | EPT_MT_WB;
}
