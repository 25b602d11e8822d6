/* SPDX-License-Identifier: MIT */
/* Host test of vmm/boot/bzimage.c: synthetic bzImages for every check, and Debian's real kernel. */

#include "../../vmm/boot/bzimage.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define MIB        0x100000ull
#define GUEST_MEM  (512 * MIB)
#define IMG_SIZE   0x4000u
#define SETUP_SECTS 3u                       /* protected-mode kernel at 0x800 */
#define PM_OFFSET  ((SETUP_SECTS + 1) * 512u)
#define REAL_KERNEL "build/guest/bzImage"

static uint8_t img[IMG_SIZE];
static struct bzimage_info info;

static struct bz_setup_header *hdr(void)
{
    return (struct bz_setup_header *)(img + BZ_HDR_OFFSET);
}

/* A good 64-bit bzImage of IMG_SIZE bytes: protocol 2.15, relocatable, loads at 16 MiB and
   needs 1 MiB there; every byte outside the header is a non-zero filler. */
static void good(void)
{
    memset(img, 0xcc, sizeof(img));
    memset(img + BZ_HDR_OFFSET, 0, sizeof(struct bz_setup_header));
    struct bz_setup_header *h = hdr();
    h->setup_sects = SETUP_SECTS;
    h->syssize = (IMG_SIZE - PM_OFFSET) / 16;
    h->vid_mode = 0xffff;
    h->boot_flag = BZ_BOOT_FLAG;
    h->jump = 0xeb | (uint16_t)((0x26c - 0x202) << 8); /* jmp short to the end of the header */
    h->header = BZ_HDRS_MAGIC;
    h->version = 0x020f;
    h->loadflags = BZ_LOADED_HIGH;
    h->kernel_alignment = 0x200000;
    h->relocatable_kernel = 1;
    h->min_alignment = 21;
    h->xloadflags = BZ_XLF_KERNEL_64 | BZ_XLF_CAN_BE_LOADED_ABOVE_4G;
    h->cmdline_size = 2047;
    h->initrd_addr_max = 0x7fffffff;
    h->pref_address = 16 * MIB;
    h->init_size = 0x100000;
    h->handover_offset = 0x190;
    h->kernel_info_offset = 0x1234;
}

/* Parse the first `size` bytes of img from a heap block of exactly that size, so that
   AddressSanitizer catches a read past the end. */
static int parse(size_t size, uint64_t mem)
{
    void *copy = memcpy(malloc(size ? size : 1), img, size);
    int r = bzimage_parse(copy, size, mem, &info);
    free(copy);
    return r;
}

/* Every validation error: the mutation of the good image and the code it must give. */
static void test_errors(void)
{
    static const struct {
        const char *name;
        int want;
    } cases[] = {
        {"short_512_bytes", BZ_E_SHORT},
        {"short_before_header_end", BZ_E_SHORT},
        {"short_header_per_jump", BZ_E_SHORT},
        {"header_end_beyond_image", BZ_E_SHORT},
        {"bad_boot_flag", BZ_E_BOOT_FLAG},
        {"bad_hdrs_magic", BZ_E_MAGIC},
        {"protocol_2_11", BZ_E_VERSION},
        {"no_xlf_kernel_64", BZ_E_NOT_64BIT},
        {"not_loaded_high", BZ_E_NOT_64BIT},
        {"syssize_beyond_image", BZ_E_KERNEL_SIZE},
        {"syssize_zero", BZ_E_KERNEL_SIZE},
        {"setup_beyond_image", BZ_E_KERNEL_SIZE},
        {"init_size_over_guest_mem", BZ_E_INIT_SIZE},
        {"guest_mem_below_load_addr", BZ_E_INIT_SIZE},
    };
    char name[96];
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t size = IMG_SIZE;
        uint64_t mem = GUEST_MEM;
        good();
        switch (i) {
        case 0: size = 512; break;
        case 1: size = 0x26b; break;
        case 2: img[0x201] = 0x60; break;                 /* header ends at 0x262, before handover */
        case 3: img[0x201] = 0x7f; size = 0x280; break;   /* header to 0x281 in a 0x280-byte file */
        case 4: hdr()->boot_flag = 0x55aa; break;
        case 5: memcpy(&hdr()->header, "HdrT", 4); break;
        case 6: hdr()->version = 0x020b; break;
        case 7: hdr()->xloadflags = BZ_XLF_CAN_BE_LOADED_ABOVE_4G; break;
        case 8: hdr()->loadflags = 0; break;
        case 9: hdr()->syssize++; break;
        case 10: hdr()->syssize = 0; break;
        case 11: hdr()->setup_sects = 40; hdr()->syssize = 1; break;
        case 12: hdr()->init_size = (uint32_t)(GUEST_MEM - 16 * MIB + 1); break;
        case 13: mem = 8 * MIB; break;
        }
        int got = parse(size, mem);
        snprintf(name, sizeof(name), "error_%s", cases[i].name);
        CHECK_EQ(name, got, cases[i].want);
    }

    /* A bzImage whose init_size exactly reaches the end of guest memory still fits. */
    good();
    hdr()->init_size = (uint32_t)(GUEST_MEM - 16 * MIB);
    CHECK_EQ("init_size_exactly_fits", parse(IMG_SIZE, GUEST_MEM), BZ_OK);
    /* A protected-mode kernel ending exactly at the end of the file is fine; extra bytes after it
       (a signature, as Debian's signed kernel has) too. */
    good();
    hdr()->syssize--;
    CHECK_EQ("trailing_bytes_allowed", parse(IMG_SIZE, GUEST_MEM), BZ_OK);
}

