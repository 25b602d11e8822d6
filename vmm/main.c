/* SPDX-License-Identifier: MIT */
/* The VMM: booted as the root task for now, it reads a VM configuration module, builds the VM it
   describes from the kernel and initrd modules, and runs it until it powers off. */

#include "acpi/layout.h"
#include "boot/linux.h"
#include "core/exit_decode.h"
#include "core/vcpu.h"
#include "core/vm.h"

#include <config.h>
#include <hc.h>
#include <nova/hip.h>
#include <physmap.h>
#include <res.h>
#include <roottask.h>
#include <stdio.h>
#include <string.h>
#include <thread.h>

#define MIB          0x100000ul
#define RAM_FLOOR    (64 * MIB)     /* guest RAM comes from above the hypervisor and below modules */
#define RAM_ALIGN    (2 * MIB)
#define ERR_MAX      160

static struct mb_info boot;
static struct config cfg;
static struct vm vms[2];         /* the running VM and the one it left behind at its last reset */

#define RESTARTS_MAX 16             /* resets in a row before the VMM gives up on a VM */
#define STOP_WAIT_MS 2000

/* Host-physical RAM for the guest: usable memory above the floor and every module. */
static uint64_t find_ram(uint64_t size)
{
    uint64_t floor = RAM_FLOOR;
    for (unsigned i = 0; i < boot.nmods; i++)
        if (boot.mods[i].end > floor)
            floor = boot.mods[i].end;
    if (boot.info_end > floor)
        floor = boot.info_end;
    for (unsigned i = 0; i < boot.nmem; i++) {
        const struct mb_mem *m = &boot.mem[i];
        if (m->type != MB_MEM_AVAILABLE)
            continue;
        uint64_t start = (m->base > floor ? m->base : floor) + RAM_ALIGN - 1;
        start &= ~(RAM_ALIGN - 1);
        if (start + size <= m->base + m->len)
            return start;
    }
    return 0;
}

static void report(void *ctx, const char *msg)
{
    (void)ctx;
    printf("vmm: %s\n", msg);
}

static const void *module_bytes(const struct mb_module *m)
{
    return phys_map(m->start, m->end - m->start, 0);
}

/* Build and start the VM of one configuration section; 0 when it runs. */
static int launch(struct vm *vm, const struct config_vm *c)
{
    const struct mb_module *k = multiboot_find_module(&boot, c->kernel, false);
    const struct mb_module *i = c->initrd[0] ? multiboot_find_module(&boot, c->initrd, false) : 0;
    if (!k) {
        printf("vmm[%s]: kernel module '%s' is not loaded\n", c->name, c->kernel);
        return -1;
    }
    if (c->initrd[0] && !i) {
        printf("vmm[%s]: initrd module '%s' is not loaded\n", c->name, c->initrd);
        return -1;
    }
    if (c->vcpus > VM_VCPUS_MAX) {
        printf("vmm[%s]: %u vCPUs asked for, this VMM supports %u\n", c->name, c->vcpus, VM_VCPUS_MAX);
        return -1;
    }
    char err[ERR_MAX];
    if (linux_check(module_bytes(k), k->end - k->start, c->memory, err, sizeof(err)) != 0) {
        printf("vmm[%s]: %s (module %s)\n", c->name, err, c->kernel);
        return -1;
    }
    if (c->memory > LAYOUT_ECAM_BASE) {
        printf("vmm[%s]: memory %lu MiB: this VMM puts guest RAM below the PCI window at %lu MiB\n", c->name,
               c->memory / MIB, (uint64_t)LAYOUT_ECAM_BASE / MIB);
        return -1;
    }
    uint64_t phys = find_ram(c->memory);
    if (!phys) {
        printf("vmm[%s]: no %lu MiB of free host memory\n", c->name, c->memory / MIB);
        return -1;
    }
    unsigned first = c->cpu == CONFIG_CPU_ANY ? 0 : (unsigned)c->cpu;
    if (vm_create(vm, c->name, phys, c->memory, c->vcpus, first % cpu_num(), cpu_num()) != 0)
        return -1;
    if (linux_load(vm, module_bytes(k), k->end - k->start, i ? module_bytes(i) : 0, i ? i->end - i->start : 0,
                   c->cmdline, err, sizeof(err)) != 0) {
        printf("vmm[%s]: %s\n", c->name, err);
        return -1;
    }
    printf("vmm[%s]: %lu MiB at %#lx, %u vCPU(s), kernel %s, initrd %s\n", c->name, c->memory / MIB, phys,
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

__attribute__((noreturn)) void user_main(uint64_t magic, uint64_t info, const struct nova_hip *hip);
void user_main(uint64_t magic, uint64_t info, const struct nova_hip *hip)
{
    if (!roottask_console())
        hc_ipc_reply_wait();
    roottask_boot_info(magic, info, &boot);
    exit_decode_init(hip->features);
    if (!(hip->features & (NOVA_HIP_FEAT_SVM | NOVA_HIP_FEAT_VMX))) {
        printf("vmm: this machine has neither SVM nor VMX: no VMs\n");
        roottask_finish(&boot, 1);
    }
    for (unsigned c = 0; c < cpu_num(); c++)
        thread_init_cpu(c, sel_alloc(1), utcb_alloc());
    const struct mb_module *cm = multiboot_find_module(&boot, ".cfg", true);
    if (!cm) {
        printf("vmm: no configuration module (a boot module whose name ends in .cfg)\n");
        roottask_finish(&boot, 1);
    }
    char cname[CONFIG_MODULE_MAX + 1];
    multiboot_module_name(cm, cname, sizeof(cname));
    config_parse(cname, module_bytes(cm), cm->end - cm->start, &cfg, report, 0);
    printf("vmm: %s: %u VM(s), %u mistake(s)\n", cname, cfg.count, cfg.errors);
    /* The first VM of the file that starts runs; a reset restarts it from its configuration
       (fresh PD, vCPUs and devices in the other slot of vms[], the same RAM). */
    unsigned n = 0, slot = 0;
    while (n < cfg.count && launch(&vms[slot], &cfg.vm[n]) != 0)
        n++;
    if (n == cfg.count) {
        printf("vmm: no VM is running\n");
        roottask_finish(&boot, 1);
    }
    for (unsigned restarts = 0;; restarts++) {
        struct vm *vm = &vms[slot];
        hc_sm_down(vm->stop_sm, 0, 0);
        stats(vm);
        bool dead = vm_wait_dead(vm, STOP_WAIT_MS);
        if (vm->stop_reason != VM_STOP_RESET || !dead || restarts == RESTARTS_MAX) {
            printf("vmm[%s]: %s\n", vm->name,
                   vm->stop_reason == VM_STOP_POWEROFF ? "powered off"
                   : !dead                             ? "failed: a vCPU did not stop"
                   : vm->stop_reason == VM_STOP_RESET  ? "reset too often: given up"
                                                       : "failed");
            roottask_finish(&boot, vm->stop_reason == VM_STOP_POWEROFF ? 0 : 1);
        }
        printf("vmm[%s]: restarting after a reset\n", vm->name);
        slot ^= 1;
        if (launch(&vms[slot], &cfg.vm[n]) != 0) {
            printf("vmm[%s]: restart failed\n", vm->name);
            roottask_finish(&boot, 1);
        }
    }
}
