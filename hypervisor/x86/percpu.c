/* SPDX-License-Identifier: MIT */
/* Per-CPU data: static for the bootstrap processor, allocated for the application processors. */

#include "x86/percpu.h"
#include "core/pmm.h"
#include "x86/gdt.h"
#include "x86/smp_layout.h"

#define PERCPU_ORDER 2  /* struct percpu holds the TSS with its 8 KiB I/O bitmap */
#define KSTACK_ORDER 2
#define IST_ORDER    1
_Static_assert(sizeof(struct percpu) <= (4096u << PERCPU_ORDER), "percpu fits its allocation");
_Static_assert(KSTACK_SIZE == (4096u << KSTACK_ORDER), "kernel stack size");

struct percpu *cpus[MAX_CPUS];
unsigned cpu_count;

static struct percpu bsp;
static uint8_t bsp_kstack[KSTACK_SIZE] __attribute__((aligned(16)));
static uint8_t bsp_ist[4096u << IST_ORDER] __attribute__((aligned(16)));

void percpu_init_bsp(void)
{
    bsp.id = 0;
    bsp.kstack_top = (uint64_t)bsp_kstack + sizeof(bsp_kstack);
    bsp.ist_top = (uint64_t)bsp_ist + sizeof(bsp_ist);
    bsp.online = 1;
    cpus[0] = &bsp;
    cpu_count = 1;
    gdt_load(&bsp);
}

struct percpu *percpu_create(unsigned id, unsigned apic_id)
{
    struct percpu *c = page_alloc(PERCPU_ORDER);
    uint8_t *kstack = page_alloc(KSTACK_ORDER), *ist = page_alloc(IST_ORDER);
    if (!c || !kstack || !ist) {
        page_free(c, PERCPU_ORDER);
        page_free(kstack, KSTACK_ORDER);
        page_free(ist, IST_ORDER);
        return NULL;
    }
    c->id = id;
    c->apic_id = apic_id;
    c->kstack_top = (uint64_t)kstack + (4096u << KSTACK_ORDER);
    c->ist_top = (uint64_t)ist + (4096u << IST_ORDER);
    return c;
}
