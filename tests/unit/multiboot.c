/* SPDX-License-Identifier: MIT */
/* Host test of lib/multiboot.c: v1 and v2 boot information built in a fake physical memory. */

#include <multiboot.h>

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#define BASE 0x10000u /* physical address of the first byte of the fake memory */

/* Multiboot v1 structures (specification 0.6.96) as a boot loader writes them. */
#define V1_FLAG_CMDLINE (1u << 2)
#define V1_FLAG_MODS    (1u << 3)
#define V1_FLAG_MMAP    (1u << 6)

struct v1_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr, syms[4];
    uint32_t mmap_length, mmap_addr, rest[16];
};
struct v1_module {
    uint32_t start, end, string, reserved;
};
struct v1_mmap {
    uint32_t size;
    uint64_t base, len;
    uint32_t type;
} __attribute__((packed));
_Static_assert(sizeof(struct v1_info) == 116 && sizeof(struct v1_mmap) == 24, "v1 layout");

/* Multiboot v2 (specification 2.0): 8-byte aligned tags after total_size and a reserved word. */
struct v2_tag {
    uint32_t type, size, data[];
};

/* Structures are built in `build`, then copied to a heap block of exactly `used` bytes so that
   AddressSanitizer reports any read beyond what the boot loader provided. */
static uint8_t build[16384] __attribute__((aligned(8)));
static size_t used;
static struct mem {
    uint8_t *buf;
    size_t len;
} mem;
static struct mb_info in; /* the result of the last parse */

/* The mb_map_fn: [phys, phys + len) must lie inside the fake memory. */
static const void *mem_map(void *ctx, uint64_t phys, size_t len)
{
    const struct mem *m = ctx;
    if (phys < BASE || phys - BASE > m->len || len > m->len - (phys - BASE))
        return NULL;
    return m->buf + (phys - BASE);
}

/* Reserve n bytes at the given alignment; alignment gaps get 0xcc so skipping them matters. */
static void *alloc(size_t n, size_t align)
{
    while (used % align)
        build[used++] = 0xcc;
    used += n;
    return build + used - n;
}

static void *app(const void *p, size_t n)
{
    return memcpy(alloc(n, 1), p, n);
}

static uint32_t phys(const void *p)
{
    return (uint32_t)(BASE + ((const uint8_t *)p - build));
}

/* Append a string with its NUL and return its physical address. */
static uint32_t str(const char *s)
{
    return phys(app(s, strlen(s) + 1));
}

static enum mb_status parse(uint32_t magic, uint64_t info)
{
    free(mem.buf);
    mem.len = used;
    mem.buf = memcpy(malloc(used), build, used);
    return multiboot_parse(magic, info, mem_map, &mem, &in);
}

static bool malformed(int status)
{
    return status == MB_MALFORMED;
}

/* Parse in a child process, so that a crash or an endless loop fails this check and not the whole
   run; the check passes if accept() likes the status (and the result in `in`). */
static void check_guarded(const char *name, uint32_t magic, uint64_t info, bool (*accept)(int status))
{
    int st = 0;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        alarm(2);
        int s = parse(magic, info);
        _exit(accept(s) ? 0 : 100 + s); /* 98 to 100: rejected; sanitizer reports exit with 1 */
    }
    bool done = pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st);
    if (!check_begin(done && WEXITSTATUS(st) == 0, name))
        printf(done && WEXITSTATUS(st) >= 98 ? "status %d, nmem %u\n" : "crashed or hung\n", WEXITSTATUS(st) - 100,
               in.nmem),
            fflush(stdout);
}

/* Build a structure (`builder` gives its address in info_), damage it with the statements that
   follow, and expect MB_MALFORMED without a crash. */
#define MALFORMED(name, magic, builder, ...)                                                                           \
    do {                                                                                                               \
        uint64_t info_ = builder;                                                                                      \
        __VA_ARGS__;                                                                                                   \
        check_guarded(name, magic, info_, malformed);                                                                  \
    } while (0)
