/* SPDX-License-Identifier: MIT */
/* Validation of the root task's ELF image (spec 6.2.1): executable x86-64, mappable in place. */

#include "core/elf.h"

#include <stdbool.h>

/* ELF64 header and program header offsets (System V ABI). */
#define EH_IDENT_CLASS   4
#define EH_IDENT_DATA    5
#define EH_TYPE          16
#define EH_MACHINE       18
#define EH_ENTRY         24
#define EH_PHOFF         32
#define EH_PHENTSIZE     54
#define EH_PHNUM         56
#define EH_SIZE          64
#define PH_TYPE          0
#define PH_FLAGS         4
#define PH_OFFSET        8
#define PH_VADDR         16
#define PH_FILESZ        32
#define PH_MEMSZ         40
#define PH_SIZE          56

#define ELFCLASS64       2
#define ELFDATA2LSB      1
#define ET_EXEC          2
#define EM_X86_64        62
#define PT_LOAD          1
#define PAGE_MASK        0xfffull

static uint64_t rd(const uint8_t *p, size_t off, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++)
        v |= (uint64_t)p[off + i] << (8 * i);
    return v;
}

static enum elf_status fail(struct elf_image *out, enum elf_status s, unsigned seg, uint64_t a, uint64_t b)
{
    out->bad_seg = seg;
    out->bad_a = a;
    out->bad_b = b;
    return s;
}

static bool pages_overlap(const struct elf_segment *x, const struct elf_segment *y)
{
    uint64_t xs = x->vaddr & ~PAGE_MASK, xe = (x->vaddr + x->size + PAGE_MASK) & ~PAGE_MASK;
    uint64_t ys = y->vaddr & ~PAGE_MASK, ye = (y->vaddr + y->size + PAGE_MASK) & ~PAGE_MASK;
    return xs < ye && ys < xe;
}

static enum elf_status check_segment(const uint8_t *ph, unsigned i, size_t size, uint64_t user_end,
                                     struct elf_image *out)
{
    uint64_t off = rd(ph, PH_OFFSET, 8), va = rd(ph, PH_VADDR, 8);
    uint64_t filesz = rd(ph, PH_FILESZ, 8), memsz = rd(ph, PH_MEMSZ, 8);

    if (filesz != memsz)
        return fail(out, ELF_SEG_SIZE_MISMATCH, i, filesz, memsz);
    if (off > size || filesz > size - off)
        return fail(out, ELF_SEG_OUTSIDE_FILE, i, off, filesz);
    if ((va & PAGE_MASK) != (off & PAGE_MASK))
        return fail(out, ELF_SEG_MISALIGNED, i, va, off);
    if (va >= user_end || memsz > user_end - va)
        return fail(out, ELF_SEG_BAD_RANGE, i, va, memsz);
    if (memsz == 0)
        return ELF_OK;
    if (out->nseg == ELF_MAX_SEGMENTS)
        return fail(out, ELF_NO_SEGMENTS, i, 0, 0);

    struct elf_segment s = {va, off, memsz, (uint32_t)rd(ph, PH_FLAGS, 4)};
    for (unsigned j = 0; j < out->nseg; j++)
        if (pages_overlap(&s, &out->seg[j]))
            return fail(out, ELF_SEG_OVERLAP, i, va, out->seg[j].vaddr);
    out->seg[out->nseg++] = s;
    return ELF_OK;
}

enum elf_status elf_check_root(const void *file, size_t size, uint64_t user_end, struct elf_image *out)
{
    const uint8_t *f = file;
    *out = (struct elf_image){0};

    if (size < EH_SIZE || f[0] != 0x7f || f[1] != 'E' || f[2] != 'L' || f[3] != 'F' ||
        f[EH_IDENT_CLASS] != ELFCLASS64 || f[EH_IDENT_DATA] != ELFDATA2LSB || rd(f, EH_TYPE, 2) != ET_EXEC ||
        rd(f, EH_MACHINE, 2) != EM_X86_64)
        return ELF_NOT_X86_64_EXEC;

    uint64_t phoff = rd(f, EH_PHOFF, 8), phentsize = rd(f, EH_PHENTSIZE, 2), phnum = rd(f, EH_PHNUM, 2);
    if (phentsize < PH_SIZE || phoff > size || phnum * phentsize > size - phoff)
        return fail(out, ELF_BAD_PHDRS, 0, phoff, phnum);

    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = f + phoff + i * phentsize;
        if (rd(ph, PH_TYPE, 4) != PT_LOAD)
            continue;
        enum elf_status s = check_segment(ph, i, size, user_end, out);
        if (s != ELF_OK)
            return s;
    }
    if (out->nseg == 0)
        return ELF_NO_SEGMENTS;

    out->entry = rd(f, EH_ENTRY, 8);
    for (unsigned j = 0; j < out->nseg; j++) {
        const struct elf_segment *s = &out->seg[j];
        if ((s->flags & ELF_PF_X) && out->entry >= s->vaddr && out->entry - s->vaddr < s->size)
            return ELF_OK;
    }
    return fail(out, ELF_BAD_ENTRY, 0, out->entry, 0);
}
