/* SPDX-License-Identifier: MIT */
/* Kernel address translation and page-size helpers. */
#pragma once

#include "x86/boot_layout.h"

#include <stdint.h>

#define PAGE_SHIFT  12
#define PAGE_SIZE   4096ul
#define PAGE_MASK   (PAGE_SIZE - 1)

#define ALIGN_UP(x, a)   (((x) + (a) - 1) & ~((uint64_t)(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a) - 1))

static inline void *phys_to_virt(uint64_t pa)
{
    return (void *)(DIRECT_MAP_BASE + pa);
}

/* Works for both the kernel image window and the direct map. */
static inline uint64_t virt_to_phys(const void *va)
{
    uintptr_t v = (uintptr_t)va;
    return v >= KERNEL_OFFSET ? v - KERNEL_OFFSET : v - DIRECT_MAP_BASE;
}

/* Symbols from the linker script (kernel virtual addresses). */
extern char _image_start_phys[], _image_end[], _kmem_start[], _kmem_end[], _mbuf_start[], _mbuf_end[];
