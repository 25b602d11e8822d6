/* SPDX-License-Identifier: MIT */
/* Cases: ctrl_pd on the object space: permission masking and revocation by overwrite. */

#include "cases.h"
#include <suite.h>

#include <hc.h>
#include <nova/selectors.h>

#define ROOT NOVA_SEL_PD_ROOT

static unsigned obj_copy(uint64_t src, uint64_t dst, unsigned ord, unsigned pmm)
{
    return hc_ctrl_pd(ROOT, ROOT, src, dst, ord, pmm, NOVA_SPC_OBJ, 0, 0);
}

void cases_ctrl_pd_obj(void)
{
    uint64_t a = SEL_SCRATCH + 0x10, b = SEL_SCRATCH + 0x11, empty = SEL_SCRATCH + 0x12;

    EXPECT_STATUS("ctrl_pd_obj_copy_sc", obj_copy(NOVA_SEL_SC_ROOT, a, 0, NOVA_PERM_SC_CTRL), NOVA_SUCCESS);
    EXPECT_STATUS("ctrl_pd_obj_copy_is_usable", hc_ctrl_sc(a, 0), NOVA_SUCCESS);
    EXPECT_STATUS("ctrl_pd_obj_pmm_zero_gives_null", obj_copy(NOVA_SEL_SC_ROOT, b, 0, 0), NOVA_SUCCESS);
    EXPECT_STATUS("ctrl_pd_obj_null_copy_unusable", hc_ctrl_sc(b, 0), NOVA_BAD_CAP);
    EXPECT_STATUS("ctrl_pd_obj_overwrite_with_null", obj_copy(empty, a, 0, 0x1f), NOVA_SUCCESS);
    EXPECT_STATUS("ctrl_pd_obj_overwritten_cap_revoked", hc_ctrl_sc(a, 0), NOVA_BAD_CAP);

    /* An order-2 copy moves four selectors at once, holes included. */
    uint64_t base = SEL_SCRATCH + 0x20;
    obj_copy(NOVA_SEL_SC_ROOT, base + 4, 0, 0x1f);
    obj_copy(NOVA_SEL_SC_ROOT, base + 6, 0, 0x1f);
    EXPECT_STATUS("ctrl_pd_obj_order2", obj_copy(base + 4, base + 8, 2, 0x1f), NOVA_SUCCESS);
    int ok = hc_ctrl_sc(base + 8, 0) == NOVA_SUCCESS && hc_ctrl_sc(base + 9, 0) == NOVA_BAD_CAP &&
             hc_ctrl_sc(base + 10, 0) == NOVA_SUCCESS && hc_ctrl_sc(base + 11, 0) == NOVA_BAD_CAP;
    suite_case("ctrl_pd_obj_order2_contents", ok, "selector pattern differs");
}