#define V1_BAD(name, ...) MALFORMED(name, MB1_BOOT_MAGIC, v1_build(), __VA_ARGS__)
#define V2_BAD(name, ...) MALFORMED(name, MB2_BOOT_MAGIC, __VA_ARGS__)

static bool mem_is(unsigned i, uint64_t base, uint64_t len, uint32_t type)
{
    return i < in.nmem && in.mem[i].base == base && in.mem[i].len == len && in.mem[i].type == type;
}

static struct v1_info *v1;
static struct v1_module *v1_mods;
static struct v1_mmap *v1_mmap; /* v1_build() puts the memory map last */

/* A v1 structure with a command line, three modules and five memory-map entries. */
static uint64_t v1_build(void)
{
    used = 0;
    v1 = memset(alloc(sizeof(*v1), 8), 0, sizeof(*v1));
    v1->flags = 1 | V1_FLAG_CMDLINE | V1_FLAG_MODS | V1_FLAG_MMAP;
    v1->cmdline = str("/boot/nova.mb1 nodl serial");
    v1_mods = alloc(3 * sizeof(*v1_mods), 4);
    v1_mods[0] = (struct v1_module){0x200000, 0x2345f1, str("root.elf arg=1"), 0};
    v1_mods[1] = (struct v1_module){0x300000, 0x300000, str(""), 0};
    v1_mods[2] = (struct v1_module){0x400000, 0x401000, 0, 0}; /* no string */
    v1->mods_count = 3;
    v1->mods_addr = phys(v1_mods);
    v1_mmap = alloc(5 * sizeof(*v1_mmap) + 8, 1);
    v1_mmap[0] = (struct v1_mmap){20, 0, 0x9fc00, MB_MEM_AVAILABLE};
    v1_mmap[1] = (struct v1_mmap){20, 0x9fc00, 0x400, MB_MEM_RESERVED};
    /* A longer entry: its size says where the next one starts. */
    v1_mmap[2] = (struct v1_mmap){28, 0x100000, 0x7ee0000, MB_MEM_AVAILABLE};
    memset(&v1_mmap[3], 0xcc, 8);
    struct v1_mmap *more = (struct v1_mmap *)((uint8_t *)&v1_mmap[3] + 8);
    more[0] = (struct v1_mmap){20, 0x7fe0000, 0x20000, MB_MEM_ACPI};
    more[1] = (struct v1_mmap){20, 0xfffc0000, 0x40000, MB_MEM_RESERVED};
    v1->mmap_addr = phys(v1_mmap);
    v1->mmap_length = 5 * sizeof(*v1_mmap) + 8;
    return phys(v1);
}

