/* SPDX-License-Identifier: MIT */
/* Validation of the root task's ELF image (spec 6.2.1): executable x86-64, mappable in place. */
#pragma once

#include <elf64.h>
#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGMENTS 16
#define ELF_PF_X ELF64_PF_X
#define ELF_PF_W ELF64_PF_W
#define ELF_PF_R ELF64_PF_R

enum elf_status {
    ELF_OK = 0,
    ELF_NOT_X86_64_EXEC,    /* not ELF64, little-endian, x86-64, ET_EXEC */
    ELF_BAD_PHDRS,          /* program header table malformed or outside the file */
    ELF_SEG_SIZE_MISMATCH,  /* p_filesz != p_memsz */
    ELF_SEG_OUTSIDE_FILE,   /* segment data beyond the end of the module */
    ELF_SEG_MISALIGNED,     /* p_vaddr and p_offset differ modulo the page size */
    ELF_SEG_BAD_RANGE,      /* segment outside user space or over the UTCB/HIP pages */
    ELF_SEG_OVERLAP,        /* two segments claim the same virtual page */
    ELF_NO_SEGMENTS,        /* nothing to load, or more than ELF_MAX_SEGMENTS */
    ELF_BAD_ENTRY,          /* entry point not inside an executable segment */
};

struct elf_segment {
    uint64_t vaddr, offset, size;
    uint32_t flags;         /* ELF_PF_* */
};

struct elf_image {
    uint64_t entry;
    unsigned nseg;
    struct elf_segment seg[ELF_MAX_SEGMENTS];
    /* On failure: which segment, and the two values that disagree. */
    unsigned bad_seg;
    uint64_t bad_a, bad_b;
};

/* Check a module of `size` bytes and describe its loadable segments; `user_end` is the first
   virtual address the segments must stay below. */
enum elf_status elf_check_root(const void *file, size_t size, uint64_t user_end, struct elf_image *out);
