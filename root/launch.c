/* SPDX-License-Identifier: MIT */
/* Starting clients from a configuration module (docs/config.md) and serving them until they end. */

#include "launch.h"
#include "client.h"
#include "console.h"
#include "drivers.h"
#include "input.h"
#include "memory.h"

#include <config.h>
#include <physmap.h>
#include <string.h>

#define KIB 1024u

static struct config cfg; /* about 53 KiB */

static void report(void *ctx, const char *msg)
{
    (void)ctx;
    say("root: %s\n", msg);
}

/* Load the program of one section; false if it cannot run. */
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
    const void *elf = phys_map(k->start, k->end - k->start, 0);
    if (!elf) {
        say("root: %s: module '%s' cannot be mapped\n", vm->name, vm->kernel);
        return false;
    }
    struct client *c = client_load(vm->name, elf, k->end - k->start, vm->kernel, vm->memory, cpu, vm->cmdline);
    if (c)
        svc_pci_give(c, vm);
    return c != 0;
}

void launch(const struct nova_hip *hip, const struct mb_info *mb)
{
    const struct mb_module *cm = multiboot_find_module(mb, ".cfg", true);
    if (!cm) {
        say("root: no configuration module (a boot module whose name ends in .cfg)\n");
        return;
    }
    char name[CONFIG_MODULE_MAX + 1];
    multiboot_module_name(cm, name, sizeof(name));
    const char *text = phys_map(cm->start, cm->end - cm->start, 0);
    if (!text) {
        say("root: %s cannot be mapped\n", name);
        return;
    }
    config_parse(name, text, cm->end - cm->start, &cfg, report, 0);

    clients_init();
    drivers_init(hip);
    unsigned n = 0;
    for (unsigned i = 0; i < cfg.count; i++)
        n += load(hip, mb, &cfg.vm[i]);
    if (!n) {
        say("root: no client to start\n");
        return;
    }
    say("root: %u of %u clients loaded, %lu KiB free\n", n, cfg.count, memory_free_bytes() / KIB);
    input_start(hip->cpu_bsp);
    clients_run();
    say("root: all clients have ended, %lu KiB free\n", memory_free_bytes() / KIB);
}
