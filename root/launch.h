/* SPDX-License-Identifier: MIT */
/* Starting clients from a configuration module (docs/config.md) and serving them until they end. */
#pragma once

#include <multiboot.h>
#include <nova/hip.h>

/* Load the program of every section of the first boot module whose name ends in ".cfg" (the VMM
   for a section whose kernel is not a program), run them all, and return when the last one has
   ended. Mistakes are reported and skip one section. 0 when there was no configuration or every
   section started and every client exited with code 0; else 1. */
unsigned launch(const struct nova_hip *hip, const struct mb_info *mb);
