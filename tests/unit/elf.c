/* SPDX-License-Identifier: MIT */
/* Host test of hypervisor/core/elf.c: root-task images built in memory, and the real build/root.elf. */

#include "core/elf.h"

#include <errno.h>
#include <nova/hip.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define USER_END 0x7fffffffe000ull /* what the kernel passes: below the root's UTCB and the HIP */
#define R        ELF_PF_R
#define W        ELF_PF_W
#define X        ELF_PF_X

/* ELF64 file and program headers (System V ABI), as a linker writes them. */
struct ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};
_Static_assert(sizeof(struct ehdr) == 64 && sizeof(struct phdr) == 56, "ELF64 layout");
_Static_assert(USER_END == NOVA_ROOT_UTCB_VADDR, "user_end is the root UTCB address");

enum { PT_LOAD = 1, PT_NOTE = 4, PT_GNU_STACK = 0x6474e551, ET_REL = 1, ET_EXEC = 2, ET_DYN = 3 };
enum { EM_386 = 3, EM_X86_64 = 62, EM_AARCH64 = 183 };

static union {
    struct ehdr eh;
    uint8_t b[0x5000];
} img;
static struct phdr *const ph = (struct phdr *)(img.b + sizeof(struct ehdr));
static struct elf_image out;

static void phdr(unsigned i, uint32_t type, uint32_t flags, uint64_t offset, uint64_t vaddr, uint64_t size)
{
    ph[i] = (struct phdr){type, flags, offset, vaddr, vaddr, size, size, 0x1000};
}

/* A good image of 0x4000 bytes: text (R+X, 0x1800 bytes at 0x401000 from file offset 0x1000) and
   data (R+W, 0x800 bytes at 0x403000 from 0x3000), with a NOTE (garbage fields) and GNU_STACK
   header in between that must be skipped. Returns the file size. */
static size_t good(void)
{
    memset(&img, 0, sizeof(img));
    img.eh = (struct ehdr){.ident = {0x7f, 'E', 'L', 'F', 2, 1, 1},
                           .type = ET_EXEC,
                           .machine = EM_X86_64,
                           .version = 1,
                           .entry = 0x401010,
                           .phoff = 64,
                           .ehsize = 64,
                           .phentsize = 56,
                           .phnum = 4};
    phdr(0, PT_LOAD, R | X, 0x1000, 0x401000, 0x1800);
    ph[1] = (struct phdr){PT_NOTE, R, 0x999999, 0x123, 0, 0x10, 0x20, 3};
    phdr(2, PT_LOAD, R | W, 0x3000, 0x403000, 0x800);
    phdr(3, PT_GNU_STACK, R | W, 0, 0, 0);
    memset(img.b + 0x1000, 0x90, 0x1800);
    memset(img.b + 0x3000, 0x55, 0x800);
    return 0x4000;
}

/* Check the first `size` bytes of img, copied to a heap block of exactly that size so that
   AddressSanitizer catches any read past the end of the module. */
static enum elf_status check_elf(size_t size)
{
    void *file = memcpy(malloc(size ? size : 1), img.b, size);
    enum elf_status s = elf_check_root(file, size, USER_END, &out);
    free(file);
    return s;
}

/* Build the good image, change it with the statements that follow, expect status `want`. */
#define EXPECT(name, want, ...)                                                                                        \
    do {                                                                                                               \
        size_t size_ = good();                                                                                         \
        __VA_ARGS__;                                                                                                   \
        CHECK_EQ(name, check_elf(size_), want);                                                                        \
    } while (0)

static bool seg_is(unsigned i, uint64_t vaddr, uint64_t offset, uint64_t size, uint32_t flags)
{
    const struct elf_segment *s = &out.seg[i];
    return i < out.nseg && s->vaddr == vaddr && s->offset == offset && s->size == size && s->flags == flags;
}