static void test_messages(void)
{
    static const int codes[] = {BZ_E_SHORT, BZ_E_BOOT_FLAG, BZ_E_MAGIC, BZ_E_VERSION, BZ_E_NOT_64BIT,
                                BZ_E_KERNEL_SIZE, BZ_E_INIT_SIZE, BZ_E_E820_COUNT, BZ_E_CMDLINE,
                                BZ_E_INITRD, BZ_E_OVERLAP, BZ_E_ARG};
    const unsigned n = sizeof(codes) / sizeof(codes[0]);
    bool distinct = true, present = true;
    for (unsigned i = 0; i < n; i++) {
        const char *m = bzimage_strerror(codes[i]);
        present &= m && strlen(m) > 5 && strcmp(m, bzimage_strerror(INT_MIN)) != 0;
        for (unsigned j = 0; j < i; j++)
            distinct &= codes[i] != codes[j] && strcmp(m, bzimage_strerror(codes[j])) != 0;
    }
    CHECK("messages_present", present);
    CHECK("messages_and_codes_distinct", distinct);
    CHECK("message_magic_names_hdrs", strstr(bzimage_strerror(BZ_E_MAGIC), "HdrS") != NULL);
    CHECK_STR("message_unknown_code", bzimage_strerror(-1000), "unknown bzImage error");
    CHECK_STR("message_int_min", bzimage_strerror(INT_MIN), "unknown bzImage error");
    CHECK_STR("message_positive", bzimage_strerror(5), "unknown bzImage error");
    CHECK_STR("message_ok", bzimage_strerror(BZ_OK), "ok");
}

