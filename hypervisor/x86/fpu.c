/* SPDX-License-Identifier: MIT */
/* FPU/SSE/AVX state per EC: XSAVE (or FXSAVE) on switch between ECs that have the F flag. */

#include "x86/fpu.h"
#include "core/console.h"
#include "core/ec.h"
#include "core/pmm.h"
#include "x86/cpu.h"
#include "x86/percpu.h"
#include "x86/xcr0.h"

#include <stdint.h>

#define CR0_MP          (1ull << 1)
#define CR0_EM          (1ull << 2)
#define CR4_OSXSAVE     (1ull << 18)
#define CPUID1_ECX_XSAVE (1u << 26)
#define XCR0_WANTED     (XCR0_X87 | XCR0_SSE | XCR0_AVX)
#define FCW_INIT        0x037f          /* all x87 exceptions masked, 64-bit precision */
#define MXCSR_INIT      0x1f80          /* all SSE exceptions masked */
#define AREA_FCW        0
#define AREA_MXCSR      24

static bool use_xsave;
static uint64_t xcr0;

uint64_t fpu_xcr0(void)
{
    return use_xsave ? xcr0 : 0;
}

void fpu_init_cpu(void)
{
    uint32_t r[4];
    cpuid(1, 0, r);
    set_cr0((get_cr0() | CR0_MP) & ~CR0_EM);
    set_cr4(get_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
    use_xsave = r[2] & CPUID1_ECX_XSAVE;
    if (use_xsave) {
        cpuid(0xd, 0, r);
        xcr0 = (((uint64_t)r[3] << 32) | r[0]) & XCR0_WANTED;
        set_cr4(get_cr4() | CR4_OSXSAVE);
        xcr0_set(xcr0);
        cpuid(0xd, 0, r);
        if (r[1] > 4096) /* the enabled components must fit the page we give each EC */
            panic("XSAVE area of %u bytes does not fit a page", r[1]);
    }
}

void *fpu_area_create(void)
{
    uint8_t *a = page_alloc(0); /* zeroed: XSTATE_BV 0 means every component starts in init state */
    if (a) {
        *(uint16_t *)(a + AREA_FCW) = FCW_INIT;
        *(uint32_t *)(a + AREA_MXCSR) = MXCSR_INIT;
    }
    return a;
}

static void save(void *area)
{
    if (use_xsave)
        __asm__ volatile("xsave64 (%0)" ::"r"(area), "a"((uint32_t)xcr0), "d"((uint32_t)(xcr0 >> 32)) : "memory");
    else
        __asm__ volatile("fxsave64 (%0)" ::"r"(area) : "memory");
}

static void restore(const void *area)
{
    if (use_xsave)
        __asm__ volatile("xrstor64 (%0)" ::"r"(area), "a"((uint32_t)xcr0), "d"((uint32_t)(xcr0 >> 32)) : "memory");
    else
        __asm__ volatile("fxrstor64 (%0)" ::"r"(area) : "memory");
}

void fpu_switch(struct ec *ec)
{
    struct percpu *c = this_cpu();
    if (!ec->fpu_area) {
        set_cr0(get_cr0() | CR0_TS); /* FPU use raises #NM, delivered as an event */
        return;
    }
    set_cr0(get_cr0() & ~(uint64_t)CR0_TS);
    if (c->fpu_owner == ec)
        return;
    if (c->fpu_owner)
        save(c->fpu_owner->fpu_area);
    restore(ec->fpu_area);
    c->fpu_owner = ec;
}

void fpu_save_cpu(void)
{
    struct percpu *c = this_cpu();
    if (!c->fpu_owner)
        return;
    set_cr0(get_cr0() & ~(uint64_t)CR0_TS);
    save(c->fpu_owner->fpu_area);
    c->fpu_owner = NULL;
}
