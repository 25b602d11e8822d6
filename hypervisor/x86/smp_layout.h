/* SPDX-License-Identifier: MIT */
/* Where the AP trampoline runs, shared by trampoline.S and smp.c. */
#pragma once

#define TRAMPOLINE_PHYS     0x8000      /* SIPI vector 0x08; must be free RAM below 1 MiB */
#define TRAMPOLINE_PARAMS   0xc0        /* offset of the parameter block in the trampoline */
#define MAX_CPUS            64
