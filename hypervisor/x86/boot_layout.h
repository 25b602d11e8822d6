/* SPDX-License-Identifier: MIT */
/* Virtual memory layout of the hypervisor, shared by C and assembly. */
#pragma once

#define KERNEL_OFFSET       0xffffffff80000000  /* kernel image: virtual = physical + offset */
#define DIRECT_MAP_SLOT     256                 /* PML4 slot of the direct map of RAM */
#define DIRECT_MAP_BASE     0xffff800000000000  /* physical address 0 in the direct map */
#define DIRECT_MAP_SIZE     0x8000000000        /* 512 GiB: one PML4 slot */
#define BOOT_STACK_SIZE     16384
#define KSTACK_SIZE         16384               /* per-CPU kernel stack */