static void test_good(void)
{
    CHECK_EQ("good: ELF_OK", check_elf(good()), ELF_OK);
    CHECK_EQ("good: entry", out.entry, 0x401010);
    CHECK_EQ("good: nseg (NOTE and GNU_STACK skipped)", out.nseg, 2);
    CHECK("good: text segment", seg_is(0, 0x401000, 0x1000, 0x1800, R | X));
    CHECK("good: data segment", seg_is(1, 0x403000, 0x3000, 0x800, R | W));
    EXPECT("entry at the first byte of text", ELF_OK, img.eh.entry = 0x401000);
    EXPECT("entry at the last byte of text", ELF_OK, img.eh.entry = 0x4027ff);
    EXPECT("segment ending at the end of the file", ELF_OK, ph[2].filesz = ph[2].memsz = 0x1000);
    EXPECT("vaddr and offset in different pages, same page offset", ELF_OK, ph[2].vaddr = 0x7000000);
    EXPECT("segment ending at user_end", ELF_OK, phdr(2, PT_LOAD, R, 0x3000, USER_END - 0x1000, 0x1000));
    EXPECT("empty PT_LOAD ignored", ELF_OK, phdr(3, PT_LOAD, R, 0x1000, 0x401000, 0));
    EXPECT("phentsize 64", ELF_OK, img.eh.phentsize = 64, img.eh.phnum = 2,
           memmove(img.b + 64 + 64, &ph[2], sizeof(*ph)));
}

static void test_header(void)
{
    EXPECT("ELF32", ELF_NOT_X86_64_EXEC, img.eh.ident[4] = 1);
    EXPECT("big-endian", ELF_NOT_X86_64_EXEC, img.eh.ident[5] = 2);
    EXPECT("bad magic", ELF_NOT_X86_64_EXEC, img.eh.ident[1] = 'e');
    EXPECT("machine EM_386", ELF_NOT_X86_64_EXEC, img.eh.machine = EM_386);
    EXPECT("machine EM_AARCH64", ELF_NOT_X86_64_EXEC, img.eh.machine = EM_AARCH64);
    EXPECT("ET_DYN", ELF_NOT_X86_64_EXEC, img.eh.type = ET_DYN);
    EXPECT("ET_REL", ELF_NOT_X86_64_EXEC, img.eh.type = ET_REL);
    EXPECT("truncated inside the ELF header", ELF_NOT_X86_64_EXEC, size_ = 63);
    EXPECT("empty file", ELF_NOT_X86_64_EXEC, size_ = 0);
    EXPECT("truncated inside the program headers", ELF_BAD_PHDRS, size_ = 64 + 4 * 56 - 1);
    EXPECT("phoff past the end of the file", ELF_BAD_PHDRS, img.eh.phoff = 0x10000);
    EXPECT("phoff near 2^64", ELF_BAD_PHDRS, img.eh.phoff = ~0ull - 8);
    EXPECT("phnum 0xffff", ELF_BAD_PHDRS, img.eh.phnum = 0xffff);
    EXPECT("phentsize < 56", ELF_BAD_PHDRS, img.eh.phentsize = 32);
    EXPECT("phnum 0", ELF_NO_SEGMENTS, img.eh.phnum = 0);
}

