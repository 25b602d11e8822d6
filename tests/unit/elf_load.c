/* SPDX-License-Identifier: MIT */
/* Host test of lib/elf_load.c: checks of the executables the root task starts as clients. */

#include <elf_load.h>

#include <stdio.h>
#include <string.h>

#include "check.h"

#define LO 0x400000ull
#define HI 0x100000000000ull
#define MAX_PH 12
#define FILE_SIZE 0x2000

/* A little ELF64 image: header, up to MAX_PH program headers, then file data. */
static uint8_t file[FILE_SIZE];
static struct elf_load img;
static char why[256];

static void put(size_t off, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++)
        file[off + i] = (uint8_t)(v >> (8 * i));
}

static void phdr(unsigned i, uint32_t type, uint32_t flags, uint64_t off, uint64_t va, uint64_t filesz,
                 uint64_t memsz)
{
    size_t p = 64 + i * 56;
    put(p, type, 4);
    put(p + 4, flags, 4);
    put(p + 8, off, 8);
    put(p + 16, va, 8);
    put(p + 32, filesz, 8);
    put(p + 40, memsz, 8);
    if (file[56] <= i)
        put(56, i + 1, 2); /* e_phnum */
}

/* Text (R X) at 0x400000 with the entry, data (R W) with bss at 0x401000. */
static void good(void)
{
    memset(file, 0, sizeof(file));
    memcpy(file, "\x7f" "ELF\x02\x01\x01", 7);
    put(16, 2, 2);              /* ET_EXEC */
    put(18, 62, 2);             /* EM_X86_64 */
    put(24, 0x400010, 8);       /* e_entry */
    put(32, 64, 8);             /* e_phoff */
    put(54, 56, 2);             /* e_phentsize */
    phdr(0, 1, 5, 0x1000, 0x400000, 0x100, 0x100);
    phdr(1, 1, 6, 0x1100, 0x401100, 0x10, 0x3000);
}

static int check(void)
{
    why[0] = '\0';
    return elf_load_check(file, sizeof(file), LO, HI, &img, why, sizeof(why));
}

static void cases_good(void)
{
    good();
    CHECK_EQ("good_loads", check(), 0);
    CHECK_EQ("good_entry", img.entry, 0x400010);
    CHECK_EQ("good_segments", img.nseg, 2);
    CHECK("good_text", img.seg[0].vaddr == 0x400000 && img.seg[0].memsz == 0x100 && img.seg[0].offset == 0x1000 &&
                           img.seg[0].flags == (ELF_LOAD_PF_R | ELF_LOAD_PF_X));
    CHECK("good_data_with_bss", img.seg[1].filesz == 0x10 && img.seg[1].memsz == 0x3000 && img.seg[1].index == 1);
    CHECK_EQ("good_data_first_page", elf_load_first(&img.seg[1]), 0x401000);
    CHECK_EQ("good_data_end_page", elf_load_end(&img.seg[1]), 0x405000);

    phdr(2, 4, 4, 0x1200, 0, 0x20, 0x20);             /* PT_NOTE */
    phdr(3, 1, 6, 0x1200, 0x400000, 0, 0);            /* empty PT_LOAD */
    CHECK("good_other_types_and_empty_ignored", check() == 0 && img.nseg == 2);
}

static void expect(const char *name, const char *message)
{
    int r = check();
    CHECK_STR(name, r == -1 ? why : "(accepted)", message);
}

static void cases_not_x86_64(void)
{
    const char *msg = "not an x86-64 ELF executable";
    good(), file[0] = 0x7e, expect("bad_magic", msg);
    good(), file[4] = 1, expect("elf32", msg);
    good(), file[5] = 2, expect("big_endian", msg);
    good(), put(16, 3, 2), expect("et_dyn", msg);
    good(), put(18, 183, 2), expect("aarch64", msg);
    good();
    CHECK("too_short", elf_load_check(file, 63, LO, HI, &img, why, sizeof(why)) == -1);
}

static void cases_bad(void)
{
    good(), put(32, FILE_SIZE - 100, 8);
    expect("phdrs_beyond_file", "program headers outside the file (2 x 56 bytes at 0x1f9c)");
    good(), put(54, 32, 2);
    expect("phentsize_too_small", "program headers outside the file (2 x 32 bytes at 0x40)");
    good(), phdr(1, 1, 6, 0x1100, 0x401100, 0x20, 0x10);
    expect("filesz_over_memsz", "segment 1: p_filesz 0x20 > p_memsz 0x10");
    good(), phdr(1, 1, 6, 0x1f00, 0x401100, 0x200, 0x200);
    expect("data_beyond_file", "segment 1: file bytes 0x1f00+0x200 beyond the end of the file (0x2000 bytes)");
    good(), phdr(1, 1, 6, 0xffffffffffffff00ull, 0x401100, 0x200, 0x200);
    expect("offset_wraps", "segment 1: file bytes 0xffffffffffffff00+0x200 beyond the end of the file (0x2000 bytes)");
    good(), phdr(1, 1, 6, 0x1100, 0x3ff000, 0x10, 0x10);
    expect("below_range", "segment 1: 0x3ff000+0x10 outside [0x400000-0x100000000000)");
    good(), phdr(1, 1, 6, 0x1100, HI - 0x1000, 0x10, 0x2000);
    expect("beyond_range", "segment 1: 0xffffffff000+0x2000 outside [0x400000-0x100000000000)");
    good(), phdr(1, 1, 6, 0x1100, 0x400000000000ull, 0x10, 0x10);
    expect("far_above", "segment 1: 0x400000000000+0x10 outside [0x400000-0x100000000000)");
    good(), phdr(1, 1, 6, 0x1100, 0x400800, 0x10, 0x10);
    expect("shared_page", "segment 1 shares a page with segment 0");
    good(), phdr(0, 4, 5, 0x1000, 0x400000, 0x100, 0x100), phdr(1, 4, 6, 0x1100, 0x401100, 0x10, 0x10);
    expect("no_load", "no loadable segment");
    good();
    for (unsigned i = 0; i < 9; i++)
        phdr(i, 1, 5, 0x1000, 0x400000 + i * 0x1000, 0x10, 0x10);
    expect("too_many_segments", "more than 8 loadable segments");
    good(), put(24, 0x401100, 8);
    expect("entry_in_data", "entry point 0x401100 is not in an executable segment");
    good(), put(24, 0x400100, 8);
    expect("entry_past_text", "entry point 0x400100 is not in an executable segment");
}

int main(void)
{
    cases_good();
    cases_not_x86_64();
    cases_bad();
    return check_summary();
}
