/* SPDX-License-Identifier: MIT */
/* Simple resource allocation for root tasks: free selectors, UTCB addresses, stacks, deadlines. */

#include "res.h"
#include "hc.h"

#include <nova/hip.h>
#include <nova/selectors.h>

#define SEL_FIRST       0x4000
#define UTCB_REGION     0x300000000000ull
#define STACKS          48
#define STACK_SIZE      8192

static uint64_t next_sel = SEL_FIRST, next_utcb = UTCB_REGION;
static unsigned next_stack;
static uint8_t stacks[STACKS][STACK_SIZE] __attribute__((aligned(16)));

uint64_t sel_alloc(unsigned n)
{
    uint64_t s = next_sel;
    next_sel += n;
    return s;
}

uint64_t utcb_alloc(void)
{
    uint64_t u = next_utcb;
    next_utcb += 0x1000;
    return u;
}

uint64_t stack_alloc(void)
{
    return next_stack < STACKS ? (uint64_t)stacks[next_stack++] + STACK_SIZE : 0;
}

unsigned cpu_num(void)
{
    return ((const struct nova_hip *)NOVA_HIP_VADDR)->cpu_num;
}

unsigned other_cpu(void)
{
    return cpu_num() > 1 ? 1 : 0;
}


uint64_t deadline_ms(unsigned ms)
{
    uint64_t hz = ((const struct nova_hip *)NOVA_HIP_VADDR)->stc_freq;
    return rdtsc_now() + hz / 1000 * ms;
}

void nap_ms(unsigned ms)
{
    static uint64_t nap;
    if (!nap) {
        nap = sel_alloc(1);
        hc_create_sm(nap, NOVA_SEL_PD_ROOT, 0);
    }
    hc_sm_down(nap, 0, deadline_ms(ms));
}
