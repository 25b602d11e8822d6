/* SPDX-License-Identifier: MIT */
/* Starting clients from a configuration module (docs/config.md) and serving them until they end. */
#pragma once

#include <multiboot.h>
#include <nova/hip.h>

/* Load the program of every section of the first boot module whose name ends in ".cfg", run
   them all, and return when the last one has ended. Mistakes are reported and skip one section. */
void launch(const struct nova_hip *hip, const struct mb_info *mb);