static void test_v1(void)
{
    uint64_t info = v1_build();
    CHECK_EQ("v1: status", parse(MB1_BOOT_MAGIC, info), MB_OK);
    CHECK("v1: version, info_start", in.version == 1 && in.info_start == info);
    CHECK_STR("v1: cmdline", in.cmdline, "/boot/nova.mb1 nodl serial");
    CHECK("v1: module ranges", in.nmods == 3 && in.mods[0].start == 0x200000 && in.mods[0].end == 0x2345f1 &&
                                   in.mods[1].start == 0x300000 && in.mods[1].end == 0x300000 &&
                                   in.mods[2].start == 0x400000 && in.mods[2].end == 0x401000);
    CHECK_STR("v1: module 0 string", in.mods[0].cmdline, "root.elf arg=1");
    CHECK_STR("v1: module 1 empty string", in.mods[1].cmdline, "");
    CHECK_STR("v1: module 2 without string is \"\"", in.mods[2].cmdline, "");
    CHECK("v1: mmap entries", in.nmem == 5 && mem_is(0, 0, 0x9fc00, 1) && mem_is(1, 0x9fc00, 0x400, 2) &&
                                  mem_is(2, 0x100000, 0x7ee0000, 1) && mem_is(3, 0x7fe0000, 0x20000, 3) &&
                                  mem_is(4, 0xfffc0000, 0x40000, 2));
    CHECK("v1: no v2-only data, nothing dropped", in.rsdp == MB_ABSENT && in.efi_systab == MB_ABSENT &&
                                                      in.efi_image == MB_ABSENT && in.efi_mmap == MB_ABSENT &&
                                                      !in.dropped);

    /* Flags clear: the fields hold garbage that must not be followed. */
    info = v1_build();
    v1->flags = 0;
    v1->cmdline = v1->mods_addr = v1->mmap_addr = 0xdead0000;
    CHECK_EQ("v1 flags clear: status", parse(MB1_BOOT_MAGIC, info), MB_OK);
    CHECK("v1 flags clear: nothing parsed", !strcmp(in.cmdline, "") && !in.nmods && !in.nmem && !in.dropped);

    V1_BAD("v1: info outside memory", info_ = 0x1000);
    V1_BAD("v1: info running off memory", info_ = BASE + used - 40);
    V1_BAD("v1: cmdline outside memory", v1->cmdline = 0x800000);
    V1_BAD("v1: module list outside memory", v1->mods_addr = 0x800000);
    V1_BAD("v1: module count running off memory", v1->mods_count = 0xffffffff);
    V1_BAD("v1: module end below start", v1_mods[1].end = 0x2ff000);
    /* Module 2's string is the last bytes of memory, without a NUL. */
    V1_BAD("v1: module string runs off memory", v1_mods[2].string = phys(app("xxxxxx", 6)));
    /* The last entry claims 19 bytes and memory ends there: reading its type would run off. */
    V1_BAD("v1: mmap entry size 19", ((struct v1_mmap *)((uint8_t *)v1_mmap + 104))->size = 19, v1->mmap_length--,
           used--);
    V1_BAD("v1: mmap length past memory", v1->mmap_length += 24);
    V1_BAD("v1: last mmap entry past mmap length", v1->mmap_length -= 8);
}

static void test_v1_dropped(void)
{
    enum { NMODS = MB_MAX_MODULES + 8, NMEM = MB_MAX_MEM + 6 };
    uint64_t info = v1_build();
    struct v1_module *mods = alloc(NMODS * sizeof(*mods), 4);
    struct v1_mmap *mmap = alloc(NMEM * sizeof(*mmap), 1);
    for (unsigned i = 0; i < NMODS; i++)
        mods[i] = (struct v1_module){0x100000 * (i + 1), 0x100000 * (i + 1) + 0x1000, 0, 0};
    for (unsigned i = 0; i < NMEM; i++)
        mmap[i] = (struct v1_mmap){20, 0x1000ull * i, 0x1000, MB_MEM_AVAILABLE};
    *v1 = (struct v1_info){.flags = V1_FLAG_MODS | V1_FLAG_MMAP,
                           .mods_count = NMODS,
                           .mods_addr = phys(mods),
                           .mmap_addr = phys(mmap),
                           .mmap_length = NMEM * 24};
    CHECK_EQ("v1 too many: status", parse(MB1_BOOT_MAGIC, info), MB_OK);
    CHECK("v1 too many: the first ones kept",
          in.nmods == MB_MAX_MODULES && in.nmem == MB_MAX_MEM && in.mods[MB_MAX_MODULES - 1].start == 0x2000000);
    CHECK_EQ("v1 too many: dropped = 8 modules + 6 entries", in.dropped, 14);
}

static uint32_t *v2; /* total_size, reserved */

static struct v2_tag *tag_begin(uint32_t type)
{
    struct v2_tag *t = alloc(sizeof(*t), 8);
    t->type = type;
    return t;
}

static struct v2_tag *tag_end(struct v2_tag *t)
{
    t->size = (uint32_t)(build + used - (uint8_t *)t);
    return t;
}

static struct v2_tag *tag(uint32_t type, const void *data, size_t n)
{
    struct v2_tag *t = tag_begin(type);
    app(data, n);
    return tag_end(t);
}

