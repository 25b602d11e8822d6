# SPDX-License-Identifier: MIT
"""Boot matrix: QEMU -kernel (multiboot v1) and the GRUB ISO (multiboot v2) reach the root task."""

import pytest

from conftest import BUILD
from novalib import (
    HIP_LENGTH,
    HIP_SIGNATURE,
    MEMORY_AVAILABLE,
    hip_pairs_text,
    lines_of,
    memory_map,
    modules,
    parse_pairs,
    parse_range,
)

ROOT_ELF = BUILD / "root.elf"
TWO_MIB = 2 << 20


def matrix():
    for loader in ("kernel", "iso"):
        for machine in ("q35", "pc"):
            for smp in (1, 4):
                marks = [pytest.mark.quick] if (loader, machine, smp) == ("kernel", "q35", 1) else []
                yield pytest.param(loader, machine, smp, marks=marks, id=f"{loader}-{machine}-smp{smp}")


def index_of(lines, prefix):
    for i, line in enumerate(lines):
        if line.startswith(prefix):
            return i
    raise AssertionError(f"no line starting with {prefix!r}")


@pytest.mark.parametrize("loader,machine,smp", matrix())
def test_boot_reaches_root(boot, loader, machine, smp):
    check_boot(boot(iso=(loader == "iso"), machine=machine, smp=smp), smp)


def test_boot_iso_uefi(boot):
    """The same ISO through OVMF: GRUB's x86_64-efi platform, multiboot v2 after ExitBootServices."""
    check_boot(boot(iso=True, uefi=True, smp=2, timeout=120), 2)


def test_boot_cpu_epyc_svm(boot):
    """The second CPU model the project tests with (ARCHITECTURE.md section 7), 2 CPUs."""
    check_boot(boot(cpu="EPYC,+svm", smp=2), 2)


def check_boot(out, smp):
    """Everything a good boot shows: kernel, then root task, same HIP, modules, memory map."""
    lines = lines_of(out)

    # Kernel first, then the root task, in this order.
    banner = index_of(lines, "NOVA microhypervisor")
    kernel_hip = index_of(lines, "nova: hip ")
    start = index_of(lines, "nova: starting root task")
    root_hip = index_of(lines, "root: hip ")
    assert banner < kernel_hip < start < root_hip < index_of(lines, "root: ready")
    assert not [l for l in lines if l.startswith("nova: warning")], "a default boot warns"

    # The root task sees exactly the HIP the kernel built, and its checksum holds.
    kernel_pairs = hip_pairs_text(out, "nova")
    assert hip_pairs_text(out, "root") == kernel_pairs
    assert "root: hip checksum ok" in lines
    hip = parse_pairs(kernel_pairs)
    assert int(hip["sig"], 16) == HIP_SIGNATURE
    assert int(hip["len"], 16) == HIP_LENGTH
    cpus, bsp = int(hip["cpus"], 0), int(hip["bsp"], 0)
    # CPU_NUM counts the online CPUs: every CPU QEMU gives us is brought up.
    assert cpus == smp, f"HIP lists {cpus} CPUs under -smp {smp}"
    assert 0 <= bsp < cpus
    nova_start, nova_end = parse_range(hip["nova"])
    assert nova_start % TWO_MIB == 0, f"hypervisor loaded at {nova_start:#x}, not 2 MiB aligned"
    assert nova_start < nova_end

    # Module 0 is the root task's ELF image, in full.
    mods = modules(out)
    assert mods, "no 'root: module' line"
    index, mod_start, mod_end, cmdline = mods[0]
    assert index == 0
    assert "root.elf" in cmdline.split(), f"module 0 command line {cmdline!r}"
    assert mod_end - mod_start == ROOT_ELF.stat().st_size, "module 0 is not the whole root.elf"

    # The memory map has usable RAM.
    mem = memory_map(out)
    assert any(kind == MEMORY_AVAILABLE and end > start for start, end, kind, _ in mem), mem
