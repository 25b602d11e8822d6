/* SPDX-License-Identifier: MIT */
/* One-shot LAPIC timer at an absolute TSC deadline (TSC-deadline mode where the CPU has it). */

#include "x86/timer.h"
#include "x86/cpu.h"
#include "x86/lapic.h"
#include "x86/tsc.h"

#include <stdbool.h>

#define MSR_TSC_DEADLINE    0x6e0
#define CPUID1_ECX_TSC_DL   (1u << 24)
#define LAPIC_LVT_TIMER     0x320
#define LAPIC_TIMER_INIT    0x380
#define LAPIC_TIMER_CUR     0x390
#define LAPIC_TIMER_DIV     0x3e0
#define LVT_MASKED          (1u << 16)
#define LVT_TSC_DEADLINE    (2u << 17)
#define DIV_BY_1            0xb
#define CAL_US              10000

static bool tsc_deadline;
static uint64_t lapic_per_mtsc; /* LAPIC timer ticks per 2^20 TSC ticks (count mode) */

void timer_init(void)
{
    uint32_t r[4];
    cpuid(1, 0, r);
    tsc_deadline = r[2] & CPUID1_ECX_TSC_DL;
    if (tsc_deadline) {
        lapic_write(LAPIC_LVT_TIMER, LVT_TSC_DEADLINE | VEC_TIMER);
        return;
    }
    lapic_write(LAPIC_TIMER_DIV, DIV_BY_1);
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
    if (!lapic_per_mtsc) { /* measure once, on the BSP */
        uint64_t t0 = rdtsc();
        lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
        tsc_delay_us(CAL_US);
        uint32_t ticks = 0xffffffff - lapic_read(LAPIC_TIMER_CUR);
        uint64_t tsc = rdtsc() - t0;
        lapic_write(LAPIC_TIMER_INIT, 0);
        lapic_per_mtsc = tsc ? ((uint64_t)ticks << 20) / tsc : 0;
        if (!lapic_per_mtsc)
            lapic_per_mtsc = 1;
    }
    lapic_write(LAPIC_LVT_TIMER, VEC_TIMER); /* one-shot, unmasked */
}

void timer_program(uint64_t deadline)
{
    if (tsc_deadline) {
        wrmsr(MSR_TSC_DEADLINE, deadline);
        return;
    }
    if (!deadline) {
        lapic_write(LAPIC_TIMER_INIT, 0);
        return;
    }
    uint64_t now = rdtsc(), delta = deadline > now ? deadline - now : 1;
    uint64_t count = (delta >> 10) * lapic_per_mtsc >> 10;
    if (count == 0)
        count = 1;
    if (count > 0xffffffffu)
        count = 0xffffffffu;
    lapic_write(LAPIC_TIMER_INIT, (uint32_t)count);
}
