/* SPDX-License-Identifier: MIT */
/* Checks an x86-64 ELF executable that a loader copies into fresh pages (pure, host-tested). */

#include "elf_load.h"

#include <format.h>
#include <stdbool.h>

/* ELF64 header and program header offsets (System V ABI). */
#define EH_IDENT_CLASS 4
#define EH_IDENT_DATA  5
#define EH_TYPE        16
#define EH_MACHINE     18
#define EH_ENTRY       24
#define EH_PHOFF       32
#define EH_PHENTSIZE   54
#define EH_PHNUM       56
#define EH_SIZE        64
#define PH_TYPE        0
#define PH_FLAGS       4
#define PH_OFFSET      8
#define PH_VADDR       16
#define PH_FILESZ      32
#define PH_MEMSZ       40
#define PH_SIZE        56

#define ELFCLASS64  2
#define ELFDATA2LSB 1
#define ET_EXEC     2
#define EM_X86_64   62
#define PT_LOAD     1

static uint64_t rd(const uint8_t *p, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static bool is_x86_64_exec(const uint8_t *f, size_t size)
{
    return size >= EH_SIZE && f[0] == 0x7f && f[1] == 'E' && f[2] == 'L' && f[3] == 'F' &&
           f[EH_IDENT_CLASS] == ELFCLASS64 && f[EH_IDENT_DATA] == ELFDATA2LSB && rd(f + EH_TYPE, 2) == ET_EXEC &&
           rd(f + EH_MACHINE, 2) == EM_X86_64;
}

/* Check one PT_LOAD and add it to out; 0, or -1 with the reason in why. */
static int add_segment(const uint8_t *ph, unsigned index, size_t size, uint64_t va_lo, uint64_t va_hi,
                       struct elf_load *out, char *why, size_t whylen)
{
    struct elf_load_segment s = {
        .vaddr = rd(ph + PH_VADDR, 8),
        .memsz = rd(ph + PH_MEMSZ, 8),
        .offset = rd(ph + PH_OFFSET, 8),
        .filesz = rd(ph + PH_FILESZ, 8),
        .flags = (uint32_t)rd(ph + PH_FLAGS, 4),
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
    const uint8_t *f = file;
    *out = (struct elf_load){0};
    if (!is_x86_64_exec(f, size)) {
        snprintf(why, whylen, "not an x86-64 ELF executable");
        return -1;
    }
    uint64_t phoff = rd(f + EH_PHOFF, 8), phentsize = rd(f + EH_PHENTSIZE, 2), phnum = rd(f + EH_PHNUM, 2);
    if (phentsize < PH_SIZE || phoff > size || phnum * phentsize > size - phoff) {
        snprintf(why, whylen, "program headers outside the file (%lu x %lu bytes at %#lx)", phnum, phentsize,
                 phoff);
        return -1;
    }
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = f + phoff + i * phentsize;
        if (rd(ph + PH_TYPE, 4) == PT_LOAD && add_segment(ph, i, size, va_lo, va_hi, out, why, whylen))
            return -1;
    }
    if (out->nseg == 0) {
        snprintf(why, whylen, "no loadable segment");
        return -1;
    }
    out->entry = rd(f + EH_ENTRY, 8);
    for (unsigned j = 0; j < out->nseg; j++) {
        const struct elf_load_segment *s = &out->seg[j];
        if ((s->flags & ELF_LOAD_PF_X) && out->entry >= s->vaddr && out->entry - s->vaddr < s->memsz)
            return 0;
    }
    snprintf(why, whylen, "entry point %#lx is not in an executable segment", out->entry);
    return -1;
}
