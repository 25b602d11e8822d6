/* SPDX-License-Identifier: MIT */
/* I/O port space of a PD: the TSS-format permission bitmap. */

#include "core/space_pio.h"
#include "core/pd.h"
#include "core/pmm.h"
#include "core/quota.h"
#include "x86/tss.h"

#include <nova/caps.h>
#include <nova/status.h>
#include <string.h>

#define BITMAP_ORDER 1 /* 8 KiB */
_Static_assert(IO_BITMAP_BYTES == 4096 << BITMAP_ORDER, "bitmap size");

unsigned space_pio_delegate(struct pd *spd, struct pd *dpd, uint64_t base, unsigned ord, unsigned pmm,
                            uint64_t *progress)
{
    if (!dpd->pio_bitmap) {
        if (!(dpd->pio_bitmap = quota_page_alloc(&dpd->quota, BITMAP_ORDER)))
            return NOVA_INS_MEM;
        memset(dpd->pio_bitmap, 0xff, IO_BITMAP_BYTES);
    }
    (void)progress; /* at most 65536 bits: short enough to finish in one go */
    for (uint64_t p = base; p < base + (1ull << ord); p++) {
        if ((pmm & NOVA_PERM_PIO_A) && pd_has_port(spd, (unsigned)p))
            dpd->pio_bitmap[p / 8] &= (uint8_t)~(1u << (p % 8));
        else
            dpd->pio_bitmap[p / 8] |= (uint8_t)(1u << (p % 8));
    }
    static uint64_t versions; /* unique across PDs, so a CPU never mistakes a new PD's bitmap */
    __atomic_store_n(&dpd->pio_version, __atomic_add_fetch(&versions, 1, __ATOMIC_RELAXED), __ATOMIC_RELEASE);
    return NOVA_SUCCESS;
}
