/* SPDX-License-Identifier: MIT */
/* Interrupt semaphores (spec 6.1.2, 5.5.2): one per vector 0x20..0xf8, pins first, then MSIs. */

#include "core/irq.h"
#include "core/console.h"
#include "core/pd.h"
#include "core/sm.h"
#include "core/spinlock.h"
#include "x86/iommu.h"
#include "x86/ioapic.h"
#include "x86/percpu.h"

#include <nova/caps.h>
#include <nova/descriptors.h>
#include <nova/hypercall.h>
#include <nova/selectors.h>
#include <nova/status.h>

unsigned irq_pins, irq_msis;
static struct irq irqs[NOVA_INT_VECTORS];
static struct spinlock irq_lock;

void irq_init(void)
{
    unsigned gsis = ioapic_init();
    irq_pins = gsis < NOVA_INT_VECTORS ? gsis : NOVA_INT_VECTORS;
    irq_msis = NOVA_INT_VECTORS - irq_pins;
    for (unsigned i = 0; i < NOVA_INT_VECTORS; i++) {
        struct irq *irq = &irqs[i];
        irq->index = i;
        irq->pin = i < irq_pins;
        irq->masked = true; /* until the first assign_int */
        irq->sm = sm_create(0, NULL);
        if (!irq->sm || space_obj_insert(&pd_nova->objs, NOVA_SEL_INT_BASE + i,
                                         cap_make(&irq->sm->obj, NOVA_PERM_SM_INT)) != NOVA_SUCCESS)
            panic("out of memory creating interrupt semaphores");
        irq->sm->irq = irq;
    }
}

void irq_handle(unsigned vector)
{
    unsigned i = vector - IRQ_VECTOR_BASE;
    if (i >= NOVA_INT_VECTORS)
        return;
    struct irq *irq = &irqs[i];
    if (!irq->pin && irq->masked)
        return; /* a masked MSI is dropped */
    if (irq->pin && irq->level)
        ioapic_mask(i, true); /* until the handler comes back for the next one: no storm */
    sm_up(irq->sm);
}

unsigned irq_before_down(struct irq *irq, unsigned cpu)
{
    if (!irq->assigned || irq->cpu != cpu)
        return NOVA_BAD_CPU;
    spin_lock(&irq_lock);
    if (irq->pin && irq->level && !irq->masked)
        ioapic_mask(irq->index, false);
    spin_unlock(&irq_lock);
    return NOVA_SUCCESS;
}

unsigned irq_assign(struct irq *irq, unsigned flags, unsigned cpu, uint16_t dev, uint64_t *msi_addr,
                    uint64_t *msi_data)
{
    if (cpu >= cpu_count)
        return NOVA_BAD_CPU;
    spin_lock(&irq_lock);
    irq->assigned = true;
    irq->masked = flags & NOVA_ASSIGN_INT_M;
    irq->level = flags & NOVA_ASSIGN_INT_T;
    irq->active_low = flags & NOVA_ASSIGN_INT_P;
    irq->guest = flags & NOVA_ASSIGN_INT_G;
    irq->cpu = cpu;
    irq->dev = dev;
    uint8_t vector = (uint8_t)(IRQ_VECTOR_BASE + irq->index);
    if (irq->pin) {
        ioapic_route(irq->index, vector, cpus[cpu]->apic_id, irq->level, irq->active_low, irq->masked);
        *msi_addr = *msi_data = 0;
    } else {
        /* With interrupt remapping the device sends the handle of this index's table entry, which
           names CPU and vector and admits only requester dev; without it the message itself names
           CPU and vector. Masking an MSI is the device's business, so a masked one is simply not
           signalled. */
        if (iommu_irq_remap(dev, irq->index, (uint8_t)cpus[cpu]->apic_id, vector, msi_addr)) {
            *msi_data = irq->index;
        } else {
            *msi_addr = NOVA_MSI_ADDR_BASE | (uint64_t)cpus[cpu]->apic_id << NOVA_MSI_ADDR_DEST_SHIFT;
            *msi_data = vector;
        }
    }
    spin_unlock(&irq_lock);
    return NOVA_SUCCESS;
}
