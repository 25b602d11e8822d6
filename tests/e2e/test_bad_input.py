# SPDX-License-Identifier: MIT
"""Bad boot input: the hypervisor names the problem in one line and halts, or warns and goes on."""

import re
import subprocess

import pytest

from conftest import BUILD, READY, TOP, line_re
from novalib import (
    E_MACHINE_OFFSET,
    E_TYPE_OFFSET,
    EM_AARCH64,
    ET_REL,
    grow_first_load,
    lines_of,
    patch_u16,
)

ROOT_ELF = BUILD / "root.elf"
MKISO = TOP / "images" / "mkiso.sh"
NOT_ELF64 = "nova: error: root module is not an x86-64 ELF executable"
# Seconds to watch the machine after a fatal error: it must stay halted and silent.
HALT_WATCH = 2
# Each case runs through both loaders: QEMU -kernel (multiboot v1) and GRUB (multiboot v2).
LOADERS = pytest.mark.parametrize("loader", ["kernel", "iso"])


def grub_iso(tmp_path, root, cmdline, with_module):
    """A GRUB ISO like build/nova.iso, with its own hypervisor command line and root module."""
    cfg = tmp_path / "grub.cfg"
    entry = [f"multiboot2 /boot/hypervisor.elf {cmdline}".rstrip()]
    if with_module:
        entry.append("module2 /boot/root.elf root.elf")
    entry.append("boot")
    body = "".join(f"    {line}\n" for line in entry)
    cfg.write_text(f'set timeout=0\nset default=0\nmenuentry "test" {{\n{body}}}\n')
    iso = tmp_path / "test.iso"
    proc = subprocess.run(
        [str(MKISO), str(iso), str(BUILD / "hypervisor.elf"), str(root), str(cfg)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, f"mkiso.sh failed:\n{proc.stdout}{proc.stderr}"
    return iso


def boot_with(boot, loader, tmp_path, marker, root=ROOT_ELF, cmdline="", with_module=True, **kw):
    """Boot through `loader` with `root` as the root module (none if not `with_module`)."""
    if loader == "iso":
        return boot(marker, iso_file=grub_iso(tmp_path, root, cmdline, with_module), **kw)
    if cmdline:
        kw["append"] = cmdline
    if with_module:
        kw["modules"] = [f"{root} root.elf"]
    else:
        kw["no_module"] = True
    return boot(marker, **kw)


def assert_halted(out, error):
    """`error` is the one error line, nothing ran after it, and QEMU is still up (halted)."""
    lines = lines_of(out)
    errors = [l for l in lines if l.startswith("nova: error")]
    assert errors == [error], f"error lines: {errors}"
    after = lines[lines.index(error) + 1 :]
    assert not [l for l in after if l.strip()], f"output after the error: {after}"
    assert not [l for l in lines if l.startswith("root:")], "the root task ran"
    assert "nova: starting root task" not in lines
    assert not out.exited, f"QEMU ended (status {out.status}) instead of the hypervisor halting"


@LOADERS
def test_no_root_module(boot, tmp_path, loader):
    error = "nova: error: no root module"
    out = boot_with(boot, loader, tmp_path, line_re(error), with_module=False, linger=HALT_WATCH)
    assert_halted(out, error)


def text_file(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("this is a text file, not an ELF executable\n" * 64)
    return path


def elf32_kernel(tmp_path):
    return BUILD / "hypervisor.mb1"  # the ELF32 copy of the hypervisor


def aarch64_elf(tmp_path):
    path = tmp_path / "aarch64.elf"
    path.write_bytes(patch_u16(ROOT_ELF.read_bytes(), E_MACHINE_OFFSET, EM_AARCH64))
    return path


def relocatable_elf(tmp_path):
    path = tmp_path / "relocatable.elf"
    path.write_bytes(patch_u16(ROOT_ELF.read_bytes(), E_TYPE_OFFSET, ET_REL))
    return path


@LOADERS
@pytest.mark.parametrize("make_module", [text_file, elf32_kernel, aarch64_elf, relocatable_elf])
def test_root_not_x86_64_elf(boot, tmp_path, loader, make_module):
    module = make_module(tmp_path)
    out = boot_with(boot, loader, tmp_path, line_re(NOT_ELF64), root=module, linger=HALT_WATCH)
    assert_halted(out, NOT_ELF64)


@LOADERS
def test_root_segment_memsz_differs(boot, tmp_path, loader):
    image, index, filesz, memsz = grow_first_load(ROOT_ELF.read_bytes())
    module = tmp_path / "bss.elf"
    module.write_bytes(image)
    pattern = (
        r"nova: error: root segment (\d+) has p_filesz 0x([0-9a-fA-F]+) != p_memsz 0x([0-9a-fA-F]+)\r*\n"
    )
    out = boot_with(boot, loader, tmp_path, pattern, root=module, linger=HALT_WATCH)
    got = tuple(int(g, 16) if i else int(g) for i, g in enumerate(out.match.groups()))
    assert got == (index, filesz, memsz), f"reported segment/filesz/memsz {got}"
    error = next(l for l in lines_of(out) if l.startswith("nova: error"))
    assert_halted(out, error)


@LOADERS
def test_unknown_option_warns_and_boots(boot, tmp_path, loader):
    out = boot_with(boot, loader, tmp_path, READY, cmdline="bogus_option")
    lines = lines_of(out)
    assert "nova: warning: unknown command-line option 'bogus_option'" in lines
    assert len([l for l in lines if l.startswith("nova: warning")]) == 1
    assert re.search(r"^root: hip checksum ok$", out, re.M)
