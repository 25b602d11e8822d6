/* SPDX-License-Identifier: MIT */
/* Cases: object creation (spec 5.3) with every status code it lists. */

#include "cases.h"
#include <res.h>
#include <suite.h>

#include <hc.h>
#include <nova/descriptors.h>
#include <nova/hip.h>
#include <nova/selectors.h>
#include <thread.h>

#define ROOT NOVA_SEL_PD_ROOT
#define NOVA NOVA_SEL_PD_NOVA

static volatile int started_flag;

static void mark_started(void *arg)
{
    (void)arg;
    started_flag = 1;
}

/* A copy of cap at a new selector, with permissions masked by pmm. */
static uint64_t reduced(uint64_t cap, unsigned pmm)
{
    uint64_t s = sel_alloc(1);
    hc_ctrl_pd(ROOT, ROOT, cap, s, 0, pmm, NOVA_SPC_OBJ, 0, 0);
    return s;
}

static void cases_create_pd(void)
{
    uint64_t s = sel_alloc(1);
    EXPECT_STATUS("create_pd_success", hc_create_pd(s, ROOT), NOVA_SUCCESS);
    EXPECT_STATUS("create_pd_selector_taken_bad_cap", hc_create_pd(s, ROOT), NOVA_BAD_CAP);
    EXPECT_STATUS("create_pd_owner_null_bad_cap", hc_create_pd(sel_alloc(1), sel_alloc(1)), NOVA_BAD_CAP);
    EXPECT_STATUS("create_pd_owner_not_pd_bad_cap", hc_create_pd(sel_alloc(1), NOVA_SEL_SC_ROOT), NOVA_BAD_CAP);
    EXPECT_STATUS("create_pd_owner_without_pd_perm_bad_cap",
                  hc_create_pd(sel_alloc(1), reduced(ROOT, NOVA_PERM_PD_ALL & ~NOVA_PERM_PD_PD)), NOVA_BAD_CAP);
    EXPECT_STATUS("create_pd_nova_owner_bad_cap", hc_create_pd(sel_alloc(1), NOVA), NOVA_BAD_CAP);
    /* The new PD inherits the owner capability's permissions: CTRL works on it. */
    uint64_t child = sel_alloc(1);
    hc_create_pd(child, ROOT);
    EXPECT_STATUS("create_pd_new_pd_has_ctrl",
                  hc_ctrl_pd(ROOT, child, NOVA_SEL_SC_ROOT, 0x10, 0, 0x1f, NOVA_SPC_OBJ, 0, 0), NOVA_SUCCESS);
    uint64_t weak = sel_alloc(1);
    hc_create_pd(weak, reduced(ROOT, NOVA_PERM_PD_ALL & ~NOVA_PERM_PD_CTRL));
    EXPECT_STATUS("create_pd_inherits_reduced_perms",
                  hc_ctrl_pd(ROOT, weak, NOVA_SEL_SC_ROOT, 0x10, 0, 0x1f, NOVA_SPC_OBJ, 0, 0), NOVA_BAD_CAP);
}

