/* SPDX-License-Identifier: MIT */
/* Multiboot v1 and v2 boot information: one parser for the hypervisor, the root task and host tests. */

#include "multiboot.h"
#include "string.h"

#include <stdbool.h>

/* Multiboot v1 information structure (offsets from the multiboot specification 0.6.96). */
#define MB1_FLAG_CMDLINE    (1u << 2)
#define MB1_FLAG_MODS       (1u << 3)
#define MB1_FLAG_MMAP       (1u << 6)
#define MB1_OFF_FLAGS       0
#define MB1_OFF_CMDLINE     16
#define MB1_OFF_MODS_COUNT  20
#define MB1_OFF_MODS_ADDR   24
#define MB1_OFF_MMAP_LENGTH 44
#define MB1_OFF_MMAP_ADDR   48
#define MB1_INFO_SIZE       116 /* up to and including the framebuffer fields */
#define MB1_MOD_SIZE        16

/* Multiboot v2 tags (multiboot2 specification 2.0). */
#define MB2_TAG_END         0
#define MB2_TAG_CMDLINE     1
#define MB2_TAG_MODULE      3
#define MB2_TAG_MMAP        6
#define MB2_TAG_EFI64       12
#define MB2_TAG_ACPI_OLD    14
#define MB2_TAG_ACPI_NEW    15
#define MB2_TAG_EFI_MMAP    17
#define MB2_TAG_EFI64_IH    20
#define MB2_TAG_HEADER      8   /* type u32, size u32 */
#define MB2_MAX_TOTAL       (1u << 20)

