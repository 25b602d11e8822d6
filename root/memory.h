/* SPDX-License-Identifier: MIT */
/* The root task's memory pool: all usable RAM taken from PD_NOVA, handed out in page ranges. */
#pragma once

#include <multiboot.h>
#include <nova/hip.h>
#include <stdbool.h>
#include <stdint.h>

/* Build the pool (the memory map's usable RAM minus the first MiB, the hypervisor, the modules and
   the boot information), map all of it into the root's physical window and print the figure.
   sel is a free selector for the pool's lock. False if nothing could be taken. */
bool memory_init(const struct nova_hip *hip, const struct mb_info *mb, uint64_t sel);
/* Take size bytes (a page multiple), zeroed; 2 MiB aligned when size is a multiple of 2 MiB. */
bool memory_alloc(uint64_t size, uint64_t *phys);
/* Give a range from memory_alloc back (the caller has removed every mapping of it). */
void memory_free(uint64_t phys, uint64_t size);
uint64_t memory_free_bytes(void);
/* Where the root sees physical address phys. */
void *memory_ptr(uint64_t phys);
/* Delegate size bytes at physical phys, from the root's window, to pd at virtual address va with
   permissions pmm (NOVA_PERM_MEM_*), in the largest pieces that the alignment allows. */
unsigned memory_map(uint64_t pd, uint64_t phys, uint64_t va, uint64_t size, unsigned pmm);
/* The same into pd's DMA space (NOVA_ACC_DMA_HST) at I/O address = phys; pmm 0 removes it. */
unsigned memory_map_dma(uint64_t pd, uint64_t phys, uint64_t size, unsigned pmm);
/* Map the boot module at physical [start, end) read-only into pd at PHYS_WINDOW + start (from
   PD_NOVA: modules are not in the pool). */
unsigned memory_map_module(uint64_t pd, uint64_t start, uint64_t end);
