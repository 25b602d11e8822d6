/* SPDX-License-Identifier: MIT */
/* Multiboot v1 and v2 boot information: one parser for the hypervisor, the root task and host tests. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MB1_BOOT_MAGIC   0x2badb002u
#define MB2_BOOT_MAGIC   0x36d76289u
#define MB_MAX_MODULES   32
#define MB_MAX_MEM       64
#define MB_MAX_STRING    4096
#define MB_MODULE_NAME_MAX 63  /* longest module name multiboot_find_module compares */
#define MB_ABSENT        (~0ull)

/* Memory-map entry types (same values in v1, v2 and the e820 map). */
enum mb_mem_type { MB_MEM_AVAILABLE = 1, MB_MEM_RESERVED = 2, MB_MEM_ACPI = 3, MB_MEM_NVS = 4, MB_MEM_BAD = 5 };

struct mb_module {
    uint64_t start, end;        /* physical, end exclusive */
    const char *cmdline;        /* "" when absent */
};

struct mb_mem {
    uint64_t base, len;
    uint32_t type;
};

struct mb_info {
    unsigned version;           /* 1 or 2 */
    uint64_t info_start, info_end;  /* physical range of the information structure itself */
    const char *cmdline;        /* hypervisor command line, "" when absent */
    unsigned nmods, nmem;
    struct mb_module mods[MB_MAX_MODULES];
    struct mb_mem mem[MB_MAX_MEM];
    uint64_t rsdp;              /* physical address of an RSDP copy (v2 tags 14/15), else MB_ABSENT */
    uint64_t efi_systab;        /* v2 tag 12, else MB_ABSENT */
    uint64_t efi_image;         /* v2 tag 20, else MB_ABSENT */
    uint64_t efi_mmap;          /* v2 tag 17: physical address of the descriptors, else MB_ABSENT */
    uint32_t efi_mmap_size, efi_desc_size, efi_desc_version;
    unsigned dropped;           /* modules or memory entries that did not fit */
};

/* Makes [phys, phys + len) readable and returns a pointer to it, or NULL if it cannot. */
typedef const void *(*mb_map_fn)(void *ctx, uint64_t phys, size_t len);

enum mb_status { MB_OK = 0, MB_BAD_MAGIC = -1, MB_MALFORMED = -2 };

enum mb_status multiboot_parse(uint32_t magic, uint64_t info_phys, mb_map_fn map, void *ctx, struct mb_info *out);
const char *multiboot_mem_type_name(uint32_t type);

/* A module's name: the last path element of the first word of its command line. */
void multiboot_module_name(const struct mb_module *m, char *out, size_t size);
/* The first module after the first (the root task's own) whose name is name, or (suffix) ends
   in name; NULL if none. */
const struct mb_module *multiboot_find_module(const struct mb_info *mb, const char *name, bool suffix);
