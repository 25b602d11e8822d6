/* SPDX-License-Identifier: MIT */
/* Portal handlers in C: a local EC whose portal entry resets its stack and calls a function. */

#include "portal.h"
#include "hc.h"

#include <nova/selectors.h>

unsigned portal_create(uint64_t ec_sel, uint64_t pt_sel, unsigned cpu, uint64_t utcb_va, uint64_t evt,
                       struct portal_ctx *ctx)
{
    ctx->utcb = (union nova_utcb *)utcb_va;
    unsigned st = hc_create_ec(ec_sel, NOVA_SEL_PD_ROOT, utcb_va, cpu, ctx->stack_top, evt, 0);
    if (st == NOVA_SUCCESS)
        st = hc_create_pt(pt_sel, NOVA_SEL_PD_ROOT, ec_sel, (uint64_t)portal_entry);
    if (st == NOVA_SUCCESS)
        st = hc_ctrl_pt(pt_sel, (uint64_t)ctx, 0);
    return st;
}
