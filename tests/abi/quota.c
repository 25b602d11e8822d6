/* SPDX-License-Identifier: MIT */
/* Cases: kernel memory quotas: objects are charged to their owner PD, INS_MEM when it is spent. */

#include "cases.h"
#include <res.h>
#include <suite.h>

#include <hc.h>
#include <nova/selectors.h>

#define ROOT NOVA_SEL_PD_ROOT
#define CHAIN 16
#define MAX_TRIES 4096

void cases_quota(void)
{
    /* Each PD gets a quarter of its owner's remaining quota: a chain of PDs ends small. */
    uint64_t pd[CHAIN], owner = ROOT;
    unsigned depth = 0, st = NOVA_SUCCESS;
    while (depth < CHAIN && (st = hc_create_pd(pd[depth] = sel_alloc(1), owner)) == NOVA_SUCCESS)
        owner = pd[depth++];
    suite_case("quota_nested_pds", depth >= 4, "only %u levels", depth);
    suite_case("quota_nesting_ends_ins_mem", st == NOVA_INS_MEM, "level %u: %s", depth, nova_status_name(st));

    uint64_t last = pd[depth - 1];
    unsigned made = 0;
    uint64_t base = sel_alloc(MAX_TRIES);
    while (made < MAX_TRIES && (st = hc_create_sm(base + made, last, 0)) == NOVA_SUCCESS)
        made++;
    suite_case("quota_exhausted_ins_mem", st == NOVA_INS_MEM && made > 0, "%u semaphores, then %s", made,
               nova_status_name(st));
    EXPECT_STATUS("quota_exhausted_create_ec_ins_mem",
                  hc_create_ec(sel_alloc(1), last, utcb_alloc(), 0, 0, 0, 0), NOVA_INS_MEM);
    EXPECT_STATUS("quota_exhausted_create_pd_ins_mem", hc_create_pd(sel_alloc(1), last), NOVA_INS_MEM);
    EXPECT_STATUS("quota_owner_still_creates", hc_create_sm(sel_alloc(1), pd[depth - 2], 0), NOVA_SUCCESS);
    EXPECT_STATUS("quota_root_unaffected", hc_create_sm(sel_alloc(1), ROOT, 0), NOVA_SUCCESS);

    /* Mapping into an exhausted PD needs page tables it cannot pay for. */
    EXPECT_STATUS("quota_exhausted_ctrl_pd_mem_ins_mem",
                  hc_ctrl_pd(ROOT, last, (uint64_t)cases_quota >> 12, 0x12345, 0, NOVA_PERM_MEM_R, NOVA_SPC_MEM,
                             NOVA_ACC_CPU_HST, 0),
                  NOVA_INS_MEM);
    EXPECT_STATUS("quota_exhausted_ctrl_pd_obj_ins_mem",
                  hc_ctrl_pd(ROOT, last, NOVA_SEL_SC_ROOT, 0x20000, 0, 0x1f, NOVA_SPC_OBJ, 0, 0), NOVA_INS_MEM);
}
