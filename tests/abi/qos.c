/* SPDX-License-Identifier: MIT */
/* Cases: ctrl_hw QOS operations (OP 4-7, spec 5.5.1 and 8.5) on every CPU, and the sleep
   descriptors no platform accepts. QEMU's CPUs have no RDT allocation (CPUID.7.0:EBX[15] is
   clear), so there the operations must answer BAD_FTR; on a CPU with RDT the configuration
   order is checked instead. */

#include "cases.h"
#include <res.h>
#include <suite.h>

#include <hc.h>
#include <nova/descriptors.h>
#include <nova/selectors.h>
#include <thread.h>

#define ROOT            NOVA_SEL_PD_ROOT
#define CPUID7_EBX_PQE  (1u << 15)
#define QOS_OPS         4
#define MAX_CPUS        16
#define STACK_SIZE      4096

static unsigned ctrl_hw(unsigned op, uint64_t desc)
{
    return hc_raw(nova_hc_id(NOVA_CTRL_HW, op, desc), 0, 0, 0, 0, 0);
}

static void cpuid(uint32_t leaf, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

static bool cpu_has_rdt(void)
{
    uint32_t r[4];
    cpuid(0, r);
    if (r[0] < 7)
        return false;
    cpuid(7, r);
    return r[1] & CPUID7_EBX_PQE;
}

/* What one CPU answers: first the descriptors that are malformed anywhere, then the feature. */
struct qos_result {
    bool rdt;
    unsigned bad_cfg, bad_cat, bad_mba;     /* reserved bits set */
    unsigned ops[QOS_OPS];                  /* OP 4..7 with well-formed descriptors */
    unsigned cfg_again;                     /* OP 4 a second time */
    volatile int done;
};

static void probe(struct qos_result *r)
{
    r->rdt = cpu_has_rdt();
    r->bad_cfg = ctrl_hw(NOVA_CTRL_HW_QOS_CFG, 1);
    r->bad_cat = ctrl_hw(NOVA_CTRL_HW_CAT_L3, 1ULL << 48 | nova_ctrl_hw_cat(0, 1));
    r->bad_mba = ctrl_hw(NOVA_CTRL_HW_MBA, 1ULL << 40);
    /* Masks and delays first: before the configuration they are ABORTED where RDT exists. */
    r->ops[1] = ctrl_hw(NOVA_CTRL_HW_CAT_L3, nova_ctrl_hw_cat(0, 1));
    r->ops[2] = ctrl_hw(NOVA_CTRL_HW_CAT_L2, nova_ctrl_hw_cat(0, 1));
    r->ops[3] = ctrl_hw(NOVA_CTRL_HW_MBA, nova_ctrl_hw_mba(0, 0));
    r->ops[0] = ctrl_hw(NOVA_CTRL_HW_QOS_CFG, 0);
    r->cfg_again = ctrl_hw(NOVA_CTRL_HW_QOS_CFG, 0);
    r->done = 1;
}

static void probe_thread(void *arg)
{
    probe(arg);
    uint64_t block = sel_alloc(1);
    hc_create_sm(block, ROOT, 0);
    hc_sm_down(block, 0, 0);
}

static void check(unsigned cpu, const struct qos_result *r)
{
    static const char *const names[QOS_OPS] = {"cfg", "cat_l3", "cat_l2", "mba"};
    bool malformed = r->bad_cfg == NOVA_BAD_PAR && r->bad_cat == NOVA_BAD_PAR && r->bad_mba == NOVA_BAD_PAR;
    suite_case("ctrl_hw_qos_reserved_bits_bad_par", malformed, "cpu %u: %s %s %s", cpu, nova_status_name(r->bad_cfg),
               nova_status_name(r->bad_cat), nova_status_name(r->bad_mba));
    if (!r->rdt) {
        unsigned bad = QOS_OPS;
        for (unsigned i = 0; i < QOS_OPS && bad == QOS_OPS; i++)
            if (r->ops[i] != NOVA_BAD_FTR)
                bad = i;
        suite_case("ctrl_hw_qos_without_rdt_bad_ftr", bad == QOS_OPS, "cpu %u: %s gave %s", cpu,
                   bad < QOS_OPS ? names[bad] : "", bad < QOS_OPS ? nova_status_name(r->ops[bad]) : "");
        return;
    }
    bool early = true; /* ABORTED, or BAD_FTR for a level or MBA this CPU lacks */
    for (unsigned i = 1; i < QOS_OPS; i++)
        early = early && (r->ops[i] == NOVA_ABORTED || r->ops[i] == NOVA_BAD_FTR);
    suite_case("ctrl_hw_qos_masks_before_cfg_aborted", early,
               "cpu %u: %s %s %s", cpu, nova_status_name(r->ops[1]), nova_status_name(r->ops[2]),
               nova_status_name(r->ops[3]));
    suite_case("ctrl_hw_qos_cfg_once", r->ops[0] == NOVA_SUCCESS && r->cfg_again == NOVA_ABORTED, "cpu %u: %s then %s",
               cpu, nova_status_name(r->ops[0]), nova_status_name(r->cfg_again));
}

void cases_qos(void)
{
    static struct qos_result results[MAX_CPUS];
    /* Own stacks: the shared pool (res.h) is sized for the rest of the suite. */
    static uint8_t stacks[MAX_CPUS][STACK_SIZE] __attribute__((aligned(16)));
    unsigned n = cpu_num() < MAX_CPUS ? cpu_num() : MAX_CPUS;
    probe(&results[0]);
    for (unsigned cpu = 1; cpu < n; cpu++)
        thread_start(sel_alloc(1), sel_alloc(1), cpu, utcb_alloc(), (uint64_t)(stacks[cpu] + STACK_SIZE), 50, 5,
                     probe_thread, &results[cpu]);
    for (unsigned cpu = 0; cpu < n; cpu++) {
        WAIT_UNTIL(results[cpu].done, 2000);
        if (!results[cpu].done)
            suite_case("ctrl_hw_qos_probe_ran", 0, "cpu %u", cpu);
        else
            check(cpu, &results[cpu]);
    }
    EXPECT_STATUS("ctrl_hw_sleep_s6_bad_par", ctrl_hw(NOVA_CTRL_HW_SLEEP, nova_ctrl_hw_sleep(6, 0, 0)),
                  NOVA_BAD_PAR);
}