static void test_good(void)
{
    good();
    CHECK_EQ("good_parses", parse(IMG_SIZE, GUEST_MEM), BZ_OK);
    CHECK_EQ("good_version", info.version, 0x020f);
    CHECK_EQ("good_setup_sects", info.setup_sects, SETUP_SECTS);
    CHECK_EQ("good_kernel_offset", info.kernel_offset, PM_OFFSET);
    CHECK_EQ("good_kernel_size", info.kernel_size, IMG_SIZE - PM_OFFSET);
    CHECK_EQ("good_header_end", info.header_end, 0x26c);
    CHECK_EQ("good_loadflags", info.loadflags, BZ_LOADED_HIGH);
    CHECK_EQ("good_relocatable", info.relocatable_kernel, 1);
    CHECK_EQ("good_min_alignment", info.min_alignment, 21);
    CHECK_EQ("good_kernel_alignment", info.kernel_alignment, 0x200000);
    CHECK_EQ("good_xloadflags", info.xloadflags, BZ_XLF_KERNEL_64 | BZ_XLF_CAN_BE_LOADED_ABOVE_4G);
    CHECK_EQ("good_init_size", info.init_size, 0x100000);
    CHECK_EQ("good_cmdline_size", info.cmdline_size, 2047);
    CHECK_EQ("good_initrd_addr_max", info.initrd_addr_max, 0x7fffffff);
    CHECK_EQ("good_pref_address", info.pref_address, 16 * MIB);
    CHECK_EQ("good_load_addr", info.load_addr, 16 * MIB);
    CHECK_EQ("good_entry64", info.entry64, 16 * MIB + 0x200);

    /* setup_sects 0 means 4 sectors (protocol text); the kernel then starts at 0xa00. */
    good();
    hdr()->setup_sects = 0;
    hdr()->syssize = (IMG_SIZE - 5 * 512) / 16;
    CHECK_EQ("setup_sects_zero_parses", parse(IMG_SIZE, GUEST_MEM), BZ_OK);
    CHECK_EQ("setup_sects_zero_means_4", info.setup_sects, 4);
    CHECK_EQ("setup_sects_zero_offset", info.kernel_offset, 5 * 512);

    /* init_size smaller than the kernel itself: the kernel size is what must fit. */
    good();
    hdr()->init_size = 0x10;
    CHECK_EQ("init_size_below_kernel", parse(IMG_SIZE, GUEST_MEM) == BZ_OK ? info.init_size : 0,
             IMG_SIZE - PM_OFFSET);

    /* A relocatable kernel without a sensible pref_address goes to 16 MiB, rounded to its
       alignment (here 6 MiB -> 18 MiB). */
    good();
    hdr()->pref_address = 0;
    hdr()->kernel_alignment = 6 * MIB;
    CHECK_EQ("relocatable_default_load", parse(IMG_SIZE, GUEST_MEM) == BZ_OK ? info.load_addr : 0, 18 * MIB);
    CHECK_EQ("relocatable_default_entry", info.entry64, 18 * MIB + 0x200);

    CHECK_EQ("null_image", bzimage_parse(NULL, IMG_SIZE, GUEST_MEM, &info), BZ_E_ARG);
    CHECK_EQ("null_info", bzimage_parse(img, IMG_SIZE, GUEST_MEM, NULL), BZ_E_ARG);
}

static const struct bz_e820_entry e820[] = {
    {0, 0x9fc00, BZ_E820_RAM},
    {0x9fc00, 0x400, BZ_E820_RESERVED},
    {0xf0000, 0x10000, BZ_E820_RESERVED},
    {MIB, GUEST_MEM - MIB, BZ_E820_RAM},
};

static struct bzimage_boot boot_args(void)
{
    return (struct bzimage_boot){.cmdline_addr = 0x20000,
                                 .cmdline_len = 40,
                                 .initrd_addr = 0x10000000,
                                 .initrd_size = 0x123456,
                                 .rsdp_addr = 0xe0000,
                                 .e820 = e820,
                                 .e820_count = 4};
}

static bool all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return false;
    return true;
}

static struct bz_boot_params zp;

