/* SPDX-License-Identifier: MIT */
/* Linux x86 boot protocol: validate a bzImage, describe how to load it, and fill its zero page. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Layout facts from the kernel's Documentation/arch/x86/boot.rst and zero-page.rst. */
#define BZ_HDR_OFFSET      0x1f1u      /* the setup header in the image and in the zero page */
#define BZ_HDR_LIMIT       0x290u      /* first zero-page byte after the header area */
#define BZ_BOOT_FLAG       0xaa55u
#define BZ_HDRS_MAGIC      0x53726448u /* "HdrS", little-endian */
#define BZ_SECTOR          512u
#define BZ_DEFAULT_SETUP   4u          /* setup_sects == 0 means 4 */
#define BZ_ENTRY64_OFFSET  0x200u      /* startup_64 = load address + 0x200 */
#define BZ_MIN_VERSION     0x020cu     /* 2.12: xloadflags, needed for the 64-bit entry */
#define BZ_ZERO_PAGE_SIZE  4096u
#define BZ_E820_MAX        128u        /* e820_table entries in the zero page */
#define BZ_LOADER_UNKNOWN  0xffu       /* type_of_loader: a loader without an assigned ID */
#define BZ_HEAP_END        0xfe00u     /* heap_end_ptr we report with CAN_USE_HEAP */

/* loadflags */
#define BZ_LOADED_HIGH     0x01u
#define BZ_KASLR_FLAG      0x02u
#define BZ_QUIET_FLAG      0x20u
#define BZ_KEEP_SEGMENTS   0x40u
#define BZ_CAN_USE_HEAP    0x80u

/* xloadflags */
#define BZ_XLF_KERNEL_64              0x0001u
#define BZ_XLF_CAN_BE_LOADED_ABOVE_4G 0x0002u
#define BZ_XLF_EFI_HANDOVER_32        0x0004u
#define BZ_XLF_EFI_HANDOVER_64        0x0008u
#define BZ_XLF_EFI_KEXEC              0x0010u
#define BZ_XLF_5LEVEL                 0x0020u

/* e820 types */
#define BZ_E820_RAM      1u
#define BZ_E820_RESERVED 2u
#define BZ_E820_ACPI     3u
#define BZ_E820_NVS      4u

/* Errors: distinct negative codes; bzimage_strerror() names them. */
enum {
    BZ_OK = 0,
    BZ_E_SHORT = -1,          /* image (or its setup header) too short for the fields we use */
    BZ_E_BOOT_FLAG = -2,      /* no 0xAA55 at 0x1fe */
    BZ_E_MAGIC = -3,          /* no "HdrS" at 0x202 */
    BZ_E_VERSION = -4,        /* boot protocol older than 2.12 */
    BZ_E_NOT_64BIT = -5,      /* XLF_KERNEL_64 clear, or not loaded high */
    BZ_E_KERNEL_SIZE = -6,    /* setup or protected-mode kernel beyond the end of the image */
    BZ_E_INIT_SIZE = -7,      /* load address + init_size beyond the guest's memory */
    BZ_E_E820_COUNT = -8,     /* more e820 entries than the zero page holds */
    BZ_E_CMDLINE = -9,        /* command line longer than the kernel's cmdline_size */
    BZ_E_INITRD = -10,        /* initrd above initrd_addr_max */
    BZ_E_OVERLAP = -11,       /* command line or initrd inside the kernel's init_size area */
    BZ_E_ARG = -12,           /* missing pointer argument */
};