static void cases_create_ec(void)
{
    uint64_t s = sel_alloc(1);
    EXPECT_STATUS("create_ec_local_success", hc_create_ec(s, ROOT, utcb_alloc(), 0, stack_alloc(), 0, 0),
                  NOVA_SUCCESS);
    EXPECT_STATUS("create_ec_selector_taken_bad_cap", hc_create_ec(s, ROOT, utcb_alloc(), 0, 0, 0, 0),
                  NOVA_BAD_CAP);
    EXPECT_STATUS("create_ec_owner_null_bad_cap", hc_create_ec(sel_alloc(1), sel_alloc(1), utcb_alloc(), 0, 0, 0, 0),
                  NOVA_BAD_CAP);
    EXPECT_STATUS("create_ec_owner_without_ec_perm_bad_cap",
                  hc_create_ec(sel_alloc(1), reduced(ROOT, NOVA_PERM_PD_ALL & ~NOVA_PERM_PD_EC_PT_SM), utcb_alloc(),
                               0, 0, 0, 0),
                  NOVA_BAD_CAP);
    EXPECT_STATUS("create_ec_bad_cpu", hc_create_ec(sel_alloc(1), ROOT, utcb_alloc(), cpu_num(), 0, 0, 0),
                  NOVA_BAD_CPU);
    EXPECT_STATUS("create_ec_cpu_4095_bad_cpu", hc_create_ec(sel_alloc(1), ROOT, utcb_alloc(), 4095, 0, 0, 0),
                  NOVA_BAD_CPU);
    const struct nova_hip *hip = (const struct nova_hip *)NOVA_HIP_VADDR;
    unsigned want = hip->features & (NOVA_HIP_FEAT_SVM | NOVA_HIP_FEAT_VMX) ? NOVA_SUCCESS : NOVA_BAD_FTR;
    EXPECT_STATUS("create_ec_vcpu_as_hip_features_say",
                  hc_create_ec(sel_alloc(1), ROOT, utcb_alloc(), 0, 0, 0, NOVA_CREATE_EC_V), want);
    EXPECT_STATUS("create_ec_utcb_beyond_user_bad_par",
                  hc_create_ec(sel_alloc(1), ROOT, NOVA_USER_VA_END, 0, 0, 0, 0), NOVA_BAD_PAR);
    EXPECT_STATUS("create_ec_utcb_on_hip_bad_par", hc_create_ec(sel_alloc(1), ROOT, NOVA_HIP_VADDR, 0, 0, 0, 0),
                  NOVA_BAD_PAR);
    EXPECT_STATUS("create_ec_utcb_on_own_code_bad_par",
                  hc_create_ec(sel_alloc(1), ROOT, (uint64_t)cases_create_ec & ~0xfffull, 0, 0, 0, 0), NOVA_BAD_PAR);
    uint64_t u = utcb_alloc();
    hc_create_ec(sel_alloc(1), ROOT, u, 0, 0, 0, 0);
    EXPECT_STATUS("create_ec_utcb_taken_bad_par", hc_create_ec(sel_alloc(1), ROOT, u, 0, 0, 0, 0), NOVA_BAD_PAR);
    EXPECT_STATUS("create_ec_global_success",
                  hc_create_ec(sel_alloc(1), ROOT, utcb_alloc(), 0, stack_alloc(), thread_evt(0), NOVA_CREATE_EC_T),
                  NOVA_SUCCESS);
    EXPECT_STATUS("create_ec_fpu_success",
                  hc_create_ec(sel_alloc(1), ROOT, utcb_alloc(), 0, stack_alloc(), 0, NOVA_CREATE_EC_F), NOVA_SUCCESS);
    EXPECT_STATUS("create_ec_on_other_cpu", hc_create_ec(sel_alloc(1), ROOT, utcb_alloc(), other_cpu(), 0, 0, 0),
                  NOVA_SUCCESS);
}

static void cases_create_sc(void)
{
    uint64_t local = sel_alloc(1), global = sel_alloc(1);
    hc_create_ec(local, ROOT, utcb_alloc(), 0, stack_alloc(), 0, 0);
    uint64_t stack = stack_alloc();
    uint64_t *sp = (uint64_t *)stack - 2;
    sp[0] = (uint64_t)mark_started;
    sp[1] = 0;
    hc_create_ec(global, ROOT, utcb_alloc(), 0, (uint64_t)sp, thread_evt(0), NOVA_CREATE_EC_T);

    uint64_t ok_scd = nova_scd(10, 5, 0);
    EXPECT_STATUS("create_sc_on_local_ec_bad_cap", hc_create_sc(sel_alloc(1), ROOT, local, ok_scd), NOVA_BAD_CAP);
    EXPECT_STATUS("create_sc_on_null_bad_cap", hc_create_sc(sel_alloc(1), ROOT, sel_alloc(1), ok_scd), NOVA_BAD_CAP);
    EXPECT_STATUS("create_sc_owner_without_sc_perm_bad_cap",
                  hc_create_sc(sel_alloc(1), reduced(ROOT, NOVA_PERM_PD_ALL & ~NOVA_PERM_PD_SC), global, ok_scd),
                  NOVA_BAD_CAP);
    EXPECT_STATUS("create_sc_ec_without_bind_sc_bad_cap",
                  hc_create_sc(sel_alloc(1), ROOT, reduced(global, NOVA_PERM_EC_ALL & ~NOVA_PERM_EC_BIND_SC), ok_scd),
                  NOVA_BAD_CAP);
    EXPECT_STATUS("create_sc_zero_budget_bad_par", hc_create_sc(sel_alloc(1), ROOT, global, nova_scd(0, 5, 0)),
                  NOVA_BAD_PAR);
    EXPECT_STATUS("create_sc_zero_priority_bad_par", hc_create_sc(sel_alloc(1), ROOT, global, nova_scd(10, 0, 0)),
                  NOVA_BAD_PAR);
    EXPECT_STATUS("create_sc_cos_unsupported_bad_par", hc_create_sc(sel_alloc(1), ROOT, global, nova_scd(10, 5, 1)),
                  NOVA_BAD_PAR);
    EXPECT_STATUS("create_sc_reserved_bits_bad_par", hc_create_sc(sel_alloc(1), ROOT, global, ok_scd | (1ull << 40)),
                  NOVA_BAD_PAR);
    uint64_t sc = sel_alloc(1);
    EXPECT_STATUS("create_sc_success", hc_create_sc(sc, ROOT, global, ok_scd), NOVA_SUCCESS);
    EXPECT_STATUS("create_sc_selector_taken_bad_cap", hc_create_sc(sc, ROOT, global, ok_scd), NOVA_BAD_CAP);
    /* The new SC has a lower priority than ours: the EC starts once we wait. */
    suite_case("create_sc_lower_prio_does_not_preempt", !started_flag, "thread ran before root blocked");
    uint64_t pause = sel_alloc(1);
    hc_create_sm(pause, ROOT, 0);
    hc_sm_down(pause, 0, deadline_ms(20));
    WAIT_UNTIL(started_flag, 2000);
    suite_case("create_sc_global_ec_starts", started_flag, "startup event did not run the thread");
}

