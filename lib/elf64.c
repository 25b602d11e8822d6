/* SPDX-License-Identifier: MIT */
/* Reading x86-64 ELF executables: header checks and program headers (pure, host-tested). */

#include "elf64.h"

/* ELF64 header and program header offsets. */
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

static uint64_t rd(const uint8_t *p, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

enum elf64_status elf64_open(const void *file, size_t size, struct elf64_table *t)
{
    const uint8_t *f = file;
    *t = (struct elf64_table){.file = f};
    if (size < EH_SIZE || f[0] != 0x7f || f[1] != 'E' || f[2] != 'L' || f[3] != 'F' ||
        f[EH_IDENT_CLASS] != ELFCLASS64 || f[EH_IDENT_DATA] != ELFDATA2LSB || rd(f + EH_TYPE, 2) != ET_EXEC ||
        rd(f + EH_MACHINE, 2) != EM_X86_64)
        return ELF64_NOT_X86_64_EXEC;
    t->phoff = rd(f + EH_PHOFF, 8);
    t->phentsize = rd(f + EH_PHENTSIZE, 2);
    t->phnum = rd(f + EH_PHNUM, 2);
    t->entry = rd(f + EH_ENTRY, 8);
    if (t->phentsize < PH_SIZE || t->phoff > size || t->phnum * t->phentsize > size - t->phoff)
        return ELF64_BAD_PHDRS;
    return ELF64_OK;
}

void elf64_phdr(const struct elf64_table *t, unsigned i, struct elf64_phdr *ph)
{
    const uint8_t *p = t->file + t->phoff + i * t->phentsize;
    *ph = (struct elf64_phdr){
        .type = (uint32_t)rd(p + PH_TYPE, 4),
        .flags = (uint32_t)rd(p + PH_FLAGS, 4),
        .offset = rd(p + PH_OFFSET, 8),
        .vaddr = rd(p + PH_VADDR, 8),
        .filesz = rd(p + PH_FILESZ, 8),
        .memsz = rd(p + PH_MEMSZ, 8),
    };
}
