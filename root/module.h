/* SPDX-License-Identifier: MIT */
/* SVC_MODULE: a boot module mapped read-only into the client that asks for it by name. */
#pragma once

#include "client.h"

#include <multiboot.h>

/* The boot modules clients may ask for (those of mb, but the root's own). */
void module_init(const struct mb_info *mb);
/* Map the module called name (matched as a configuration's kernel line is) read-only into c at
   PHYS_WINDOW + its physical address: SVC_OK with *va and *size, or SVC_E_NAME. */
unsigned module_map(struct client *c, const char *name, uint64_t *va, uint64_t *size);
