/* SPDX-License-Identifier: MIT */
/* Linux x86 boot protocol: bzImage validation and zero-page construction for a 64-bit entry. */

#include "bzimage.h"

#include <string.h>

#define BZ_MIB           0x100000ull
#define BZ_DEFAULT_LOAD  (16 * BZ_MIB) /* for a relocatable image without a usable pref_address */
#define BZ_HDR_SIZE      sizeof(struct bz_setup_header)
/* The header must reach at least through init_size/handover_offset (protocol 2.11). */
#define BZ_HDR_MIN_END   (BZ_HDR_OFFSET + offsetof(struct bz_setup_header, kernel_info_offset))

static const char *const bz_messages[] = {
    [0] = "ok",
    [-BZ_E_SHORT] = "image too short for a Linux setup header",
    [-BZ_E_BOOT_FLAG] = "no boot flag 0xAA55 at offset 0x1fe: not a Linux kernel image",
    [-BZ_E_MAGIC] = "no \"HdrS\" magic at offset 0x202: not a bzImage",
    [-BZ_E_VERSION] = "boot protocol older than 2.12: no 64-bit entry",
    [-BZ_E_NOT_64BIT] = "kernel is not 64-bit capable (XLF_KERNEL_64 or LOADED_HIGH clear)",
    [-BZ_E_KERNEL_SIZE] = "protected-mode kernel is empty or extends beyond the end of the image",
    [-BZ_E_INIT_SIZE] = "kernel's init_size does not fit in the guest's memory",
    [-BZ_E_E820_COUNT] = "more e820 entries than the zero page holds (128)",
    [-BZ_E_CMDLINE] = "command line longer than the kernel's cmdline_size",
    [-BZ_E_INITRD] = "initrd ends above the kernel's initrd_addr_max",
    [-BZ_E_OVERLAP] = "command line or initrd overlaps the kernel's memory",
    [-BZ_E_ARG] = "missing argument",
};

const char *bzimage_strerror(int code)
{
    int count = (int)(sizeof(bz_messages) / sizeof(bz_messages[0]));
    if (code > 0 || code <= -count)
        return "unknown bzImage error";
    return bz_messages[-code];
}

/* [a, a + an) and [b, b + bn) share a byte (sizes > 0, ends without overflow). */
static int bz_overlap(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
    return a < b + bn && b < a + an;
}

/* Checks in the order a reader of the image would meet the fields; the first failure wins. */
int bzimage_parse(const void *image, size_t size, uint64_t guest_mem, struct bzimage_info *out)
{
    const uint8_t *img = image;
    struct bz_setup_header h;

    if (!image || !out)
        return BZ_E_ARG;
    if (size < BZ_HDR_OFFSET + BZ_HDR_SIZE)
        return BZ_E_SHORT;
    memcpy(&h, img + BZ_HDR_OFFSET, BZ_HDR_SIZE);
    if (h.boot_flag != BZ_BOOT_FLAG)
        return BZ_E_BOOT_FLAG;
    if (h.header != BZ_HDRS_MAGIC)
        return BZ_E_MAGIC;
    if (h.version < BZ_MIN_VERSION)
        return BZ_E_VERSION;

    /* The jump at 0x200 is "jmp short": its displacement byte marks where the header ends. */
    uint32_t header_end = 0x202u + img[0x201];
    if (header_end < BZ_HDR_MIN_END || header_end > size)
        return BZ_E_SHORT;
    if (!(h.xloadflags & BZ_XLF_KERNEL_64) || !(h.loadflags & BZ_LOADED_HIGH))
        return BZ_E_NOT_64BIT;

    uint32_t sects = h.setup_sects ? h.setup_sects : BZ_DEFAULT_SETUP;
    uint64_t kernel_offset = (uint64_t)(sects + 1) * BZ_SECTOR;
    uint64_t kernel_size = (uint64_t)h.syssize * 16;
    if (kernel_size == 0 || kernel_offset > size || kernel_size > size - kernel_offset)
        return BZ_E_KERNEL_SIZE;

    /* Load at the kernel's preferred address; a relocatable kernel that names none useful
       goes to 16 MiB rounded up to its alignment. */
    uint64_t load = h.pref_address;
    if (load < BZ_MIB && h.relocatable_kernel) {
        uint64_t align = h.kernel_alignment ? h.kernel_alignment : 1;
        load = (BZ_DEFAULT_LOAD + align - 1) / align * align;
    }
    uint64_t need = h.init_size > kernel_size ? h.init_size : kernel_size;
    if (guest_mem < load || guest_mem - load < need)
        return BZ_E_INIT_SIZE;

    *out = (struct bzimage_info){
        .version = h.version,
        .setup_sects = (uint8_t)sects,
        .loadflags = h.loadflags,
        .relocatable_kernel = h.relocatable_kernel,
        .min_alignment = h.min_alignment,
        .xloadflags = h.xloadflags,
        .header_end = header_end,
        .kernel_alignment = h.kernel_alignment,
        .init_size = (uint32_t)need,
        .cmdline_size = h.cmdline_size,
        .initrd_addr_max = h.initrd_addr_max,
        .pref_address = h.pref_address,
        .kernel_offset = kernel_offset,
        .kernel_size = kernel_size,
        .load_addr = load,
        .entry64 = load + BZ_ENTRY64_OFFSET,
    };
    return BZ_OK;
}

