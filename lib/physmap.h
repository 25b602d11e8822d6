/* SPDX-License-Identifier: MIT */
/* For root tasks: map physical memory taken from PD_NOVA into a fixed window of the address space. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define PHYS_WINDOW 0x100000000000ull /* physical address p appears at PHYS_WINDOW + p */

/* Make [phys, phys + len) readable (and writable if asked); returns its address or NULL. */
void *phys_map(uint64_t phys, size_t len, int writable);
/* multiboot_parse() callback on top of phys_map (read-only). */
const void *phys_map_ro(void *ctx, uint64_t phys, size_t len);
