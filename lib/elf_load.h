/* SPDX-License-Identifier: MIT */
/* Checks an x86-64 ELF executable that a loader copies into fresh pages (pure, host-tested). */
#pragma once

#include "elf64.h"

#include <stddef.h>
#include <stdint.h>

#define ELF_LOAD_MAX_SEGMENTS 8
#define ELF_LOAD_PF_X ELF64_PF_X
#define ELF_LOAD_PF_W ELF64_PF_W
#define ELF_LOAD_PF_R ELF64_PF_R
#define ELF_LOAD_PAGE 4096ull

struct elf_load_segment {
    uint64_t vaddr, memsz;      /* memsz > 0 */
    uint64_t offset, filesz;    /* file bytes copied to vaddr; the rest up to memsz is zero */
    uint32_t flags;             /* ELF_LOAD_PF_* */
    unsigned index;             /* of the program header */
};

struct elf_load {
    uint64_t entry;
    unsigned nseg;
    struct elf_load_segment seg[ELF_LOAD_MAX_SEGMENTS];
};

/* Check file (size bytes): ELF64, little-endian, x86-64, ET_EXEC; every PT_LOAD with its file
   bytes inside the file, p_filesz <= p_memsz, its pages inside [va_lo, va_hi) (page-aligned) and
   shared with no other segment; the entry point in an executable segment. Returns 0 and fills
   *out, or -1 with a one-line reason in why. */
int elf_load_check(const void *file, size_t size, uint64_t va_lo, uint64_t va_hi, struct elf_load *out, char *why,
                   size_t whylen);

/* The pages of a segment: [elf_load_first(s), elf_load_end(s)). */
static inline uint64_t elf_load_first(const struct elf_load_segment *s)
{
    return s->vaddr & ~(ELF_LOAD_PAGE - 1);
}

static inline uint64_t elf_load_end(const struct elf_load_segment *s)
{
    return (s->vaddr + s->memsz + ELF_LOAD_PAGE - 1) & ~(ELF_LOAD_PAGE - 1);
}
