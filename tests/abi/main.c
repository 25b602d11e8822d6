/* SPDX-License-Identifier: MIT */
/* ABI conformance suite: a root task that checks the hypercall interface case by case. */

#include "cases.h"
#include <res.h>
#include <suite.h>

#include <hc.h>
#include <roottask.h>
#include <thread.h>

static struct mb_info boot;

__attribute__((noreturn)) void user_main(uint64_t magic, uint64_t info, const struct nova_hip *hip);
void user_main(uint64_t magic, uint64_t info, const struct nova_hip *hip)
{
    if (!roottask_console())
        hc_ipc_reply_wait();
    printf("abi: conformance suite\n");
    enum mb_status st = roottask_boot_info(magic, info, &boot);
    suite_case("boot_info_readable", st == MB_OK, "multiboot_parse gave %d", st);

    cases_boot_state(hip);
    cases_hypercall();
    cases_ctrl_sc();
    cases_ctrl_pd_checks();
    cases_ctrl_pd_obj();
    cases_ctrl_pd_mem(hip);
    cases_ctrl_pd_pio();

    for (unsigned cpu = 0; cpu < cpu_num(); cpu++) {
        unsigned ts = thread_init_cpu(cpu, sel_alloc(1), utcb_alloc());
        suite_case("thread_startup_portal", ts == NOVA_SUCCESS, "cpu %u: %s", cpu, nova_status_name(ts));
    }
    cases_suspend(boot.nmods ? boot.mods[0].cmdline : ""); /* the rest of the suite runs after wakeup */
    cases_create();
    cases_ipc();
    cases_events();
    cases_sm();
    cases_sched();
    cases_fpu();
    cases_memory(hip);
    cases_quota();
    cases_lifetime();
    cases_lifetime_remote();
    cases_irq(hip);
    cases_iommu(hip);
    cases_qos();
    cases_stress();
    cases_sanity();
    cases_thread_fault();

    suite_summary();
    roottask_finish(&boot, suite.failed ? 1 : 0);
}
