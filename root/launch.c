/* SPDX-License-Identifier: MIT */
/* Starting clients from a configuration module (docs/config.md) and serving them until they end. */

#include "launch.h"
#include "client.h"
#include "console.h"
#include "drivers.h"
#include "input.h"
#include "klog.h"
#include "memory.h"
#include "module.h"

#include <config.h>
#include <physmap.h>
#include <string.h>

#define KIB 1024u
#define MIB (1024ull * KIB)
#define VMM_MODULE    "vmm.elf"     /* the program that runs a VM */
#define VMM_ALLOWANCE (16 * MIB)    /* a VMM's own memory (image, stacks, tables) beyond its guest's */

static struct config cfg; /* about 53 KiB */

static void report(void *ctx, const char *msg)
{
    (void)ctx;
    say("root: %s\n", msg);
}

static bool is_elf(const struct mb_module *m)
{
    static const char magic[4] = {0x7f, 'E', 'L', 'F'};
    const char *head = m->end - m->start >= sizeof(magic) ? phys_map(m->start, sizeof(magic), 0) : 0;
    return head && !memcmp(head, magic, sizeof(magic));
}

/* Start the VMM for a section whose kernel is not a program (a Linux bzImage): a client named
   after the VM, with the VM's memory plus VMM_ALLOWANCE as its limit and the section in its
   start-up page. */
static bool load_vm(const struct mb_info *mb, const struct config_vm *vm, unsigned cpu)
{
    const struct mb_module *v = multiboot_find_module(mb, VMM_MODULE, false);
    if (!v) {
        say("root: %s: kernel %s is not a program, and no %s module is loaded to run it as a VM\n", vm->name,
            vm->kernel, VMM_MODULE);
        return false;
    }
    const void *elf = phys_map(v->start, v->end - v->start, 0);
    if (!elf) {
        say("root: %s: module '%s' cannot be mapped\n", vm->name, VMM_MODULE);
        return false;
    }
    struct svc_vm info = {.memory = vm->memory,
                          .vcpus = vm->vcpus,
                          .cpu = vm->cpu == CONFIG_CPU_ANY ? SVC_VM_CPU_ANY : (uint32_t)vm->cpu};
    _Static_assert(sizeof(info.kernel) > CONFIG_MODULE_MAX && sizeof(info.initrd) > CONFIG_MODULE_MAX,
                   "module names fit the start-up page");
    memcpy(info.kernel, vm->kernel, strlen(vm->kernel));
    memcpy(info.initrd, vm->initrd, strlen(vm->initrd));
    return client_load(vm->name, elf, v->end - v->start, VMM_MODULE, vm->memory + VMM_ALLOWANCE, cpu, vm->cmdline,
                       &info) != 0;
}

/* Load the program of one section, or the VMM for its VM; false if it cannot run. */
static bool load(const struct nova_hip *hip, const struct mb_info *mb, const struct config_vm *vm)
{
    const struct mb_module *k = multiboot_find_module(mb, vm->kernel, false);
    if (!k) {
        say("root: %s: kernel module '%s' is not loaded\n", vm->name, vm->kernel);
        return false;
    }
    unsigned cpu = vm->cpu == CONFIG_CPU_ANY ? hip->cpu_bsp : (unsigned)vm->cpu;
    if (cpu >= hip->cpu_num) {
        say("root: %s: cpu %u is not online (%u online)\n", vm->name, cpu, hip->cpu_num);
        return false;
    }
    if (!is_elf(k))
        return load_vm(mb, vm, cpu);
    const void *elf = phys_map(k->start, k->end - k->start, 0);
    if (!elf) {
        say("root: %s: module '%s' cannot be mapped\n", vm->name, vm->kernel);
        return false;
    }
    struct client *c = client_load(vm->name, elf, k->end - k->start, vm->kernel, vm->memory, cpu, vm->cmdline, 0);
    if (c)
        svc_pci_give(c, vm);
    return c != 0;
}

unsigned launch(const struct nova_hip *hip, const struct mb_info *mb)
{
    const struct mb_module *cm = multiboot_find_module(mb, ".cfg", true);
    if (!cm) {
        say("root: no configuration module (a boot module whose name ends in .cfg)\n");
        return 0;
    }
    char name[CONFIG_MODULE_MAX + 1];
    multiboot_module_name(cm, name, sizeof(name));
    const char *text = phys_map(cm->start, cm->end - cm->start, 0);
    if (!text) {
        say("root: %s cannot be mapped\n", name);
        return 1;
    }
    config_parse(name, text, cm->end - cm->start, &cfg, report, 0);

    clients_init();
    drivers_init(hip);
    module_init(mb);
    unsigned n = 0;
    for (unsigned i = 0; i < cfg.count; i++)
        n += load(hip, mb, &cfg.vm[i]);
    if (!n) {
        say("root: no client to start\n");
        return 1;
    }
    say("root: %u of %u clients loaded, %lu KiB free\n", n, cfg.count, memory_free_bytes() / KIB);
    if (input_start(hip->cpu_bsp))
        klog_start(hip, hip->cpu_bsp);
    unsigned failed = clients_run();
    say("root: all clients have ended, %lu KiB free\n", memory_free_bytes() / KIB);
    return failed || n < cfg.count || cfg.errors;
}
