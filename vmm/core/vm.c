/* SPDX-License-Identifier: MIT */
/* Building a VM: its PD and memory, the PC's devices at their usual places, vCPUs, the device thread. */

#include "core/vm.h"
#include "core/devthread.h"
#include "core/exit_decode.h"
#include "core/vcpu.h"
#include "core/hostclock.h"
#include "acpi/layout.h"

#include <hc.h>
#include <nova/hip.h>
#include <nova/selectors.h>
#include <nova/status.h>
#include <res.h>
#include <service.h>
#include <stdio.h>
#include <string.h>
#include <thread.h>

#define OWN_PD        NOVA_SEL_PD_ROOT   /* our own PD, where the root task put it */
#define DEVTHREAD_PRIO 20   /* above the vCPUs: timer interrupts are not delayed by a busy guest */
#define COM1_BASE     0x3f8
#define COM1_IRQ      4
#define IOAPIC_BASE   0xfec00000ull

/* MSRs the guest reaches without exits on SVM (the VMCB switches them); VMX emulates them. */
static const uint32_t passthrough_msrs[] = {0xc0000100, 0xc0000101, 0xc0000102};

/* Delegate guest-physical [0, size) from our mapping of the RAM in naturally aligned chunks. */
static unsigned map_ram(struct vm *vm)
{
    unsigned st = NOVA_SUCCESS;
    uint64_t va = (uint64_t)vm->ram;
    for (uint64_t off = 0; off < vm->ram_size && st == NOVA_SUCCESS;) {
        unsigned ord = 0;
        while (ord < 18 && ((va + off) & ((2ull << (ord + 12)) - 1)) == 0 &&
               (off & ((2ull << (ord + 12)) - 1)) == 0 && off + (2ull << (ord + 12)) <= vm->ram_size)
            ord++;
        st = hc_ctrl_pd(OWN_PD, vm->pd, (va + off) >> 12, off >> 12, ord, NOVA_PERM_MEM_ALL, NOVA_SPC_MEM,
                        NOVA_ACC_CPU_GST, NOVA_CA_WB);
        off += 1ull << (ord + 12);
    }
    return st;
}

static int devices_init(struct vm *vm)
{
    i8259_init(&vm->pic, vm);
    i8254_init(&vm->pit, vm);
    ns16550_init(&vm->uart, vm, COM1_BASE, COM1_IRQ);
    mc146818_init(&vm->rtc, vm);
    i8042_init(&vm->kbc, vm);
    port80_init(&vm->port80, vm);
    debugcon_init(&vm->debugcon, vm);
    ioapic_init(&vm->ioapic, vm, IOAPIC_BASE, 0);
    hpet_init(&vm->hpet, vm, LAYOUT_HPET_BASE);
    acpi_pm_init(&vm->pm, vm);
    pci_host_init(&vm->pci, vm, LAYOUT_ECAM_BASE);
    return 0;
}

int vm_create(struct vm *vm, const char *name, uint8_t *ram, uint64_t ram_size, unsigned nvcpus,
              unsigned first_cpu, unsigned host_cpus)
{
    memset(vm, 0, sizeof(*vm));
    for (unsigned i = 0; i < VM_NAME_MAX - 1 && name[i]; i++)
        vm->name[i] = name[i];
    vm->ram = ram;
    vm->ram_phys = (uint64_t)ram - SVC_MEM_WINDOW;
    vm->ram_size = ram_size;
    vm->nvcpus = nvcpus;
    vm->tsc_hz = ((const struct nova_hip *)NOVA_HIP_VADDR)->stc_freq;
    vm->pd = sel_alloc(1);
    vm->evt = sel_alloc(VM_VCPUS_MAX * 0x200);
    vm->timer_sm = sel_alloc(1);
    vm->stop_sm = sel_alloc(1);
    unsigned st = hc_create_pd(vm->pd, OWN_PD);
    st |= lock_init(&vm->lock, sel_alloc(1));
    st |= hc_create_sm(vm->timer_sm, OWN_PD, 0);
    st |= hc_create_sm(vm->stop_sm, OWN_PD, 0);
    unsigned mapped = st == NOVA_SUCCESS ? map_ram(vm) : st;
    if (mapped != NOVA_SUCCESS) {
        printf("vmm[%s]: cannot create the VM's PD or map %lu MiB of RAM from %#lx: %s\n", name, ram_size >> 20,
               vm->ram_phys, nova_status_name(mapped));
        return -1;
    }
    memset(vm->ram, 0, ram_size);
    if (!exit_is_vmx())
        for (unsigned i = 0; i < sizeof(passthrough_msrs) / sizeof(passthrough_msrs[0]); i++)
            hc_ctrl_pd(OWN_PD, vm->pd, passthrough_msrs[i], passthrough_msrs[i], 0, NOVA_PERM_MSR_ALL, NOVA_SPC_MSR,
                       NOVA_ACC_CPU_GST, 0);
    /* Guest time is the host TSC's (tsc0 = 0): the vCPUs run without TSC offsetting, so every
       vCPU's TSC agrees with the others and with vdev_now_ns() to the cycle, which Linux's TSC
       synchronisation check demands. The wall clock is taken at the same moment. */
    vm->tsc0 = 0;
    vm->wallclock0 = host_wallclock() - vm_now_ns(vm) / 1000000000ull;
    devices_init(vm);
    for (unsigned i = 0; i < nvcpus; i++)
        if (vcpu_create(vm, i, (first_cpu + i) % host_cpus) != 0) {
            printf("vmm[%s]: cannot create vCPU %u\n", name, i);
            return -1;
        }
    for (unsigned i = 0; i < nvcpus; i++)
        if (vcpu_create_ec(&vm->vcpu[i]) != 0) {
            printf("vmm[%s]: cannot create the EC of vCPU %u\n", name, i);
            return -1;
        }
    return 0;
}

int vm_start(struct vm *vm)
{
    uint64_t ec = sel_alloc(1), sc = sel_alloc(1);
    unsigned cpu = vm->vcpu[0].cpu;
    vm->timer_wake_ns = 0;
    if (thread_start(ec, sc, cpu, utcb_alloc(), stack_alloc(), DEVTHREAD_PRIO, 10, devthread_main, vm) !=
        NOVA_SUCCESS) {
        printf("vmm[%s]: cannot start the device thread\n", vm->name);
        return -1;
    }
    return vcpu_run(&vm->vcpu[0]);
}

bool vm_wait_dead(struct vm *vm, unsigned ms)
{
    for (unsigned i = 0; i < vm->nvcpus; i++) {
        struct vcpu *v = &vm->vcpu[i];
        if (v->state == VCPU_WAIT_SIPI)
            continue; /* never ran */
        lock_take(&vm->lock);
        vdev_vcpu_kick(vm, i); /* a vCPU in the guest exits now and gets its POISON */
        lock_give(&vm->lock);
        WAIT_UNTIL(v->dead, ms);
        if (!v->dead)
            return false;
    }
    return true;
}