/* Start a v2 structure (a few bytes of other data come first). */
static void v2_begin(void)
{
    used = 0;
    str("other data");
    v2 = alloc(8, 8);
}

/* Optionally add the end tag, then set total_size; returns the structure's address. */
static uint64_t v2_finish(bool end_tag)
{
    if (end_tag)
        tag_end(tag_begin(0));
    v2[0] = (uint32_t)(build + used - (uint8_t *)v2);
    return phys(v2);
}

static struct v2_tag *v2_module(uint32_t start, uint32_t end, const char *s)
{
    struct v2_tag *t = tag_begin(3);
    app((uint32_t[]){start, end}, 8);
    str(s);
    return tag_end(t);
}

/* n entries of esize bytes: entry i is 0x1000 * (i + 1) bytes of type i % 5 + 1 at i MiB. */
static struct v2_tag *v2_mmap(uint32_t esize, unsigned n)
{
    struct v2_tag *t = tag_begin(6);
    app((uint32_t[]){esize, 0}, 8);
    for (unsigned i = 0; i < n; i++) {
        app((uint64_t[]){0x100000ull * i, 0x1000ull * (i + 1), i % 5 + 1}, 24); /* reserved = 0 */
        memset(alloc(esize - 24, 1), 0xcc, esize - 24);
    }
    return tag_end(t);
}

/* Finish the v2 structure being built and parse it. */
static bool v2_parse_ok(void)
{
    return parse(MB2_BOOT_MAGIC, v2_finish(true)) == MB_OK;
}

static const char rsdp1[20] = "RSD PTR v1", rsdp2[36] = "RSD PTR v2";

static void test_v2(void)
{
    v2_begin();
    tag(1, "nodl novpid", 12); /* size 20: the next tag needs padding */
    tag(2, "GRUB 2.06", 10);   /* boot loader name: not consumed */
    v2_module(0x200000, 0x2345f1, "root.elf arg=1");
    v2_module(0x300000, 0x301000, "");
    v2_mmap(24, 4);
    tag(14, rsdp1, sizeof(rsdp1));
    tag(99, "\xff\xff\xff\xff\x03", 5); /* unknown, with junk */
    struct v2_tag *new = tag(15, rsdp2, sizeof(rsdp2));
    tag(12, &(uint64_t){0x7f9e0018}, 8);
    tag(20, &(uint64_t){0x7e000000}, 8);
    struct v2_tag *efi = tag_begin(17);
    app((uint32_t[]){48, 1}, 8);
    memset(alloc(3 * 48, 1), 0, 3 * 48);
    tag_end(efi);
    tag(8, &(uint64_t){0xfd000000}, 8); /* framebuffer (shortened): not consumed */
    uint64_t info = v2_finish(true);

    CHECK_EQ("v2: status", parse(MB2_BOOT_MAGIC, info), MB_OK);
    CHECK("v2: version, info range = total_size",
          in.version == 2 && in.info_start == info && in.info_end == BASE + used);
    CHECK_STR("v2: cmdline", in.cmdline, "nodl novpid");
    CHECK("v2: module ranges", in.nmods == 2 && in.mods[0].start == 0x200000 && in.mods[0].end == 0x2345f1 &&
                                   in.mods[1].start == 0x300000 && in.mods[1].end == 0x301000);
    CHECK_STR("v2: module 0 string", in.mods[0].cmdline, "root.elf arg=1");
    CHECK_STR("v2: module 1 string", in.mods[1].cmdline, "");
    CHECK("v2: mmap entries", in.nmem == 4 && mem_is(0, 0, 0x1000, 1) && mem_is(1, 0x100000, 0x2000, 2) &&
                                  mem_is(2, 0x200000, 0x3000, 3) && mem_is(3, 0x300000, 0x4000, 4));
    CHECK_EQ("v2: rsdp from the new-RSDP tag", in.rsdp, phys(new->data));
    CHECK("v2: efi_systab, efi_image", in.efi_systab == 0x7f9e0018 && in.efi_image == 0x7e000000);
    CHECK("v2: efi mmap, nothing dropped", in.efi_mmap == phys(efi) + 16 && in.efi_mmap_size == 3 * 48 &&
                                               in.efi_desc_size == 48 && in.efi_desc_version == 1 && !in.dropped);

    v2_begin();
    new = tag(15, rsdp2, sizeof(rsdp2));
    tag(14, rsdp1, sizeof(rsdp1));
    CHECK("v2: new RSDP wins when first", v2_parse_ok() && in.rsdp == phys(new->data));
    v2_begin();
    v2_mmap(32, 3);
    CHECK("v2: mmap entry_size 32", v2_parse_ok() && in.nmem == 3 && mem_is(2, 0x200000, 0x3000, 3));
    CHECK_EQ("bad magic", parse(MB1_BOOT_MAGIC + 1, phys(v2)), MB_BAD_MAGIC);
}