static uint32_t rd32(const void *p, size_t off)
{
    const uint8_t *b = (const uint8_t *)p + off;
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint64_t rd64(const void *p, size_t off)
{
    return rd32(p, off) | (uint64_t)rd32(p, off + 4) << 32;
}

/* Map a NUL-terminated string byte by byte so the mapper never needs to guess its length. */
static const char *map_string(mb_map_fn map, void *ctx, uint64_t phys)
{
    for (size_t n = 0; n < MB_MAX_STRING; n++) {
        const char *c = map(ctx, phys + n, 1);
        if (!c)
            return NULL;
        if (*c == '\0')
            return map(ctx, phys, n + 1);
    }
    return NULL;
}

static void add_mem(struct mb_info *out, uint64_t base, uint64_t len, uint32_t type)
{
    if (out->nmem == MB_MAX_MEM) {
        out->dropped++;
        return;
    }
    out->mem[out->nmem++] = (struct mb_mem){base, len, type};
}

static bool add_module(struct mb_info *out, mb_map_fn map, void *ctx, uint64_t start, uint64_t end,
                       uint64_t str_phys, bool has_string)
{
    if (end < start)
        return false;
    const char *cmd = has_string && str_phys ? map_string(map, ctx, str_phys) : "";
    if (!cmd)
        return false;
    if (out->nmods == MB_MAX_MODULES) {
        out->dropped++;
        return true;
    }
    out->mods[out->nmods++] = (struct mb_module){start, end, cmd};
    return true;
}

static enum mb_status parse_v1(uint64_t info_phys, mb_map_fn map, void *ctx, struct mb_info *out)
{
    const void *info = map(ctx, info_phys, MB1_INFO_SIZE);
    if (!info)
        return MB_MALFORMED;
    out->info_end = info_phys + MB1_INFO_SIZE;
    uint32_t flags = rd32(info, MB1_OFF_FLAGS);

    if (flags & MB1_FLAG_CMDLINE) {
        out->cmdline = map_string(map, ctx, rd32(info, MB1_OFF_CMDLINE));
        if (!out->cmdline)
            return MB_MALFORMED;
    }
    if (flags & MB1_FLAG_MODS) {
        uint32_t count = rd32(info, MB1_OFF_MODS_COUNT);
        uint64_t addr = rd32(info, MB1_OFF_MODS_ADDR);
        for (uint32_t i = 0; i < count; i++) {
            const void *m = map(ctx, addr + (uint64_t)i * MB1_MOD_SIZE, MB1_MOD_SIZE);
            if (!m || !add_module(out, map, ctx, rd32(m, 0), rd32(m, 4), rd32(m, 8), true))
                return MB_MALFORMED;
        }
    }
    if (flags & MB1_FLAG_MMAP) {
        uint64_t addr = rd32(info, MB1_OFF_MMAP_ADDR), len = rd32(info, MB1_OFF_MMAP_LENGTH);
        /* Each entry: size (u32, excluding itself), base (u64), length (u64), type (u32). */
        for (uint64_t off = 0; off + 4 <= len;) {
            const void *e = map(ctx, addr + off, 4);
            if (!e)
                return MB_MALFORMED;
            uint32_t size = rd32(e, 0);
            if (size < 20 || off + 4 + size > len || !(e = map(ctx, addr + off, 4 + size)))
                return MB_MALFORMED;
            add_mem(out, rd64(e, 4), rd64(e, 12), rd32(e, 20));
            off += 4 + size;
        }
    }
    return MB_OK;
}

static enum mb_status parse_v2_tag(uint32_t type, uint64_t phys, const void *t, uint32_t size, mb_map_fn map,
                                   void *ctx, struct mb_info *out)
{
    switch (type) {
    case MB2_TAG_CMDLINE:
        out->cmdline = map_string(map, ctx, phys + MB2_TAG_HEADER);
        return out->cmdline ? MB_OK : MB_MALFORMED;
    case MB2_TAG_MODULE:
        if (size < 16)
            return MB_MALFORMED;
        return add_module(out, map, ctx, rd32(t, 8), rd32(t, 12), phys + 16, true) ? MB_OK : MB_MALFORMED;
    case MB2_TAG_MMAP: {
        if (size < 16)
            return MB_MALFORMED;
        uint32_t esize = rd32(t, 8);
        if (esize < 24)
            return MB_MALFORMED;
        for (uint32_t off = 16; esize <= size - off; off += esize)
            add_mem(out, rd64(t, off), rd64(t, off + 8), rd32(t, off + 16));
        return MB_OK;
    }
    case MB2_TAG_EFI64:
        if (size < 16)
            return MB_MALFORMED;
        out->efi_systab = rd64(t, 8);
        return MB_OK;
    case MB2_TAG_EFI64_IH:
        if (size < 16)
            return MB_MALFORMED;
        out->efi_image = rd64(t, 8);
        return MB_OK;
    case MB2_TAG_ACPI_OLD:
    case MB2_TAG_ACPI_NEW:
        /* The tag holds a copy of the RSDP; prefer the ACPI 2.0+ one when both exist. */
        if (out->rsdp == MB_ABSENT || type == MB2_TAG_ACPI_NEW)
            out->rsdp = phys + MB2_TAG_HEADER;
        return MB_OK;
    case MB2_TAG_EFI_MMAP:
        if (size < 16)
            return MB_MALFORMED;
        out->efi_desc_size = rd32(t, 8);
        out->efi_desc_version = rd32(t, 12);
        out->efi_mmap = phys + 16;
        out->efi_mmap_size = size - 16;
        return MB_OK;
    default:
        return MB_OK; /* tags we do not consume */
    }
}

static enum mb_status parse_v2(uint64_t info_phys, mb_map_fn map, void *ctx, struct mb_info *out)
{
    const void *hdr = map(ctx, info_phys, 8);
    if (!hdr)
        return MB_MALFORMED;
    uint32_t total = rd32(hdr, 0);
    if (total < 16 || total > MB2_MAX_TOTAL || !map(ctx, info_phys, total))
        return MB_MALFORMED;
    out->info_end = info_phys + total;

    for (uint32_t off = 8; off + MB2_TAG_HEADER <= total;) {
        const void *t = map(ctx, info_phys + off, MB2_TAG_HEADER);
        uint32_t type = rd32(t, 0), size = rd32(t, 4);
        if (size < MB2_TAG_HEADER || size > total - off)
            return MB_MALFORMED;
        if (type == MB2_TAG_END)
            return MB_OK;
        t = map(ctx, info_phys + off, size);
        enum mb_status s = parse_v2_tag(type, info_phys + off, t, size, map, ctx, out);
        if (s != MB_OK)
            return s;
        off += (size + 7) & ~7u;
    }
    return MB_MALFORMED; /* no end tag */
}

/* Parse the boot information handed over by a multiboot v1 or v2 loader into *out. */
enum mb_status multiboot_parse(uint32_t magic, uint64_t info_phys, mb_map_fn map, void *ctx, struct mb_info *out)
{
    *out = (struct mb_info){
        .cmdline = "",
        .info_start = info_phys,
        .info_end = info_phys,
        .rsdp = MB_ABSENT,
        .efi_systab = MB_ABSENT,
        .efi_image = MB_ABSENT,
        .efi_mmap = MB_ABSENT,
    };
    if (magic == MB1_BOOT_MAGIC) {
        out->version = 1;
        return parse_v1(info_phys, map, ctx, out);
    }
    if (magic == MB2_BOOT_MAGIC) {
        out->version = 2;
        return parse_v2(info_phys, map, ctx, out);
    }
    return MB_BAD_MAGIC;
}

const char *multiboot_mem_type_name(uint32_t type)
{
    switch (type) {
    case MB_MEM_AVAILABLE: return "available";
    case MB_MEM_RESERVED: return "reserved";
    case MB_MEM_ACPI: return "acpi-reclaimable";
    case MB_MEM_NVS: return "acpi-nvs";
    case MB_MEM_BAD: return "bad";
    default: return "unknown";
    }
}

void multiboot_module_name(const struct mb_module *m, char *out, size_t size)
{
    const char *s = m->cmdline, *end = s;
    while (*end && *end != ' ' && *end != '\t')
        end++;
    const char *start = end;
    while (start > s && start[-1] != '/')
        start--;
    size_t n = (size_t)(end - start) < size - 1 ? (size_t)(end - start) : size - 1;
    memcpy(out, start, n);
    out[n] = '\0';
}

const struct mb_module *multiboot_find_module(const struct mb_info *mb, const char *name, bool suffix)
{
    char buf[MB_MODULE_NAME_MAX + 1];
    size_t len = strlen(name);
    for (unsigned i = 1; i < mb->nmods; i++) {
        multiboot_module_name(&mb->mods[i], buf, sizeof(buf));
        size_t n = strlen(buf);
        if (suffix ? n > len && !strcmp(buf + n - len, name) : !strcmp(buf, name))
            return &mb->mods[i];
    }
    return 0;
}