static void test_segments(void)
{
    EXPECT("p_filesz != p_memsz", ELF_SEG_SIZE_MISMATCH, ph[2].memsz = 0x1000);
    CHECK("p_filesz != p_memsz: bad_seg, bad_a, bad_b", out.bad_seg == 2 && out.bad_a == 0x800 && out.bad_b == 0x1000);
    EXPECT("segment one byte past the file", ELF_SEG_OUTSIDE_FILE, ph[2].filesz = ph[2].memsz = 0x1001);
    CHECK("segment past the file: bad_seg", out.bad_seg == 2 && out.bad_a == 0x3000 && out.bad_b == 0x1001);
    EXPECT("segment offset past the file", ELF_SEG_OUTSIDE_FILE, ph[0].offset = 0x5000, ph[0].vaddr = 0x405000);
    EXPECT("offset + size wraps", ELF_SEG_OUTSIDE_FILE, ph[2].filesz = ph[2].memsz = ~0ull - 0x1000);
    EXPECT("vaddr and offset differ mod 4 KiB", ELF_SEG_MISALIGNED, ph[2].vaddr = 0x403008);
    CHECK("misaligned: bad_a = vaddr, bad_b = offset",
          out.bad_seg == 2 && out.bad_a == 0x403008 && out.bad_b == 0x3000);
    EXPECT("segment crossing user_end", ELF_SEG_BAD_RANGE, ph[0].vaddr = USER_END - 0x1000);
    CHECK("crossing user_end: bad_seg, bad_a", out.bad_seg == 0 && out.bad_a == USER_END - 0x1000);
    EXPECT("segment at user_end", ELF_SEG_BAD_RANGE, ph[2].vaddr = USER_END);
    EXPECT("segment in kernel space", ELF_SEG_BAD_RANGE, ph[2].vaddr = 0xffffffff80003000);
    EXPECT("segment at 2^64 - 4 KiB", ELF_SEG_BAD_RANGE, ph[2].vaddr = 0xfffffffffffff000);
    EXPECT("overlapping segments", ELF_SEG_OVERLAP, ph[2].vaddr = 0x402000);
    CHECK("overlap: bad_a, bad_b = the two vaddrs", out.bad_seg == 2 && out.bad_a == 0x402000 && out.bad_b == 0x401000);
    EXPECT("segments sharing a page", ELF_SEG_OVERLAP, phdr(2, PT_LOAD, R | W, 0x2800, 0x402800, 0x800));
    EXPECT("no PT_LOAD", ELF_NO_SEGMENTS, ph[0].type = ph[2].type = PT_NOTE);
    EXPECT("only empty PT_LOADs", ELF_NO_SEGMENTS, ph[0].filesz = ph[0].memsz = ph[2].filesz = ph[2].memsz = 0);
    EXPECT("entry in a non-executable segment", ELF_BAD_ENTRY, img.eh.entry = 0x403010);
    CHECK_EQ("bad entry: bad_a = entry", out.bad_a, 0x403010);
    EXPECT("entry just past text", ELF_BAD_ENTRY, img.eh.entry = 0x402800);
    EXPECT("entry below text", ELF_BAD_ENTRY, img.eh.entry = 0x400fff);
    EXPECT("entry 0", ELF_BAD_ENTRY, img.eh.entry = 0);
}

/* n one-page PT_LOAD segments of 0x100 bytes each; the first is executable and holds the entry. */
static size_t many(unsigned n)
{
    size_t size = good();
    img.eh.phnum = (uint16_t)n;
    for (unsigned i = 0; i < n; i++)
        phdr(i, PT_LOAD, i ? R : R | X, 0x1000 + 0x100 * i, 0x401000 + 0x1100 * i, 0x100);
    img.eh.entry = 0x401000;
    return size;
}

static void test_many(void)
{
    CHECK_EQ("ELF_MAX_SEGMENTS segments", check_elf(many(ELF_MAX_SEGMENTS)), ELF_OK);
    CHECK("ELF_MAX_SEGMENTS segments: all described",
          out.nseg == ELF_MAX_SEGMENTS &&
              seg_is(ELF_MAX_SEGMENTS - 1, 0x401000 + 0x1100 * 15, 0x1000 + 0x100 * 15, 0x100, R));
    CHECK_EQ("ELF_MAX_SEGMENTS + 1 segments", check_elf(many(ELF_MAX_SEGMENTS + 1)), ELF_NO_SEGMENTS);
}

/* The root task the build produces must pass the kernel's check. */
static void test_root_elf(const char *path)
{
    FILE *f = fopen(path, "rb");
    long size = -1;
    if (f && fseek(f, 0, SEEK_END) == 0)
        size = ftell(f);
    if (!f || size <= 0 || fseek(f, 0, SEEK_SET)) {
        check_begin(false, "root.elf readable");
        printf("cannot read %s: %s (built by 'make build/root.elf')\n", path, f ? "empty" : strerror(errno));
        if (f)
            fclose(f);
        return;
    }
    void *file = malloc((size_t)size);
    bool read_ok = fread(file, 1, (size_t)size, f) == (size_t)size;
    fclose(f);
    CHECK("root.elf readable", read_ok);
    enum elf_status s = elf_check_root(file, (size_t)size, USER_END, &out);
    if (!check_begin(s == ELF_OK, "root.elf: ELF_OK with user_end 0x7fffffffe000"))
        printf("status %d, segment %u, %#llx / %#llx\n", s, out.bad_seg, (unsigned long long)out.bad_a,
               (unsigned long long)out.bad_b);
    CHECK("root.elf: has an entry and segments", out.entry != 0 && out.nseg >= 1);
    free(file);
}

int main(int argc, char **argv)
{
    test_good();
    test_header();
    test_segments();
    test_many();
    test_root_elf(argc > 1 ? argv[1] : "build/root.elf");
    return check_summary();
}