static void test_zero_page(void)
{
    good();
    CHECK_EQ("zp_parse", parse(IMG_SIZE, GUEST_MEM), BZ_OK);
    struct bzimage_boot b = boot_args();
    memset(&zp, 0xa5, sizeof(zp));
    CHECK_EQ("zp_builds", bzimage_zero_page(img, IMG_SIZE, &info, &b, &zp), BZ_OK);
    CHECK_EQ("zp_type_of_loader", zp.hdr.type_of_loader, 0xff);
    CHECK_EQ("zp_loadflags", zp.hdr.loadflags, BZ_LOADED_HIGH | BZ_CAN_USE_HEAP);
    CHECK_EQ("zp_heap_end_ptr", zp.hdr.heap_end_ptr, BZ_HEAP_END);
    CHECK_EQ("zp_cmd_line_ptr", zp.hdr.cmd_line_ptr, 0x20000);
    CHECK_EQ("zp_ext_cmd_line_ptr", zp.ext_cmd_line_ptr, 0);
    CHECK_EQ("zp_ramdisk_image", zp.hdr.ramdisk_image, 0x10000000);
    CHECK_EQ("zp_ramdisk_size", zp.hdr.ramdisk_size, 0x123456);
    CHECK_EQ("zp_rsdp", zp.acpi_rsdp_addr, 0xe0000);
    CHECK_EQ("zp_e820_entries", zp.e820_entries, 4);
    CHECK("zp_e820_table", memcmp(zp.e820_table, e820, sizeof(e820)) == 0);
    CHECK("zp_e820_rest_zero", all_zero(&zp.e820_table[4], sizeof(zp.e820_table) - sizeof(e820)));
    CHECK_EQ("zp_sentinel_zero", zp.sentinel, 0);
    /* The rest of the header is the image's own, byte for byte. */
    CHECK_EQ("zp_version_copied", zp.hdr.version, 0x020f);
    CHECK_EQ("zp_setup_sects_copied", zp.hdr.setup_sects, SETUP_SECTS);
    CHECK_EQ("zp_vid_mode_copied", zp.hdr.vid_mode, 0xffff);
    CHECK_EQ("zp_magic_copied", zp.hdr.header, BZ_HDRS_MAGIC);
    CHECK_EQ("zp_init_size_copied", zp.hdr.init_size, 0x100000);
    CHECK_EQ("zp_kernel_info_copied", zp.hdr.kernel_info_offset, 0x1234);
    /* Nothing outside the header area comes from the image (its filler is 0xcc). */
    CHECK("zp_below_header_zero", all_zero(&zp, 0x70) && all_zero((uint8_t *)&zp + 0x78, 0x1e8 - 0x78));
    CHECK("zp_after_header_zero", all_zero(zp._pad7, sizeof(zp._pad7)));
    CHECK("zp_tail_zero", all_zero(zp.eddbuf, sizeof(zp.eddbuf) + sizeof(zp._pad9)));

    /* A header shorter than our struct (protocol 2.12 ends at 0x268): the rest stays zero. */
    good();
    img[0x201] = 0x66;
    CHECK_EQ("zp_short_header_parse", parse(IMG_SIZE, GUEST_MEM), BZ_OK);
    CHECK_EQ("zp_short_header_builds", bzimage_zero_page(img, IMG_SIZE, &info, &b, &zp), BZ_OK);
    CHECK_EQ("zp_short_header_not_copied", zp.hdr.kernel_info_offset, 0);
    CHECK_EQ("zp_short_header_handover", zp.hdr.handover_offset, 0x190);
    /* A header longer than the zero page's header area is cut at 0x290. */
    good();
    img[0x201] = 0xff;
    CHECK_EQ("zp_long_header_parse", parse(IMG_SIZE, GUEST_MEM), BZ_OK);
    CHECK_EQ("zp_long_header_builds", bzimage_zero_page(img, IMG_SIZE, &info, &b, &zp), BZ_OK);
    CHECK("zp_long_header_pad_copied", zp._pad7[0] == 0xcc && zp._pad7[sizeof(zp._pad7) - 1] == 0xcc);
    CHECK("zp_long_header_cut", all_zero(zp.edd_mbr_sig_buffer, sizeof(zp.edd_mbr_sig_buffer)));

    /* Addresses above 4 GiB go to the ext_ fields. */
    good();
    parse(IMG_SIZE, GUEST_MEM);
    b = boot_args();
    b.cmdline_addr = 0x123456789ull;
    CHECK_EQ("zp_high_cmdline_builds", bzimage_zero_page(img, IMG_SIZE, &info, &b, &zp), BZ_OK);
    CHECK_EQ("zp_high_cmdline_low", zp.hdr.cmd_line_ptr, 0x23456789);
    CHECK_EQ("zp_high_cmdline_ext", zp.ext_cmd_line_ptr, 1);
    b = boot_args();
    b.initrd_size = 0;
    b.initrd_addr = 0;
    b.e820_count = 0;
    b.e820 = NULL;
    CHECK_EQ("zp_no_initrd_builds", bzimage_zero_page(img, IMG_SIZE, &info, &b, &zp), BZ_OK);
    CHECK("zp_no_initrd", zp.hdr.ramdisk_image == 0 && zp.hdr.ramdisk_size == 0 && zp.e820_entries == 0);

    /* Loader-side errors. */
    static const struct {
        const char *name;
        int want;
    } cases[] = {
        {"e820_129_entries", BZ_E_E820_COUNT},
        {"cmdline_too_long", BZ_E_CMDLINE},
        {"initrd_above_max", BZ_E_INITRD},
        {"initrd_wraps", BZ_E_INITRD},
        {"initrd_over_kernel", BZ_E_OVERLAP},
        {"cmdline_over_kernel", BZ_E_OVERLAP},
        {"e820_null", BZ_E_ARG},
    };
    static struct bz_e820_entry many[BZ_E820_MAX + 1];
    char name[96];
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        b = boot_args();
        switch (i) {
        case 0: b.e820 = many; b.e820_count = BZ_E820_MAX + 1; break;
        case 1: b.cmdline_len = 2048; break;
        case 2: b.initrd_addr = 0x7fffffff - b.initrd_size + 2; break;
        case 3: b.initrd_addr = UINT64_MAX - 0x10; break;
        case 4: b.initrd_addr = 16 * MIB + 0xfffff; break;
        case 5: b.cmdline_addr = 16 * MIB - 40; break;
        case 6: b.e820 = NULL; break;
        }
        snprintf(name, sizeof(name), "zp_error_%s", cases[i].name);
        CHECK_EQ(name, bzimage_zero_page(img, IMG_SIZE, &info, &b, &zp), cases[i].want);
    }
    b = boot_args();
    b.e820 = many;
    b.e820_count = BZ_E820_MAX;
    CHECK_EQ("zp_e820_128_entries", bzimage_zero_page(img, IMG_SIZE, &info, &b, &zp), BZ_OK);
    b = boot_args();
    b.cmdline_len = 2047;
    b.initrd_addr = 0x7fffffff - b.initrd_size + 1;
    CHECK_EQ("zp_limits_exactly_fit", bzimage_zero_page(img, IMG_SIZE, &info, &b, &zp), BZ_OK);
    CHECK_EQ("zp_null_boot", bzimage_zero_page(img, IMG_SIZE, &info, NULL, &zp), BZ_E_ARG);
}