static void cases_create_pt_sm(void)
{
    uint64_t local = sel_alloc(1), global = sel_alloc(1);
    hc_create_ec(local, ROOT, utcb_alloc(), 0, stack_alloc(), 0, 0);
    hc_create_ec(global, ROOT, utcb_alloc(), 0, stack_alloc(), thread_evt(0), NOVA_CREATE_EC_T);
    uint64_t pt = sel_alloc(1);
    EXPECT_STATUS("create_pt_success", hc_create_pt(pt, ROOT, local, 0x1000), NOVA_SUCCESS);
    EXPECT_STATUS("create_pt_selector_taken_bad_cap", hc_create_pt(pt, ROOT, local, 0x1000), NOVA_BAD_CAP);
    EXPECT_STATUS("create_pt_on_global_ec_bad_cap", hc_create_pt(sel_alloc(1), ROOT, global, 0x1000), NOVA_BAD_CAP);
    EXPECT_STATUS("create_pt_ec_without_bind_pt_bad_cap",
                  hc_create_pt(sel_alloc(1), ROOT, reduced(local, NOVA_PERM_EC_ALL & ~NOVA_PERM_EC_BIND_PT), 0x1000),
                  NOVA_BAD_CAP);
    EXPECT_STATUS("create_pt_owner_without_perm_bad_cap",
                  hc_create_pt(sel_alloc(1), reduced(ROOT, NOVA_PERM_PD_ALL & ~NOVA_PERM_PD_EC_PT_SM), local, 0),
                  NOVA_BAD_CAP);
    uint64_t sm = sel_alloc(1);
    EXPECT_STATUS("create_sm_success", hc_create_sm(sm, ROOT, 3), NOVA_SUCCESS);
    EXPECT_STATUS("create_sm_selector_taken_bad_cap", hc_create_sm(sm, ROOT, 0), NOVA_BAD_CAP);
    EXPECT_STATUS("create_sm_owner_not_pd_bad_cap", hc_create_sm(sel_alloc(1), sm, 0), NOVA_BAD_CAP);
    EXPECT_STATUS("create_sm_owner_without_perm_bad_cap",
                  hc_create_sm(sel_alloc(1), reduced(ROOT, NOVA_PERM_PD_ALL & ~NOVA_PERM_PD_EC_PT_SM), 0),
                  NOVA_BAD_CAP);
    EXPECT_STATUS("create_sm_beyond_sel_num_bad_cap", hc_create_sm(NOVA_SEL_NUM, ROOT, 0), NOVA_BAD_CAP);
}

void cases_create(void)
{
    cases_create_pd();
    cases_create_ec();
    cases_create_sc();
    cases_create_pt_sm();
}
