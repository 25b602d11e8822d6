/* SPDX-License-Identifier: MIT */
/* Starting clients from a configuration module (docs/config.md) and serving them until they end. */

#include "launch.h"
#include "client.h"
#include "console.h"
#include "input.h"
#include "memory.h"

#include <config.h>
#include <physmap.h>
#include <string.h>

#define KIB 1024u

static struct config cfg; /* about 53 KiB */

/* A module's name: the last path element of the first word of its command line. */
static void module_name(const struct mb_module *m, char *out, size_t size)
{
    const char *s = m->cmdline, *end = s;
    while (*end && *end != ' ' && *end != '\t')
        end++;
    const char *start = end;
    while (start > s && start[-1] != '/')
        start--;
    size_t n = (size_t)(end - start) < size - 1 ? (size_t)(end - start) : size - 1;
    memcpy(out, start, n);
    out[n] = '\0';
}

/* The first module after our own whose name is name, or (suffix) ends in name. */
static const struct mb_module *find_module(const struct mb_info *mb, const char *name, bool suffix)
{
    char buf[CONFIG_MODULE_MAX + 1];
    size_t len = strlen(name);
    for (unsigned i = 1; i < mb->nmods; i++) {
        module_name(&mb->mods[i], buf, sizeof(buf));
        size_t n = strlen(buf);
        if (suffix ? n > len && !strcmp(buf + n - len, name) : !strcmp(buf, name))
            return &mb->mods[i];
    }
    return 0;
}

static void report(void *ctx, const char *msg)
{
    (void)ctx;
    say("root: %s\n", msg);
}

/* Load the program of one section; false if it cannot run. */
static bool load(const struct nova_hip *hip, const struct mb_info *mb, const struct config_vm *vm)
{
    const struct mb_module *k = find_module(mb, vm->kernel, false);
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
    return client_load(vm->name, elf, k->end - k->start, vm->kernel, vm->memory, cpu, vm->cmdline) != 0;
}

void launch(const struct nova_hip *hip, const struct mb_info *mb)
{
    const struct mb_module *cm = find_module(mb, ".cfg", true);
    if (!cm) {
        say("root: no configuration module (a boot module whose name ends in .cfg)\n");
        return;
    }
    char name[CONFIG_MODULE_MAX + 1];
    module_name(cm, name, sizeof(name));
    const char *text = phys_map(cm->start, cm->end - cm->start, 0);
    if (!text) {
        say("root: %s cannot be mapped\n", name);
        return;
    }
    config_parse(name, text, cm->end - cm->start, &cfg, report, 0);

    clients_init();
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
