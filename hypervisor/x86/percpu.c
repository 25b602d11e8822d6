/* SPDX-License-Identifier: MIT */
/* Per-CPU data of the bootstrap processor (the application processors come with SMP). */

#include "x86/percpu.h"
#include "x86/gdt.h"

static struct percpu bsp;
static uint8_t bsp_kstack[KSTACK_SIZE] __attribute__((aligned(16)));

void percpu_init_bsp(void)
{
    bsp.id = 0;
    bsp.kstack_top = (uint64_t)bsp_kstack + sizeof(bsp_kstack);
    gdt_load(&bsp);
}
