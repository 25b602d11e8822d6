/* SPDX-License-Identifier: MIT */
/* SVC_MODULE: a boot module mapped read-only into the client that asks for it by name. */

#include "module.h"
#include "console.h"
#include "memory.h"

#include <nova/status.h>
#include <physmap.h>

static const struct mb_info *boot;

void module_init(const struct mb_info *mb)
{
    boot = mb;
}

unsigned module_map(struct client *c, const char *name, uint64_t *va, uint64_t *size)
{
    const struct mb_module *m = boot && name[0] ? multiboot_find_module(boot, name, false) : 0;
    if (!m)
        return SVC_E_NAME;
    unsigned st = memory_map_module(c->sel + CS_PD, m->start, m->end);
    if (st != NOVA_SUCCESS) {
        say("root: %s: module %s cannot be mapped: %s\n", c->name, name, nova_status_name(st));
        return SVC_E_NOMEM;
    }
    *va = PHYS_WINDOW + m->start;
    *size = m->end - m->start;
    return SVC_OK;
}
