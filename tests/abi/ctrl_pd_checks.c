/* SPDX-License-Identifier: MIT */
/* Cases: ctrl_pd capability and parameter checks (spec 5.4.1). */

#include "cases.h"
#include <suite.h>

#include <hc.h>
#include <nova/selectors.h>

#define NOVA NOVA_SEL_PD_NOVA
#define ROOT NOVA_SEL_PD_ROOT

/* ctrl_pd with raw operands, for encodings the typed stub cannot express. */
static unsigned ctrl_pd_raw(uint64_t spd, uint64_t dpd, uint64_t src_op, uint64_t dst_op)
{
    return hc_raw(nova_hc_id(NOVA_CTRL_PD, 0, spd), dpd, src_op, dst_op, 0, 0);
}

void cases_ctrl_pd_checks(void)
{
    EXPECT_STATUS("ctrl_pd_null_source_pd_bad_cap",
                  hc_ctrl_pd(SEL_SCRATCH + 0xfe, ROOT, 0x80, 0x80, 0, 1, NOVA_SPC_PIO, NOVA_ACC_CPU_HST, 0),
                  NOVA_BAD_CAP);
    EXPECT_STATUS("ctrl_pd_null_destination_pd_bad_cap",
                  hc_ctrl_pd(NOVA, SEL_SCRATCH + 0xfe, 0x80, 0x80, 0, 1, NOVA_SPC_PIO, NOVA_ACC_CPU_HST, 0),
                  NOVA_BAD_CAP);
    EXPECT_STATUS("ctrl_pd_destination_nova_bad_cap",
                  hc_ctrl_pd(ROOT, NOVA, SEL_SCRATCH, SEL_SCRATCH, 0, 0x1f, NOVA_SPC_OBJ, 0, 0), NOVA_BAD_CAP);
    EXPECT_STATUS("ctrl_pd_source_not_a_pd_bad_cap",
                  hc_ctrl_pd(NOVA_SEL_EC_ROOT, ROOT, 0x80, 0x80, 0, 1, NOVA_SPC_PIO, NOVA_ACC_CPU_HST, 0),
                  NOVA_BAD_CAP);

    /* A copy of our own PD capability without CTRL cannot be used with ctrl_pd. */
    unsigned st = hc_ctrl_pd(ROOT, ROOT, NOVA_SEL_PD_ROOT, SEL_SCRATCH, 0, NOVA_PERM_PD_ALL & ~NOVA_PERM_PD_CTRL,
                             NOVA_SPC_OBJ, 0, 0);
    suite_case("ctrl_pd_copy_pd_without_ctrl", st == NOVA_SUCCESS, "status %s", nova_status_name(st));
    EXPECT_STATUS("ctrl_pd_source_without_ctrl_bad_cap",
                  hc_ctrl_pd(SEL_SCRATCH, ROOT, 0x80, 0x80, 0, 1, NOVA_SPC_PIO, NOVA_ACC_CPU_HST, 0), NOVA_BAD_CAP);
    EXPECT_STATUS("ctrl_pd_destination_without_ctrl_bad_cap",
                  hc_ctrl_pd(NOVA, SEL_SCRATCH, 0x80, 0x80, 0, 1, NOVA_SPC_PIO, NOVA_ACC_CPU_HST, 0), NOVA_BAD_CAP);

    EXPECT_STATUS("ctrl_pd_src_misaligned_bad_par",
                  hc_ctrl_pd(ROOT, ROOT, SEL_SCRATCH + 1, SEL_SCRATCH + 2, 1, 0x1f, NOVA_SPC_OBJ, 0, 0), NOVA_BAD_PAR);
    EXPECT_STATUS("ctrl_pd_dst_misaligned_bad_par",
                  hc_ctrl_pd(ROOT, ROOT, SEL_SCRATCH, SEL_SCRATCH + 1, 1, 0x1f, NOVA_SPC_OBJ, 0, 0), NOVA_BAD_PAR);
    EXPECT_STATUS("ctrl_pd_obj_beyond_sel_num_bad_par",
                  hc_ctrl_pd(ROOT, ROOT, 0, 0, 19, 0x1f, NOVA_SPC_OBJ, 0, 0), NOVA_BAD_PAR);
    EXPECT_STATUS("ctrl_pd_pio_beyond_65536_bad_par",
                  hc_ctrl_pd(NOVA, ROOT, 0, 0, 17, 1, NOVA_SPC_PIO, NOVA_ACC_CPU_HST, 0), NOVA_BAD_PAR);
    EXPECT_STATUS("ctrl_pd_mem_beyond_user_space_bad_par",
                  hc_ctrl_pd(ROOT, ROOT, 0, NOVA_USER_VA_END >> NOVA_PAGE_SHIFT, 0, 1, NOVA_SPC_MEM,
                             NOVA_ACC_CPU_HST, 0),
                  NOVA_BAD_PAR);
    EXPECT_STATUS("ctrl_pd_pio_src_ne_dst_bad_par",
                  hc_ctrl_pd(NOVA, ROOT, 0x80, 0x81, 0, 1, NOVA_SPC_PIO, NOVA_ACC_CPU_HST, 0), NOVA_BAD_PAR);
    EXPECT_STATUS("ctrl_pd_msr_host_access_bad_par",
                  hc_ctrl_pd(NOVA, ROOT, 0x10, 0x10, 0, 3, NOVA_SPC_MSR, NOVA_ACC_CPU_HST, 0), NOVA_BAD_PAR);
    EXPECT_STATUS("ctrl_pd_pio_dma_access_bad_par",
                  hc_ctrl_pd(NOVA, ROOT, 0x80, 0x80, 0, 1, NOVA_SPC_PIO, NOVA_ACC_DMA_HST, 0), NOVA_BAD_PAR);
    EXPECT_STATUS("ctrl_pd_bad_cacheability_bad_par",
                  hc_ctrl_pd(NOVA, ROOT, 0, VA_SCRATCH >> NOVA_PAGE_SHIFT, 0, 1, NOVA_SPC_MEM, NOVA_ACC_CPU_HST, 5),
                  NOVA_BAD_PAR);
    EXPECT_STATUS("ctrl_pd_bad_shareability_bad_par",
                  ctrl_pd_raw(NOVA, ROOT, nova_ctrl_pd_src(0, 0, NOVA_SPC_MEM),
                              nova_ctrl_pd_dst(VA_SCRATCH >> NOVA_PAGE_SHIFT, 1, NOVA_CA_WB, 1, NOVA_ACC_CPU_HST)),
                  NOVA_BAD_PAR);
}