/* The setup header as it sits at 0x1f1 (absolute offsets in the comments). */
struct bz_setup_header {
    uint8_t setup_sects;            /* 0x1f1 */
    uint16_t root_flags;            /* 0x1f2 */
    uint32_t syssize;               /* 0x1f4: protected-mode size in 16-byte units */
    uint16_t ram_size;              /* 0x1f8 */
    uint16_t vid_mode;              /* 0x1fa */
    uint16_t root_dev;              /* 0x1fc */
    uint16_t boot_flag;             /* 0x1fe: 0xAA55 */
    uint16_t jump;                  /* 0x200: its second byte gives the header's end - 0x202 */
    uint32_t header;                /* 0x202: "HdrS" */
    uint16_t version;               /* 0x206 */
    uint32_t realmode_swtch;        /* 0x208 */
    uint16_t start_sys_seg;         /* 0x20c */
    uint16_t kernel_version;        /* 0x20e */
    uint8_t type_of_loader;         /* 0x210 */
    uint8_t loadflags;              /* 0x211 */
    uint16_t setup_move_size;       /* 0x212 */
    uint32_t code32_start;          /* 0x214 */
    uint32_t ramdisk_image;         /* 0x218 */
    uint32_t ramdisk_size;          /* 0x21c */
    uint32_t bootsect_kludge;       /* 0x220 */
    uint16_t heap_end_ptr;          /* 0x224 */
    uint8_t ext_loader_ver;         /* 0x226 */
    uint8_t ext_loader_type;        /* 0x227 */
    uint32_t cmd_line_ptr;          /* 0x228 */
    uint32_t initrd_addr_max;       /* 0x22c */
    uint32_t kernel_alignment;      /* 0x230 */
    uint8_t relocatable_kernel;     /* 0x234 */
    uint8_t min_alignment;          /* 0x235: log2 */
    uint16_t xloadflags;            /* 0x236 */
    uint32_t cmdline_size;          /* 0x238: without the terminating NUL */
    uint32_t hardware_subarch;      /* 0x23c */
    uint64_t hardware_subarch_data; /* 0x240 */
    uint32_t payload_offset;        /* 0x248 */
    uint32_t payload_length;        /* 0x24c */
    uint64_t setup_data;            /* 0x250 */
    uint64_t pref_address;          /* 0x258 */
    uint32_t init_size;             /* 0x260 */
    uint32_t handover_offset;       /* 0x264 */
    uint32_t kernel_info_offset;    /* 0x268 (2.15) */
} __attribute__((packed));

