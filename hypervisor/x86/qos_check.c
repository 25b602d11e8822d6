/* SPDX-License-Identifier: MIT */
/* ctrl_hw QOS operations (OP 4-7): which status a descriptor earns on a CPU with given RDT caps.
   Order of the checks: a malformed descriptor is BAD_PAR on any CPU; a CPU without the feature
   answers BAD_FTR; masks and delays before the QOS configuration are ABORTED, as is a second
   configuration; out-of-range values for this CPU are BAD_PAR. */

#include "x86/qos_check.h"

#include <nova/descriptors.h>
#include <nova/status.h>

#define CFG_BYTE         0xffULL        /* desc bits 8 and up are ignored */
#define CAT_RSVD         (~0ULL << 48)  /* within the 56-bit desc */
#define MBA_RSVD         (~0ULL << 32)

bool qos_cbm_valid(uint32_t cbm, unsigned len)
{
    if (!cbm || (len < 32 && cbm >> len))
        return false;
    uint32_t shifted = cbm >> __builtin_ctz(cbm);
    return !(shifted & (shifted + 1)); /* all ones from bit 0 up */
}

unsigned qos_check_cfg(const struct qos_caps *c, bool configured, uint64_t desc, bool cdp[2])
{
    if (desc & CFG_BYTE & ~NOVA_QOS_VALID_MASK)
        return NOVA_BAD_PAR;
    if (!c->rdt)
        return NOVA_BAD_FTR;
    if (configured)
        return NOVA_ABORTED;
    cdp[QOS_L3] = desc & NOVA_QOS_CDP_L3;
    cdp[QOS_L2] = desc & NOVA_QOS_CDP_L2;
    for (unsigned l = 0; l < 2; l++)
        if (cdp[l] && !c->cdp[l])
            return NOVA_BAD_PAR; /* only CDP settings this CPU supports are valid */
    return NOVA_SUCCESS;
}

unsigned qos_check_cat(const struct qos_caps *c, enum qos_level l, bool configured, uint64_t desc, unsigned *n,
                       uint32_t *cbm)
{
    if (desc & CAT_RSVD & NOVA_CTRL_HW_DESC_MASK)
        return NOVA_BAD_PAR;
    if (!c->rdt || !c->cat[l])
        return NOVA_BAD_FTR;
    if (!configured)
        return NOVA_ABORTED;
    *n = (unsigned)((desc >> NOVA_CAT_N_SHIFT) & NOVA_CAT_N_MASK);
    *cbm = (uint32_t)((desc >> NOVA_CAT_CBM_SHIFT) & NOVA_CAT_CBM_MASK);
    return *n < c->masks[l] && qos_cbm_valid(*cbm, c->cbm_len[l]) ? NOVA_SUCCESS : NOVA_BAD_PAR;
}

unsigned qos_check_mba(const struct qos_caps *c, bool configured, uint64_t desc, unsigned *cos, unsigned *delay)
{
    if (desc & MBA_RSVD & NOVA_CTRL_HW_DESC_MASK)
        return NOVA_BAD_PAR;
    if (!c->rdt || !c->mba)
        return NOVA_BAD_FTR;
    if (!configured)
        return NOVA_ABORTED;
    *cos = (unsigned)((desc >> NOVA_MBA_COS_SHIFT) & NOVA_MBA_COS_MASK);
    *delay = (unsigned)((desc >> NOVA_MBA_DELAY_SHIFT) & NOVA_MBA_DELAY_MASK);
    return *cos < c->mb_cos && *delay <= c->mb_max ? NOVA_SUCCESS : NOVA_BAD_PAR;
}
