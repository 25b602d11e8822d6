/* SPDX-License-Identifier: MIT */
/* The rest of vdev.h for device models: register blocks, guest memory, console, log, power. */

#include "core/vm.h"

#include <hc.h>
#include "core/console.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int vdev_pio_register(struct vm *vm, uint16_t base, uint16_t len, const struct vdev_ops *ops, void *dev)
{
    return bus_add(&vm->pio, base, len, ops, dev);
}

int vdev_mmio_register(struct vm *vm, uint64_t base, uint64_t len, const struct vdev_ops *ops, void *dev)
{
    if (base < vm->ram_size)
        return -1; /* MMIO lives where there is no RAM: only unmapped pages exit */
    return bus_add(&vm->mmio, base, len, ops, dev);
}

bool vdev_mem_read(struct vm *vm, uint64_t gpa, void *buf, size_t len)
{
    if (gpa > vm->ram_size || len > vm->ram_size - gpa)
        return false;
    memcpy(buf, vm->ram + gpa, len);
    return true;
}

bool vdev_mem_write(struct vm *vm, uint64_t gpa, const void *buf, size_t len)
{
    if (gpa > vm->ram_size || len > vm->ram_size - gpa)
        return false;
    memcpy(vm->ram + gpa, buf, len);
    return true;
}

void vdev_console_write(struct vm *vm, const char *buf, size_t len)
{
    (void)vm;
    for (size_t i = 0; i < len; i++)
        host_console_putc(buf[i]);
}

void vdev_log(struct vm *vm, const char *fmt, ...)
{
    char line[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    printf("vmm[%s]: %s\n", vm->name, line);
}

void vm_stop(struct vm *vm, int reason, const char *why)
{
    if (vm->stopped)
        return;
    vm->stop_reason = reason;
    vm->stopped = true;
    printf("vmm[%s]: stopped: %s\n", vm->name, why);
    /* Wake every vCPU so that it dies at its next exit. */
    for (unsigned i = 0; i < vm->nvcpus; i++)
        vdev_vcpu_kick(vm, i);
    hc_sm_up(vm->stop_sm);
}

void vdev_poweroff(struct vm *vm)
{
    vm_stop(vm, VM_STOP_POWEROFF, "power off");
}

void vdev_reset(struct vm *vm)
{
    vm_stop(vm, VM_STOP_RESET, "reset");
}
