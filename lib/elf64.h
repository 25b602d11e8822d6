/* SPDX-License-Identifier: MIT */
/* Reading x86-64 ELF executables (System V ABI): the header checks and program headers that the
   hypervisor's root-image check and the root task's client loader share. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ELF64_PT_LOAD 1
#define ELF64_PF_X    1
#define ELF64_PF_W    2
#define ELF64_PF_R    4

struct elf64_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, filesz, memsz;
};

/* Where the program headers of a checked file are. */
struct elf64_table {
    const uint8_t *file;
    uint64_t phoff, phentsize, phnum, entry;
};

enum elf64_status {
    ELF64_OK = 0,
    ELF64_NOT_X86_64_EXEC,  /* not ELF64, little-endian, x86-64, ET_EXEC */
    ELF64_BAD_PHDRS,        /* the program header table is malformed or outside the file */
};

/* Check the ELF header of file (size bytes) and find its program header table. */
enum elf64_status elf64_open(const void *file, size_t size, struct elf64_table *t);
/* Program header i (< t->phnum) of an opened file. */
void elf64_phdr(const struct elf64_table *t, unsigned i, struct elf64_phdr *ph);
