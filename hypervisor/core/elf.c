/* SPDX-License-Identifier: MIT */
/* Validation of the root task's ELF image (spec 6.2.1): executable x86-64, mappable in place. */

#include "core/elf.h"

#include <stdbool.h>

#define PAGE_MASK 0xfffull

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

static enum elf_status check_segment(const struct elf64_phdr *ph, unsigned i, size_t size, uint64_t user_end,
                                     struct elf_image *out)
{
    uint64_t off = ph->offset, va = ph->vaddr, filesz = ph->filesz, memsz = ph->memsz;

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

    struct elf_segment s = {va, off, memsz, ph->flags};
    for (unsigned j = 0; j < out->nseg; j++)
        if (pages_overlap(&s, &out->seg[j]))
            return fail(out, ELF_SEG_OVERLAP, i, va, out->seg[j].vaddr);
    out->seg[out->nseg++] = s;
    return ELF_OK;
}

enum elf_status elf_check_root(const void *file, size_t size, uint64_t user_end, struct elf_image *out)
{
    struct elf64_table t;
    *out = (struct elf_image){0};
    switch (elf64_open(file, size, &t)) {
    case ELF64_OK: break;
    case ELF64_NOT_X86_64_EXEC: return ELF_NOT_X86_64_EXEC;
    default: return fail(out, ELF_BAD_PHDRS, 0, t.phoff, t.phnum);
    }
    for (unsigned i = 0; i < t.phnum; i++) {
        struct elf64_phdr ph;
        elf64_phdr(&t, i, &ph);
        if (ph.type != ELF64_PT_LOAD)
            continue;
        enum elf_status s = check_segment(&ph, i, size, user_end, out);
        if (s != ELF_OK)
            return s;
    }
    if (out->nseg == 0)
        return ELF_NO_SEGMENTS;

    out->entry = t.entry;
    for (unsigned j = 0; j < out->nseg; j++) {
        const struct elf_segment *s = &out->seg[j];
        if ((s->flags & ELF_PF_X) && out->entry >= s->vaddr && out->entry - s->vaddr < s->size)
            return ELF_OK;
    }
    return fail(out, ELF_BAD_ENTRY, 0, out->entry, 0);
}
