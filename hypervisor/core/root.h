/* SPDX-License-Identifier: MIT */
/* Creation of PD_ROOT, EC_ROOT and SC_ROOT from the first boot module (spec 6.2). */
#pragma once

#include <stdint.h>

struct mb_module;

/* Validate the root module; on bad input print "nova: error: ..." and stop. */
void root_check(const struct mb_module *mod);
/* Build the root PD and start it; boot_magic/boot_info are what the loader passed in EAX/EBX. */
__attribute__((noreturn)) void root_start(const struct mb_module *mod, uint32_t boot_magic, uint32_t boot_info);
