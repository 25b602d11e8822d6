/* SPDX-License-Identifier: MIT */
/* Cases: ctrl_sc (spec 5.4.3). */

#include "cases.h"
#include <suite.h>

#include <hc.h>
#include <nova/selectors.h>

void cases_ctrl_sc(void)
{
    uint64_t t1 = 0, t2 = 0;
    EXPECT_STATUS("ctrl_sc_root_success", hc_ctrl_sc(NOVA_SEL_SC_ROOT, &t1), NOVA_SUCCESS);
    for (volatile unsigned i = 0; i < 100000; i++)
        ;
    hc_ctrl_sc(NOVA_SEL_SC_ROOT, &t2);
    suite_case("ctrl_sc_time_advances", t1 > 0 && t2 > t1, "t1 %lu t2 %lu", t1, t2);
    EXPECT_STATUS("ctrl_sc_null_bad_cap", hc_ctrl_sc(SEL_SCRATCH + 0xff, 0), NOVA_BAD_CAP);
    EXPECT_STATUS("ctrl_sc_on_ec_bad_cap", hc_ctrl_sc(NOVA_SEL_EC_ROOT, 0), NOVA_BAD_CAP);
    EXPECT_STATUS("ctrl_sc_beyond_sel_num_bad_cap", hc_ctrl_sc(NOVA_SEL_NUM + 4, 0), NOVA_BAD_CAP);
}