/* An entry size beyond the tag must not produce entries (rejecting the tag is fine too). */
static bool no_entries(int status)
{
    return (status == MB_OK || status == MB_MALFORMED) && in.nmem == 0;
}

/* A v2 structure with the one tag `make` builds (t points to it) and, if `end`, the end tag. */
#define V2_ONE(make, end) (v2_begin(), t = (make), v2_finish(end))
#define ONE_MODULE        V2_ONE(v2_module(1, 2, "r"), true)

static void test_v2_malformed(void)
{
    struct v2_tag *t;
    V2_BAD("v2: no end tag", V2_ONE(v2_module(1, 2, "r"), false));
    V2_BAD("v2: tag size past total_size", ONE_MODULE, t->size = 0x100);
    V2_BAD("v2: tag size 0xfffffff8 (off + size wraps)", ONE_MODULE, t->size = 0xfffffff8);
    V2_BAD("v2: unknown tag size 0xfffffffc (off + size wraps)", V2_ONE(tag(77, rsdp1, 20), true),
           t->size = 0xfffffffc);
    /* An unknown tag whose data looks like an end tag: a parser that steps 8 bytes would stop there. */
    V2_BAD("v2: tag size < 8", V2_ONE(tag(77, "\0\0\0\0\x08\0\0", 8), true), t->size = 4);
    V2_BAD("v2: total_size 0xffffffff", ONE_MODULE, v2[0] = 0xffffffff);
    V2_BAD("v2: total_size past memory", ONE_MODULE, v2[0] += 8);
    V2_BAD("v2: total_size 8", ONE_MODULE, v2[0] = 8);
    V2_BAD("v2: info outside memory", 0x100000);
    V2_BAD("v2: mmap entry size 20", V2_ONE(v2_mmap(24, 2), true), t->data[0] = 20);
    V2_BAD("v2: mmap entry size 0", V2_ONE(v2_mmap(24, 2), true), t->data[0] = 0);
    V2_BAD("v2: module tag size < 16", V2_ONE(v2_module(1, 2, ""), true), t->size = 12);
    V2_BAD("v2: module end below start", V2_ONE(v2_module(0x200000, 0x1ff000, ""), true));
    /* The module's string is the last bytes of memory, without a NUL (so no end tag either). */
    V2_BAD("v2: module string runs off memory", V2_ONE(v2_module(1, 2, "root"), false), used--, v2[0]--, t->size--);
    uint64_t info = V2_ONE(v2_mmap(24, 0), true);
    t->data[0] = 0xfffffff0;
    check_guarded("v2: mmap entry size 0xfffffff0 adds nothing", MB2_BOOT_MAGIC, info, no_entries);
}

int main(void)
{
    test_v1();
    test_v1_dropped();
    test_v2();
    test_v2_malformed();
    CHECK("mem type names",
          !strcmp(multiboot_mem_type_name(MB_MEM_NVS), "acpi-nvs") && !strcmp(multiboot_mem_type_name(42), "unknown"));
    free(mem.buf);
    return check_summary();
}
