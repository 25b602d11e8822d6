/* SPDX-License-Identifier: MIT */
/* Booting Linux through its 64-bit boot protocol: guest memory contents and the BSP's first state. */
#pragma once

#include <nova/utcb.h>
#include <stddef.h>
#include <stdint.h>

#include "core/vm.h"

/* Guest-physical layout below 1 MiB (Linux reserves that first megabyte for itself). */
#define LINUX_GDT        0x500ull
#define LINUX_ZERO_PAGE  0x7000ull
#define LINUX_STACK_TOP  0x8000ull
#define LINUX_PML4       0x9000ull      /* then one PDPT page and four PD pages: 4 GiB identity */
#define LINUX_CMDLINE    0x20000ull
#define LINUX_BOOT_INFO  0x9e000ull     /* the hostcall boot-info page */
#define LINUX_EBDA       0x9fc00ull
#define LINUX_ACPI       0xe0000ull     /* ACPI tables, up to the end of the BIOS area */
#define LINUX_ACPI_SIZE  0x20000ull

/* Whether kernel is a bzImage this VMM can boot in ram_size bytes; if not, err says why. */
int linux_check(const void *kernel, size_t kernel_size, uint64_t ram_size, char *err, size_t err_size);
/* Put kernel, initrd (optional: NULL, 0), command line, zero page, page tables, GDT and ACPI
   tables into the VM's RAM. 0 on success; otherwise err holds the reason. */
int linux_load(struct vm *vm, const void *kernel, size_t kernel_size, const void *initrd, size_t initrd_size,
               const char *cmdline, char *err, size_t err_size);
/* The BSP's state at startup_64; returns the MTD of what it set. */
uint64_t linux_boot_state(const struct vm *vm, struct nova_utcb_arch *a);
