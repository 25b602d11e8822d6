/* SPDX-License-Identifier: MIT */
/* The VMM: a client of the root task, started for one VM of the configuration (its section is in
   the start-up page). It builds the VM from the kernel and initrd modules, runs it until it powers
   off (exit code 0) or fails (1), and restarts it after a reset. */

#include "acpi/layout.h"
#include "boot/linux.h"
#include "core/console.h"
#include "core/exit_decode.h"
#include "core/vcpu.h"
#include "core/vm.h"

#include <client.h>
#include <config.h>
#include <hc.h>
#include <nova/hip.h>
#include <res.h>
#include <stdio.h>
#include <string.h>
#include <thread.h>

#define MIB          0x100000ul
#define ERR_MAX      160
#define RESTARTS_MAX 16             /* resets in a row before the VMM gives up on a VM */
#define STOP_WAIT_MS 2000

struct module {
    const void *bytes;
    uint64_t size;
};

static struct vm vms[2];            /* the running VM and the one it left behind at its last reset */
static struct config_vm cfg;        /* our VM's section */
static struct module kernel, initrd;
static uint8_t *ram;                /* guest RAM from the root, kept across resets */

static struct vm *volatile running;  /* the VM a thread fault stops */
static volatile bool thread_faulted;

/* A VMM thread on some CPU (a vCPU's exit handler, the device or the console thread) took an
   exception and is dead (lib/thread.c): the VM cannot go on. This runs in that CPU's startup
   handler, so it must not wait for the VM's lock, which the dead thread may hold. */
static void on_thread_fault(const struct thread_fault *f)
{
    printf("vmm: a thread on CPU %u took exception %u at rip %#lx (%#lx, %#lx)\n", f->cpu, f->vector, f->rip,
           f->qual0, f->qual1);
    thread_faulted = true;
    struct vm *vm = running;
    if (vm) {
        vm->stop_reason = VM_STOP_FAULT;
        vm->stopped = true;
        hc_sm_up(vm->stop_sm);
    }
}

__attribute__((noreturn)) static void finish(unsigned code)
{
    console_flush();
    client_exit(code);
}

/* Our section from the start-up page, as lib/config.c would have parsed it. */
static void read_section(const struct svc_info *info)
{
    memcpy(cfg.name, info->name, sizeof(cfg.name) - 1);
    memcpy(cfg.cmdline, info->cmdline, sizeof(cfg.cmdline) - 1);
    memcpy(cfg.kernel, info->vm.kernel, sizeof(cfg.kernel) - 1);
    memcpy(cfg.initrd, info->vm.initrd, sizeof(cfg.initrd) - 1);
    cfg.memory = info->vm.memory;
    cfg.vcpus = info->vm.vcpus;
    cfg.cpu = info->vm.cpu == SVC_VM_CPU_ANY ? CONFIG_CPU_ANY : (int)info->vm.cpu;
}

/* Everything that does not change at a reset: the modules, checks, the guest's RAM; 0 if the VM
   can be built. */
static int prepare(const struct config_vm *c)
{
    if (client_module(c->kernel, &kernel.bytes, &kernel.size) != SVC_OK) {
        printf("vmm[%s]: kernel module '%s' is not loaded\n", c->name, c->kernel);
        return -1;
    }
    if (c->initrd[0] && client_module(c->initrd, &initrd.bytes, &initrd.size) != SVC_OK) {
        printf("vmm[%s]: initrd module '%s' is not loaded\n", c->name, c->initrd);
        return -1;
    }
    if (c->vcpus > VM_VCPUS_MAX) {
        printf("vmm[%s]: %u vCPUs asked for, this VMM supports %u\n", c->name, c->vcpus, VM_VCPUS_MAX);
        return -1;
    }
    char err[ERR_MAX];
    if (linux_check(kernel.bytes, kernel.size, c->memory, err, sizeof(err)) != 0) {
        printf("vmm[%s]: %s (module %s)\n", c->name, err, c->kernel);
        return -1;
    }
    if (c->memory > LAYOUT_ECAM_BASE) {
        printf("vmm[%s]: memory %lu MiB: this VMM puts guest RAM below the PCI window at %lu MiB\n", c->name,
               c->memory / MIB, (uint64_t)LAYOUT_ECAM_BASE / MIB);
        return -1;
    }
    uint64_t va;
    unsigned st = client_alloc(c->memory, &va);
    if (st != SVC_OK) {
        printf("vmm[%s]: the root gives no %lu MiB of RAM (status %u)\n", c->name, c->memory / MIB, st);
        return -1;
    }
    ram = (uint8_t *)va;
    return 0;
}