/* Debian's kernel (argv[1] or build/guest/bzImage): must parse as a 64-bit protocol >= 2.15
   image, and give a zero page. */
static void test_real(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        unsigned n = check_passed + check_failed + 1;
        printf("ok %u real_kernel # skip %s is absent (run 'make guests')\n", n, path);
        check_passed++;
        return;
    }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(len > 0 ? (size_t)len : 1);
    bool read_ok = len > 0 && fread(buf, 1, (size_t)len, f) == (size_t)len;
    fclose(f);
    if (CHECK("real_kernel_read", read_ok)) {
        int r = bzimage_parse(buf, (size_t)len, GUEST_MEM, &info);
        if (!check_begin(r == BZ_OK, "real_kernel_parses"))
            printf("%d %s\n", r, bzimage_strerror(r));
        printf("# %s: protocol %u.%02u setup_sects %u kernel %#llx+%#llx init_size %#x load %#llx entry64 %#llx "
               "xloadflags %#x cmdline_size %u initrd_addr_max %#x\n",
               path, info.version >> 8, info.version & 0xff, info.setup_sects,
               (unsigned long long)info.kernel_offset, (unsigned long long)info.kernel_size, info.init_size,
               (unsigned long long)info.load_addr, (unsigned long long)info.entry64, info.xloadflags,
               info.cmdline_size, info.initrd_addr_max);
        CHECK("real_kernel_protocol_2_15", info.version >= 0x020f);
        CHECK("real_kernel_xlf_kernel_64", info.xloadflags & BZ_XLF_KERNEL_64);
        CHECK("real_kernel_relocatable", info.relocatable_kernel == 1);
        CHECK("real_kernel_fits_file", info.kernel_offset + info.kernel_size <= (uint64_t)len);
        CHECK_EQ("real_kernel_entry64", info.entry64, info.load_addr + 0x200);
        CHECK("real_kernel_init_size", info.init_size >= info.kernel_size);
        CHECK("real_kernel_cmdline_size", info.cmdline_size >= 255);
        struct bzimage_boot b = boot_args();
        CHECK_EQ("real_kernel_zero_page", bzimage_zero_page(buf, (size_t)len, &info, &b, &zp), BZ_OK);
        CHECK("real_kernel_zero_page_header", memcmp(&zp.hdr.setup_sects, buf + BZ_HDR_OFFSET, 0x210 - 0x1f1) == 0);
        /* Too little memory for its init_size is refused with the init_size error. */
        CHECK_EQ("real_kernel_small_guest", bzimage_parse(buf, (size_t)len, 20 * MIB, &info), BZ_E_INIT_SIZE);
        /* Cut inside the protected-mode kernel: the size check catches it. */
        bzimage_parse(buf, (size_t)len, GUEST_MEM, &info);
        size_t cut = (size_t)(info.kernel_offset + info.kernel_size / 2);
        CHECK_EQ("real_kernel_truncated", bzimage_parse(buf, cut, GUEST_MEM, &info), BZ_E_KERNEL_SIZE);
    }
    free(buf);
}

int main(int argc, char **argv)
{
    test_errors();
    test_messages();
    test_good();
    test_zero_page();
    test_real(argc > 1 ? argv[1] : REAL_KERNEL);
    return check_summary();
}
