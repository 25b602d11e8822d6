# SPDX-License-Identifier: MIT
"""Helpers for the boot tests: parse the serial log and build (broken) ELF64 root modules."""

import re
import struct

HIP_SIGNATURE = 0x41564F4E  # "NOVA"
HIP_LENGTH = 0x80

MODULE_LINE = re.compile(r"^root: module (\d+) \[0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+)\)(?: (.*))?$")
MEM_LINE = re.compile(r"^root: mem \[0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+)\) type (\d+)(?: (.*))?$")
MEMORY_AVAILABLE = 1  # multiboot memory-map type of usable RAM


def lines_of(text):
    return [line.rstrip() for line in text.split("\n")]


def hip_pairs_text(text, who):
    """The `<pairs>` text of the single `<who>: hip <pairs>` line."""
    found = [line[len(who) + 6 :] for line in lines_of(text) if line.startswith(f"{who}: hip ")]
    found = [pairs for pairs in found if "=" in pairs]  # not "checksum ok"
    assert len(found) == 1, f"expected one '{who}: hip <pairs>' line, found {len(found)}"
    return found[0]


def parse_pairs(pairs):
    """`a=1 b=0x2-0x3` -> {"a": "1", "b": "0x2-0x3"}; every word must be a key=value pair."""
    result = {}
    for word in pairs.split():
        key, sep, value = word.partition("=")
        assert sep and key and value, f"malformed HIP pair {word!r} in {pairs!r}"
        assert key not in result, f"HIP key {key!r} twice in {pairs!r}"
        result[key] = value
    return result


def parse_range(value):
    """`0x1000-0x2000` -> (0x1000, 0x2000)."""
    low, sep, high = value.partition("-")
    assert sep, f"not a range: {value!r}"
    return int(low, 16), int(high, 16)


def modules(text):
    """[(index, start, end, cmdline)] from the root task's `root: module` lines."""
    out = []
    for line in lines_of(text):
        m = MODULE_LINE.match(line)
        if m:
            out.append((int(m[1]), int(m[2], 16), int(m[3], 16), m[4] or ""))
    return out


def memory_map(text):
    """[(start, end, type, name)] from the root task's `root: mem` lines."""
    out = []
    for line in lines_of(text):
        m = MEM_LINE.match(line)
        if m:
            out.append((int(m[1], 16), int(m[2], 16), int(m[3]), m[4] or ""))
    return out


# ELF64 little-endian layout: the fields the tests read or patch.
ELF_MAGIC = b"\x7fELF"
ELFCLASS64 = 2
ELFDATA2LSB = 1
EHDR = struct.Struct("<16sHHIQQQIHHHHHH")  # e_ident .. e_shstrndx
PHDR = struct.Struct("<IIQQQQQQ")  # p_type p_flags p_offset p_vaddr p_paddr p_filesz p_memsz p_align
E_TYPE_OFFSET = 16
E_MACHINE_OFFSET = 18
PT_LOAD = 1
ET_REL = 1
EM_AARCH64 = 0xB7


def elf64_program_headers(image):
    """[(index, offset_of_phdr, fields dict)] of an ELF64 little-endian image."""
    assert image[:4] == ELF_MAGIC, "not an ELF file"
    assert image[4] == ELFCLASS64 and image[5] == ELFDATA2LSB, "not ELF64 little-endian"
    ehdr = EHDR.unpack_from(image, 0)
    e_phoff, e_phentsize, e_phnum = ehdr[5], ehdr[9], ehdr[10]
    assert e_phentsize >= PHDR.size, f"e_phentsize {e_phentsize} too small"
    names = ("p_type", "p_flags", "p_offset", "p_vaddr", "p_paddr", "p_filesz", "p_memsz", "p_align")
    out = []
    for i in range(e_phnum):
        offset = e_phoff + i * e_phentsize
        out.append((i, offset, dict(zip(names, PHDR.unpack_from(image, offset)))))
    return out


def grow_first_load(image, extra=0x1000):
    """Copy of `image` whose first PT_LOAD has p_memsz += extra: (bytes, index, filesz, memsz)."""
    image = bytearray(image)
    for index, offset, ph in elf64_program_headers(image):
        if ph["p_type"] == PT_LOAD:
            memsz = ph["p_memsz"] + extra
            struct.pack_into("<Q", image, offset + 40, memsz)  # p_memsz
            return bytes(image), index, ph["p_filesz"], memsz
    raise AssertionError("no PT_LOAD segment")


def patch_u16(image, offset, value):
    image = bytearray(image)
    struct.pack_into("<H", image, offset, value)
    return bytes(image)