/* Zero the page, copy the image's setup header (up to its own end, at most to the end of the
   header area), then write what the loader owns: loader type, heap, command line, initrd,
   e820 map and the RSDP address. */
int bzimage_zero_page(const void *image, size_t size, const struct bzimage_info *info,
                      const struct bzimage_boot *boot, struct bz_boot_params *zp)
{
    if (!image || !info || !boot || !zp || (boot->e820_count && !boot->e820))
        return BZ_E_ARG;
    if (info->header_end > size || info->header_end < BZ_HDR_MIN_END)
        return BZ_E_SHORT;
    if (boot->e820_count > BZ_E820_MAX)
        return BZ_E_E820_COUNT;
    if (boot->cmdline_len > info->cmdline_size)
        return BZ_E_CMDLINE;

    uint64_t kernel = info->load_addr, kernel_len = info->init_size;
    if (boot->cmdline_addr) {
        uint64_t n = boot->cmdline_len + 1;
        if (boot->cmdline_addr > UINT64_MAX - n || bz_overlap(boot->cmdline_addr, n, kernel, kernel_len))
            return BZ_E_OVERLAP;
    }
    if (boot->initrd_size) {
        if (boot->initrd_addr > UINT64_MAX - boot->initrd_size ||
            boot->initrd_addr + boot->initrd_size - 1 > info->initrd_addr_max)
            return BZ_E_INITRD;
        if (bz_overlap(boot->initrd_addr, boot->initrd_size, kernel, kernel_len))
            return BZ_E_OVERLAP;
    }

    uint32_t end = info->header_end < BZ_HDR_LIMIT ? info->header_end : BZ_HDR_LIMIT;
    memset(zp, 0, sizeof(*zp));
    memcpy((uint8_t *)zp + BZ_HDR_OFFSET, (const uint8_t *)image + BZ_HDR_OFFSET, end - BZ_HDR_OFFSET);

    zp->hdr.type_of_loader = BZ_LOADER_UNKNOWN;
    zp->hdr.loadflags = (uint8_t)((zp->hdr.loadflags | BZ_CAN_USE_HEAP) & ~BZ_QUIET_FLAG);
    zp->hdr.heap_end_ptr = BZ_HEAP_END;

    zp->hdr.cmd_line_ptr = (uint32_t)boot->cmdline_addr;
    zp->ext_cmd_line_ptr = (uint32_t)(boot->cmdline_addr >> 32);
    zp->hdr.ramdisk_image = (uint32_t)boot->initrd_addr;
    zp->ext_ramdisk_image = (uint32_t)(boot->initrd_addr >> 32);
    zp->hdr.ramdisk_size = (uint32_t)boot->initrd_size;
    zp->ext_ramdisk_size = (uint32_t)(boot->initrd_size >> 32);

    for (unsigned i = 0; i < boot->e820_count; i++)
        zp->e820_table[i] = boot->e820[i];
    zp->e820_entries = (uint8_t)boot->e820_count;
    zp->acpi_rsdp_addr = boot->rsdp_addr;
    return BZ_OK;
}