#define BZ_HDR_AT(f, off) \
    _Static_assert(BZ_HDR_OFFSET + offsetof(struct bz_setup_header, f) == (off), "setup_header." #f)
BZ_HDR_AT(setup_sects, 0x1f1);
BZ_HDR_AT(root_flags, 0x1f2);
BZ_HDR_AT(syssize, 0x1f4);
BZ_HDR_AT(ram_size, 0x1f8);
BZ_HDR_AT(vid_mode, 0x1fa);
BZ_HDR_AT(root_dev, 0x1fc);
BZ_HDR_AT(boot_flag, 0x1fe);
BZ_HDR_AT(jump, 0x200);
BZ_HDR_AT(header, 0x202);
BZ_HDR_AT(version, 0x206);
BZ_HDR_AT(realmode_swtch, 0x208);
BZ_HDR_AT(start_sys_seg, 0x20c);
BZ_HDR_AT(kernel_version, 0x20e);
BZ_HDR_AT(type_of_loader, 0x210);
BZ_HDR_AT(loadflags, 0x211);
BZ_HDR_AT(setup_move_size, 0x212);
BZ_HDR_AT(code32_start, 0x214);
BZ_HDR_AT(ramdisk_image, 0x218);
BZ_HDR_AT(ramdisk_size, 0x21c);
BZ_HDR_AT(bootsect_kludge, 0x220);
BZ_HDR_AT(heap_end_ptr, 0x224);
BZ_HDR_AT(ext_loader_ver, 0x226);
BZ_HDR_AT(ext_loader_type, 0x227);
BZ_HDR_AT(cmd_line_ptr, 0x228);
BZ_HDR_AT(initrd_addr_max, 0x22c);
BZ_HDR_AT(kernel_alignment, 0x230);
BZ_HDR_AT(relocatable_kernel, 0x234);
BZ_HDR_AT(min_alignment, 0x235);
BZ_HDR_AT(xloadflags, 0x236);
BZ_HDR_AT(cmdline_size, 0x238);
BZ_HDR_AT(hardware_subarch, 0x23c);
BZ_HDR_AT(hardware_subarch_data, 0x240);
BZ_HDR_AT(payload_offset, 0x248);
BZ_HDR_AT(payload_length, 0x24c);
BZ_HDR_AT(setup_data, 0x250);
BZ_HDR_AT(pref_address, 0x258);
BZ_HDR_AT(init_size, 0x260);
BZ_HDR_AT(handover_offset, 0x264);
BZ_HDR_AT(kernel_info_offset, 0x268);
#undef BZ_HDR_AT
_Static_assert(sizeof(struct bz_setup_header) == 0x26c - BZ_HDR_OFFSET, "setup_header size");

/* One e820 entry, as the zero page stores it. */
struct bz_e820_entry {
    uint64_t addr; /* 0x00 */
    uint64_t size; /* 0x08 */
    uint32_t type; /* 0x10: BZ_E820_* */
} __attribute__((packed));
_Static_assert(offsetof(struct bz_e820_entry, addr) == 0x00, "e820.addr");
_Static_assert(offsetof(struct bz_e820_entry, size) == 0x08, "e820.size");
_Static_assert(offsetof(struct bz_e820_entry, type) == 0x10, "e820.type");
_Static_assert(sizeof(struct bz_e820_entry) == 20, "e820 entry size");

/* struct boot_params, the zero page: only the fields a loader writes are named. */
struct bz_boot_params {
    uint8_t screen_info[0x40];              /* 0x000 */
    uint8_t apm_bios_info[0x14];            /* 0x040 */
    uint8_t _pad2[4];                       /* 0x054 */
    uint64_t tboot_addr;                    /* 0x058 */
    uint8_t ist_info[0x10];                 /* 0x060 */
    uint64_t acpi_rsdp_addr;                /* 0x070 */
    uint8_t _pad3[8];                       /* 0x078 */
    uint8_t hd0_info[16];                   /* 0x080 */
    uint8_t hd1_info[16];                   /* 0x090 */
    uint8_t sys_desc_table[0x10];           /* 0x0a0 */
    uint8_t olpc_ofw_header[0x10];          /* 0x0b0 */
    uint32_t ext_ramdisk_image;             /* 0x0c0 */
    uint32_t ext_ramdisk_size;              /* 0x0c4 */
    uint32_t ext_cmd_line_ptr;              /* 0x0c8 */
    uint8_t _pad4[0x74];                    /* 0x0cc */
    uint8_t edid_info[0x80];                /* 0x140 */
    uint8_t efi_info[0x20];                 /* 0x1c0 */
    uint32_t alt_mem_k;                     /* 0x1e0 */
    uint32_t scratch;                       /* 0x1e4 */
    uint8_t e820_entries;                   /* 0x1e8 */
    uint8_t eddbuf_entries;                 /* 0x1e9 */
    uint8_t edd_mbr_sig_buf_entries;        /* 0x1ea */
    uint8_t kbd_status;                     /* 0x1eb */
    uint8_t secure_boot;                    /* 0x1ec */
    uint8_t _pad5[2];                       /* 0x1ed */
    uint8_t sentinel;                       /* 0x1ef: must stay 0 (the kernel checks it) */
    uint8_t _pad6;                          /* 0x1f0 */
    struct bz_setup_header hdr;             /* 0x1f1 */
    uint8_t _pad7[BZ_HDR_LIMIT - 0x26c];    /* 0x26c: room for later header fields */
    uint32_t edd_mbr_sig_buffer[16];        /* 0x290 */
    struct bz_e820_entry e820_table[BZ_E820_MAX]; /* 0x2d0 */
    uint8_t _pad8[0x30];                    /* 0xcd0 */
    uint8_t eddbuf[0x1ec];                  /* 0xd00 */
    uint8_t _pad9[0x114];                   /* 0xeec */
} __attribute__((packed));

#define BZ_BP_AT(f, off) _Static_assert(offsetof(struct bz_boot_params, f) == (off), "boot_params." #f)
BZ_BP_AT(screen_info, 0x000);
BZ_BP_AT(apm_bios_info, 0x040);
BZ_BP_AT(tboot_addr, 0x058);
BZ_BP_AT(ist_info, 0x060);
BZ_BP_AT(acpi_rsdp_addr, 0x070);
BZ_BP_AT(hd0_info, 0x080);
BZ_BP_AT(hd1_info, 0x090);
BZ_BP_AT(sys_desc_table, 0x0a0);
BZ_BP_AT(olpc_ofw_header, 0x0b0);
BZ_BP_AT(ext_ramdisk_image, 0x0c0);
BZ_BP_AT(ext_ramdisk_size, 0x0c4);
BZ_BP_AT(ext_cmd_line_ptr, 0x0c8);
BZ_BP_AT(edid_info, 0x140);
BZ_BP_AT(efi_info, 0x1c0);
BZ_BP_AT(alt_mem_k, 0x1e0);
BZ_BP_AT(scratch, 0x1e4);
BZ_BP_AT(e820_entries, 0x1e8);
BZ_BP_AT(eddbuf_entries, 0x1e9);
BZ_BP_AT(edd_mbr_sig_buf_entries, 0x1ea);
BZ_BP_AT(kbd_status, 0x1eb);
BZ_BP_AT(secure_boot, 0x1ec);
BZ_BP_AT(sentinel, 0x1ef);
BZ_BP_AT(hdr, BZ_HDR_OFFSET);
BZ_BP_AT(edd_mbr_sig_buffer, BZ_HDR_LIMIT);
BZ_BP_AT(e820_table, 0x2d0);
BZ_BP_AT(eddbuf, 0xd00);
#undef BZ_BP_AT
_Static_assert(sizeof(struct bz_boot_params) == BZ_ZERO_PAGE_SIZE, "boot_params is one page");

/* What a VMM needs to load a validated bzImage. */
struct bzimage_info {
    uint16_t version;          /* boot protocol, e.g. 0x020f for 2.15 */
    uint8_t setup_sects;       /* effective count (0 in the image means 4) */
    uint8_t loadflags;
    uint8_t relocatable_kernel;
    uint8_t min_alignment;     /* log2 */
    uint16_t xloadflags;
    uint32_t header_end;       /* image offset just past the setup header (0x202 + byte 0x201) */
    uint32_t kernel_alignment;
    uint32_t init_size;        /* bytes the kernel needs from its load address while booting */
    uint32_t cmdline_size;     /* longest command line, without the NUL */
    uint32_t initrd_addr_max;  /* highest address the initrd's last byte may have */
    uint64_t pref_address;
    uint64_t kernel_offset;    /* protected-mode kernel in the image: (setup_sects + 1) * 512 */
    uint64_t kernel_size;      /* its size: syssize * 16 */
    uint64_t load_addr;        /* where the VMM copies the protected-mode kernel */
    uint64_t entry64;          /* startup_64: load_addr + 0x200 */
};

/* Loader-side facts the zero page carries. */
struct bzimage_boot {
    uint64_t cmdline_addr;     /* guest-physical address of the NUL-terminated command line */
    uint64_t cmdline_len;      /* its length without the NUL */
    uint64_t initrd_addr;      /* 0 and 0 for no initrd */
    uint64_t initrd_size;
    uint64_t rsdp_addr;        /* 0: the kernel searches the BIOS areas itself */
    const struct bz_e820_entry *e820;
    unsigned e820_count;
};

/* Validate the `size`-byte image for a 64-bit boot into `guest_mem` bytes of RAM starting at
   guest-physical 0; fill `out`. Returns BZ_OK or a BZ_E_* code. */
int bzimage_parse(const void *image, size_t size, uint64_t guest_mem, struct bzimage_info *out);

/* Fill the zero page `zp` for a parsed image: copy its setup header and add the loader fields
   from `boot`. Returns BZ_OK or a BZ_E_* code (zp is then unspecified). */
int bzimage_zero_page(const void *image, size_t size, const struct bzimage_info *info,
                      const struct bzimage_boot *boot, struct bz_boot_params *zp);

/* A static message for a BZ_E_* code. */
const char *bzimage_strerror(int code);
