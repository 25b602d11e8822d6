/* SPDX-License-Identifier: MIT */
/* Checks an x86-64 ELF executable that a loader copies into fresh pages (pure, host-tested). */

#include "elf_load.h"

#include <format.h>
#include <stdbool.h>

/* Check one PT_LOAD and add it to out; 0, or -1 with the reason in why. */
static int add_segment(const struct elf64_phdr *ph, unsigned index, size_t size, uint64_t va_lo, uint64_t va_hi,
                       struct elf_load *out, char *why, size_t whylen)
{
    struct elf_load_segment s = {
        .vaddr = ph->vaddr,
        .memsz = ph->memsz,
        .offset = ph->offset,
        .filesz = ph->filesz,
        .flags = ph->flags,
        .index = index,
    };
    if (s.filesz > s.memsz) {
        snprintf(why, whylen, "segment %u: p_filesz %#lx > p_memsz %#lx", index, s.filesz, s.memsz);
        return -1;
    }
    if (s.offset > size || s.filesz > size - s.offset) {
        snprintf(why, whylen, "segment %u: file bytes %#lx+%#lx beyond the end of the file (%#zx bytes)", index,
                 s.offset, s.filesz, size);
        return -1;
    }
    if (s.memsz == 0)
        return 0;
    if (s.vaddr < va_lo || s.vaddr >= va_hi || s.memsz > va_hi - s.vaddr) {
        snprintf(why, whylen, "segment %u: %#lx+%#lx outside [%#lx-%#lx)", index, s.vaddr, s.memsz, va_lo, va_hi);
        return -1;
    }
    for (unsigned j = 0; j < out->nseg; j++) {
        const struct elf_load_segment *o = &out->seg[j];
        if (elf_load_first(&s) < elf_load_end(o) && elf_load_first(o) < elf_load_end(&s)) {
            snprintf(why, whylen, "segment %u shares a page with segment %u", index, o->index);
            return -1;
        }
    }
    if (out->nseg == ELF_LOAD_MAX_SEGMENTS) {
        snprintf(why, whylen, "more than %u loadable segments", ELF_LOAD_MAX_SEGMENTS);
        return -1;
    }
    out->seg[out->nseg++] = s;
    return 0;
}

int elf_load_check(const void *file, size_t size, uint64_t va_lo, uint64_t va_hi, struct elf_load *out, char *why,
                   size_t whylen)
{
    struct elf64_table t;
    *out = (struct elf_load){0};
    switch (elf64_open(file, size, &t)) {
    case ELF64_OK:
        break;
    case ELF64_NOT_X86_64_EXEC:
        snprintf(why, whylen, "not an x86-64 ELF executable");
        return -1;
    default:
        snprintf(why, whylen, "program headers outside the file (%lu x %lu bytes at %#lx)", t.phnum, t.phentsize,
                 t.phoff);
        return -1;
    }
    for (unsigned i = 0; i < t.phnum; i++) {
        struct elf64_phdr ph;
        elf64_phdr(&t, i, &ph);
        if (ph.type == ELF64_PT_LOAD && add_segment(&ph, i, size, va_lo, va_hi, out, why, whylen))
            return -1;
    }
    if (out->nseg == 0) {
        snprintf(why, whylen, "no loadable segment");
        return -1;
    }
    out->entry = t.entry;
    for (unsigned j = 0; j < out->nseg; j++) {
        const struct elf_load_segment *s = &out->seg[j];
        if ((s->flags & ELF_LOAD_PF_X) && out->entry >= s->vaddr && out->entry - s->vaddr < s->memsz)
            return 0;
    }
    snprintf(why, whylen, "entry point %#lx is not in an executable segment", out->entry);
    return -1;
}
