/* SPDX-License-Identifier: MIT */
/* Cases: the F flag of create_ec: FPU state kept per EC across switches. (#NM without F: events.c.) */

#include "cases.h"
#include <res.h>
#include <suite.h>

#include <hc.h>
#include <nova/descriptors.h>
#include <nova/selectors.h>
#include <thread.h>

#define ROOT NOVA_SEL_PD_ROOT

static uint64_t nap_sm;
static volatile uint64_t seen[2];

static void set_xmm0(uint64_t v)
{
    __asm__ volatile("movq %0, %%xmm0" ::"r"(v)); /* no clobber: user code is built without SSE */
}

static uint64_t get_xmm0(void)
{
    uint64_t v;
    __asm__ volatile("movq %%xmm0, %0" : "=r"(v));
    return v;
}

/* Puts its own value into XMM0, lets the others run, and reports what XMM0 holds then. */
static void fpu_thread(void *arg)
{
    uint64_t i = (uint64_t)arg, mine = 0x1111111111111111ull * (i + 3);
    set_xmm0(mine);
    hc_sm_down(nap_sm, 0, deadline_ms(5));
    seen[i] = get_xmm0() == mine ? 1 : 2;
}

void cases_fpu(void)
{
    nap_sm = sel_alloc(1);
    hc_create_sm(nap_sm, ROOT, 0);
    uint64_t root_value = 0x0123456789abcdefull;
    set_xmm0(root_value);
    for (uint64_t i = 0; i < 2; i++) {
        uint64_t ec = sel_alloc(1), sc = sel_alloc(1);
        uint64_t stack = stack_alloc();
        uint64_t *sp = (uint64_t *)stack - 2;
        sp[0] = (uint64_t)fpu_thread;
        sp[1] = i;
        hc_create_ec(ec, ROOT, utcb_alloc(), 0, (uint64_t)sp, thread_evt(0), NOVA_CREATE_EC_T | NOVA_CREATE_EC_F);
        hc_create_sc(sc, ROOT, ec, nova_scd(5, 50, 0));
    }
    hc_sm_down(nap_sm, 0, deadline_ms(20));
    suite_case("fpu_state_kept_per_ec", seen[0] == 1 && seen[1] == 1, "threads saw %lu %lu (1 = own value)", seen[0],
               seen[1]);
    suite_case("fpu_root_state_kept", get_xmm0() == root_value, "root xmm0 %#lx", get_xmm0());
}
