/* SPDX-License-Identifier: MIT */
/* For root tasks: map physical memory taken from PD_NOVA into a fixed window of the address space. */

#include "physmap.h"
#include "hc.h"

#include <nova/selectors.h>

#define CACHE_SLOTS 64

/* Pages mapped recently, so that byte-by-byte string reads do not cost a hypercall each. */
static uint64_t cache[CACHE_SLOTS];
static unsigned cache_next;

static int cached(uint64_t key)
{
    for (unsigned i = 0; i < CACHE_SLOTS; i++)
        if (cache[i] == key)
            return 1;
    return 0;
}

void *phys_map(uint64_t phys, size_t len, int writable)
{
    if (len == 0)
        len = 1;
    uint64_t first = phys >> NOVA_PAGE_SHIFT, last = (phys + len - 1) >> NOVA_PAGE_SHIFT;
    unsigned pmm = NOVA_PERM_MEM_R | (writable ? NOVA_PERM_MEM_W : 0);
    for (uint64_t p = first; p <= last; p++) {
        uint64_t key = (p << 1 | (writable ? 1 : 0)) + 1;
        if (cached(key))
            continue;
        if (hc_ctrl_pd(NOVA_SEL_PD_NOVA, NOVA_SEL_PD_ROOT, p, (PHYS_WINDOW >> NOVA_PAGE_SHIFT) + p, 0, pmm,
                       NOVA_SPC_MEM, NOVA_ACC_CPU_HST, NOVA_CA_WB) != NOVA_SUCCESS)
            return NULL;
        cache[cache_next++ % CACHE_SLOTS] = key;
    }
    return (void *)(PHYS_WINDOW + phys);
}

const void *phys_map_ro(void *ctx, uint64_t phys, size_t len)
{
    (void)ctx;
    return phys_map(phys, len, 0);
}
