/* SPDX-License-Identifier: MIT */
/* The guest side of a PD: nested page table, I/O and MSR permission maps of its vCPUs. */

#include "core/space_gst.h"
#include "core/pd.h"
#include "core/quota.h"
#include "x86/paging.h"
#include "x86/vcpu.h"
#include "x86/vmcb.h"

#include <nova/caps.h>
#include <nova/status.h>
#include <string.h>

/* The MSR ranges the SVM map covers, and where each starts in the map (APM 15.11). */
static const struct {
    uint32_t first;
    unsigned byte;
} msr_ranges[] = {{0x00000000, 0x000}, {0xc0000000, 0x800}, {0xc0010000, 0x1000}};
#define MSR_RANGE_SIZE 0x2000u

int space_gst_init(struct pd *pd)
{
    struct space_gst *g = &pd->gst;
    if (g->npt)
        return 0;
    uint64_t *npt = quota_page_alloc(&pd->quota, 0);
    uint8_t *iopm = quota_page_alloc(&pd->quota, SVM_IOPM_ORDER);
    uint8_t *msrpm = quota_page_alloc(&pd->quota, SVM_MSRPM_ORDER);
    if (!npt || !iopm || !msrpm) {
        quota_page_free(&pd->quota, npt, 0);
        quota_page_free(&pd->quota, iopm, SVM_IOPM_ORDER);
        quota_page_free(&pd->quota, msrpm, SVM_MSRPM_ORDER);
        return -1;
    }
    memset(iopm, 0xff, SVM_IOPM_BYTES);
    memset(msrpm, 0xff, SVM_MSRPM_BYTES);
    g->iopm = iopm;
    g->msrpm = msrpm;
    __atomic_store_n(&g->npt, npt, __ATOMIC_RELEASE);
    return 0;
}

static void set_bit(uint8_t *map, uint64_t bit, int intercept)
{
    if (intercept)
        map[bit / 8] |= (uint8_t)(1u << (bit % 8));
    else
        map[bit / 8] &= (uint8_t)~(1u << (bit % 8));
}

unsigned space_gst_pio(struct pd *spd, struct pd *dpd, uint64_t base, unsigned ord, unsigned pmm)
{
    if (space_gst_init(dpd) < 0)
        return NOVA_INS_MEM;
    for (uint64_t p = base; p < base + (1ull << ord); p++)
        set_bit(dpd->gst.iopm, p, !((pmm & NOVA_PERM_PIO_A) && pd_has_port(spd, (unsigned)p)));
    return NOVA_SUCCESS;
}

/* Bit positions of an MSR's read and write permission in the map of this CPU's backend, or
   false if the map does not cover it. SVM: two bits per MSR, three ranges. VMX: one 4 KiB map with
   read-low, read-high, write-low, write-high quarters for the first two ranges. */
static bool msr_bits(uint64_t msr, uint64_t *rbit, uint64_t *wbit)
{
    unsigned ranges = vcpu_backend() == VCPU_VMX ? 2 : 3;
    for (unsigned i = 0; i < ranges; i++) {
        if (msr < msr_ranges[i].first || msr - msr_ranges[i].first >= MSR_RANGE_SIZE)
            continue;
        uint64_t idx = msr - msr_ranges[i].first;
        if (vcpu_backend() == VCPU_VMX) {
            *rbit = i * MSR_RANGE_SIZE + idx;
            *wbit = *rbit + 2 * MSR_RANGE_SIZE;
        } else {
            *rbit = (uint64_t)msr_ranges[i].byte * 8 + idx * 2;
            *wbit = *rbit + 1;
        }
        return true;
    }
    return false;
}

unsigned space_gst_msr(struct pd *spd, struct pd *dpd, uint64_t base, unsigned ord, unsigned pmm)
{
    uint64_t n = 1ull << ord, r0, w0, r1, w1;
    if (!msr_bits(base, &r0, &w0) || !msr_bits(base + n - 1, &r1, &w1) || r1 - r0 != (n - 1) * (w0 - r0 == 1 ? 2 : 1))
        return NOVA_BAD_PAR; /* outside the MSR ranges a guest can be given */
    if (space_gst_init(dpd) < 0 || (!spd->is_nova && space_gst_init(spd) < 0))
        return NOVA_INS_MEM;
    for (uint64_t m = base; m < base + n; m++) {
        uint64_t rbit, wbit;
        msr_bits(m, &rbit, &wbit);
        /* PD_NOVA has every MSR; another PD what its own guest map grants. */
        unsigned has = spd->is_nova ? NOVA_PERM_MSR_R | NOVA_PERM_MSR_W
                                    : (!(spd->gst.msrpm[rbit / 8] >> (rbit % 8) & 1) ? NOVA_PERM_MSR_R : 0) |
                                          (!(spd->gst.msrpm[wbit / 8] >> (wbit % 8) & 1) ? NOVA_PERM_MSR_W : 0);
        has &= pmm;
        set_bit(dpd->gst.msrpm, rbit, !(has & NOVA_PERM_MSR_R));
        set_bit(dpd->gst.msrpm, wbit, !(has & NOVA_PERM_MSR_W));
    }
    return NOVA_SUCCESS;
}