/* Build and start the VM; 0 when it runs. */
static int launch(struct vm *vm, const struct config_vm *c)
{
    char err[ERR_MAX];
    unsigned first = c->cpu == CONFIG_CPU_ANY ? 0 : (unsigned)c->cpu;
    if (vm_create(vm, c->name, ram, c->memory, c->vcpus, first % cpu_num(), cpu_num()) != 0)
        return -1;
    if (linux_load(vm, kernel.bytes, kernel.size, initrd.bytes, initrd.size, c->cmdline, err, sizeof(err)) != 0) {
        printf("vmm[%s]: %s\n", c->name, err);
        return -1;
    }
    printf("vmm[%s]: %lu MiB at %#lx, %u vCPU(s), kernel %s, initrd %s\n", c->name, c->memory / MIB, vm->ram_phys,
           c->vcpus, c->kernel, c->initrd[0] ? c->initrd : "-");
    return vm_start(vm);
}

static void stats(const struct vm *vm)
{
    uint64_t total = 0;
    for (unsigned v = 0; v < vm->nvcpus; v++)
        for (unsigned e = 0; e < VM_EVENTS; e++)
            total += vm->vcpu[v].exits[e];
    printf("vmm[%s]: %lu exits:", vm->name, total);
    for (unsigned e = 0; e < VM_EVENTS; e++) {
        uint64_t n = 0;
        for (unsigned v = 0; v < vm->nvcpus; v++)
            n += vm->vcpu[v].exits[e];
        if (n)
            printf(" %#x:%lu", e, n);
    }
    printf("\n");
}

__attribute__((noreturn)) void user_main(uint64_t info_va);
void user_main(uint64_t info_va)
{
    const struct svc_info *info = client_init(info_va);
    if (!info)
        hc_ipc_reply_wait(); /* not started by the root task: nobody to tell */
    const struct nova_hip *hip = (const struct nova_hip *)NOVA_HIP_VADDR;
    for (unsigned c = 0; c < cpu_num(); c++)
        if (thread_init_cpu(c, sel_alloc(1), utcb_alloc()) != NOVA_SUCCESS ||
            thread_catch_faults(c, on_thread_fault) != NOVA_SUCCESS)
            printf("vmm[%s]: no thread portals on CPU %u\n", info->name, c);
    /* The root's portals serve us on the CPU it started us on: our section's, else its boot CPU. */
    unsigned home = info->vm.vcpus && info->vm.cpu != SVC_VM_CPU_ANY ? info->vm.cpu : hip->cpu_bsp;
    if (console_start(home) != 0)
        printf("vmm[%s]: no console thread: guest output is lost\n", info->name);
    if (!info->vm.vcpus) {
        printf("vmm[%s]: started without a VM section\n", info->name);
        finish(1);
    }
    exit_decode_init(hip->features);
    if (!(hip->features & (NOVA_HIP_FEAT_SVM | NOVA_HIP_FEAT_VMX))) {
        printf("vmm[%s]: this machine has neither SVM nor VMX: no VMs\n", info->name);
        finish(1);
    }
    read_section(info);
    unsigned slot = 0;
    if (prepare(&cfg) != 0 || launch(&vms[slot], &cfg) != 0)
        finish(1);
    /* A reset restarts the VM from its configuration (fresh PD, vCPUs and devices in the other
       slot of vms[], the same RAM). */
    for (unsigned restarts = 0;; restarts++) {
        struct vm *vm = &vms[slot];
        running = vm;
        if (!thread_faulted) /* one before `running` was set woke nobody */
            hc_sm_down(vm->stop_sm, 0, 0);
        if (thread_faulted) { /* its locks may never be given back: no waiting for the vCPUs */
            printf("vmm[%s]: failed: a VMM thread faulted\n", vm->name);
            finish(1);
        }
        stats(vm);
        bool dead = vm_wait_dead(vm, STOP_WAIT_MS);
        if (vm->stop_reason != VM_STOP_RESET || !dead || restarts == RESTARTS_MAX) {
            printf("vmm[%s]: %s\n", vm->name,
                   vm->stop_reason == VM_STOP_POWEROFF ? "powered off"
                   : !dead                             ? "failed: a vCPU did not stop"
                   : vm->stop_reason == VM_STOP_RESET  ? "reset too often: given up"
                                                       : "failed");
            finish(vm->stop_reason == VM_STOP_POWEROFF ? 0 : 1);
        }
        printf("vmm[%s]: restarting after a reset\n", vm->name);
        slot ^= 1;
        if (launch(&vms[slot], &cfg) != 0) {
            printf("vmm[%s]: restart failed\n", vm->name);
            finish(1);
        }
    }
}
