/* SPDX-License-Identifier: MIT */
/* TLB shootdown: after a PD's mappings shrink, every CPU that runs in that PD flushes. */

#include "x86/tlb.h"
#include "core/memory.h"
#include "core/pd.h"
#include "x86/cpu.h"
#include "x86/lapic.h"
#include "x86/paging.h"
#include "x86/percpu.h"

void tlb_activate(struct percpu *c, struct pd *pd)
{
    if (c->active_pd == pd)
        return;
    if (c->active_pd && c->active_pd != c->guest_pd)
        __atomic_fetch_and(&c->active_pd->cpu_mask, ~(1ull << c->id), __ATOMIC_RELAXED);
    if (pd)
        __atomic_fetch_or(&pd->cpu_mask, 1ull << c->id, __ATOMIC_RELAXED);
    c->active_pd = pd;
    set_cr3(virt_to_phys(pd ? pd->pml4 : boot_pml4));
}

void tlb_activate_guest(struct percpu *c, struct pd *pd)
{
    if (c->guest_pd == pd)
        return;
    if (c->guest_pd && c->guest_pd != c->active_pd)
        __atomic_fetch_and(&c->guest_pd->cpu_mask, ~(1ull << c->id), __ATOMIC_RELAXED);
    if (pd)
        __atomic_fetch_or(&pd->cpu_mask, 1ull << c->id, __ATOMIC_RELAXED);
    c->guest_pd = pd;
}

void tlb_flush_pending(void)
{
    struct percpu *c = this_cpu();
    if (__atomic_load_n(&c->tlb_flush, __ATOMIC_ACQUIRE)) {
        set_cr3(get_cr3());
        __atomic_store_n(&c->tlb_flush, 0, __ATOMIC_RELEASE);
    }
}

void tlb_shootdown(struct pd *pd)
{
    struct percpu *self = this_cpu();
    uint64_t mask = __atomic_load_n(&pd->cpu_mask, __ATOMIC_ACQUIRE);
    if (mask & (1ull << self->id))
        set_cr3(get_cr3());
    mask &= ~(1ull << self->id);
    for (unsigned i = 0; i < cpu_count; i++)
        if (mask & (1ull << i)) {
            __atomic_store_n(&cpus[i]->tlb_flush, 1, __ATOMIC_RELEASE);
            lapic_send_ipi(cpus[i]->apic_id, VEC_IPI_TLB);
        }
    /* Wait for each target; meanwhile answer requests aimed at us, so two CPUs that shoot
       down at the same time cannot wait for each other forever. */
    for (unsigned i = 0; i < cpu_count; i++)
        while ((mask & (1ull << i)) && __atomic_load_n(&cpus[i]->tlb_flush, __ATOMIC_ACQUIRE)) {
            tlb_flush_pending();
            cpu_pause();
        }
}
