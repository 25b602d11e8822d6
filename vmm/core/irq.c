/* SPDX-License-Identifier: MIT */
/* Interrupt wiring (vdev.h): GSIs to the i8259 pair and the IOAPIC, MSIs and IPIs to the local
   APICs, INIT and SIPI to vCPUs, and getting a vCPU to notice a new interrupt. */

#include "core/vcpu.h"
#include "core/vm.h"

#include <hc.h>

#define ISA_PIT_GSI     0
#define ISA_RTC_GSI     8
#define MSI_DEST(a)     ((uint32_t)((a) >> 12) & 0xff)
#define MSI_LOGICAL(a)  (((a) >> 2) & 1)
#define MODE_FIXED      0
#define MODE_LOWEST     1
#define MODE_SMI        2
#define MODE_NMI        4
#define MODE_INIT       5
#define MODE_SIPI       6
#define MODE_EXTINT     7

void vdev_vcpu_kick(struct vm *vm, unsigned id)
{
    if (id >= vm->nvcpus)
        return;
    struct vcpu *v = &vm->vcpu[id];
    if (v->halted) {
        v->halted = false;
        hc_sm_up(v->wake_sm);
    } else if (v->in_guest && !v->kick_sent) {
        v->kick_sent = true;
        hc_ctrl_ec(v->ec, 0);
    }
}

/* The i8259's INTR reaches vCPU 0 through LINT0 (virtual wire). */
static void pic_check(struct vm *vm)
{
    if (i8259_intr(&vm->pic) && lapic_extint_ok(&vm->vcpu[0].lapic))
        vdev_vcpu_kick(vm, 0);
}

void vdev_irq_set(struct vm *vm, unsigned gsi, bool level)
{
    if (gsi < 16) {
        i8259_set_irq(&vm->pic, gsi, level);
        pic_check(vm);
    }
    /* Our MADT overrides ISA IRQ 0 to IOAPIC pin 2 (where a PC wires the PIT). */
    unsigned pin = gsi == 0 ? 2 : gsi;
    if (pin < 24 && gsi != 2)
        ioapic_set_irq(&vm->ioapic, pin, level);
}

void vdev_isa_timer_irq(struct vm *vm, unsigned gsi, bool level)
{
    vm->isa_timer_level[gsi == ISA_RTC_GSI] = level;
    if (!vm->hpet_legacy)
        vdev_irq_set(vm, gsi, level);
}

void vdev_hpet_legacy(struct vm *vm, bool on)
{
    vm->hpet_legacy = on;
    for (unsigned i = 0; i < 2; i++)
        if (vm->isa_timer_level[i])
            vdev_irq_set(vm, i ? ISA_RTC_GSI : ISA_PIT_GSI, !on);
}

void vdev_eoi(struct vm *vm, unsigned vector)
{
    ioapic_eoi(&vm->ioapic, vector);
}

static void deliver(struct vm *vm, struct vcpu *v, unsigned mode, unsigned vector, bool level_trig)
{
    switch (mode) {
    case MODE_FIXED:
    case MODE_LOWEST:
        lapic_accept(&v->lapic, vector, level_trig);
        vdev_vcpu_kick(vm, v->id);
        break;
    case MODE_INIT:
        vcpu_init_signal(v);
        break;
    case MODE_SIPI:
        vcpu_sipi_signal(v, vector);
        break;
    case MODE_EXTINT:
        pic_check(vm);
        break;
    default: /* NMI and SMI are not modelled */
        vdev_log(vm, "interrupt message with delivery mode %u dropped", mode);
        break;
    }
}

void vdev_msi(struct vm *vm, uint64_t address, uint32_t data)
{
    unsigned mode = data >> 8 & 7, vector = data & 0xff;
    bool logical = MSI_LOGICAL(address), level_trig = data >> 15 & 1;
    for (unsigned i = 0; i < vm->nvcpus; i++) {
        struct vcpu *v = &vm->vcpu[i];
        if (!lapic_matches(&v->lapic, MSI_DEST(address), logical, true))
            continue;
        deliver(vm, v, mode, vector, level_trig);
        if (mode == MODE_LOWEST)
            break; /* lowest priority: the first match is as good as any */
    }
}

void vdev_ipi(struct vm *vm, unsigned src, uint32_t icr_low, uint32_t dest)
{
    unsigned mode = icr_low >> 8 & 7, vector = icr_low & 0xff, shorthand = icr_low >> 18 & 3;
    bool logical = icr_low >> 11 & 1, level_trig = icr_low >> 15 & 1, assert = icr_low >> 14 & 1;
    if (mode == MODE_INIT && level_trig && !assert)
        return; /* INIT level de-assert: nothing to do on modern CPUs */
    for (unsigned i = 0; i < vm->nvcpus; i++) {
        struct vcpu *v = &vm->vcpu[i];
        bool hit = shorthand == 0   ? lapic_matches(&v->lapic, dest, logical, true)
                   : shorthand == 1 ? i == src
                   : shorthand == 2 ? true
                                    : i != src;
        if (hit)
            deliver(vm, v, mode, vector, level_trig);
    }
}
