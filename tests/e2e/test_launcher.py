# SPDX-License-Identifier: MIT
"""images/qemu.sh itself: the QEMU command it builds, its usage errors and its exit statuses."""

import os
import shlex
import subprocess

import pytest

from conftest import BUILD, QEMU_SH, TOP

pytestmark = pytest.mark.quick


def qemu_sh(*args, env=None):
    return subprocess.run(
        [str(QEMU_SH), *args],
        cwd=TOP,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        check=False,
    )


def dry_run(*args):
    proc = qemu_sh("--dry-run", *args)
    assert proc.returncode == 0, proc.stderr
    return shlex.split(proc.stdout)


def option(argv, name):
    assert argv.count(name) == 1, f"{name} in {argv}"
    return argv[argv.index(name) + 1]


def test_kernel_defaults():
    argv = dry_run()
    assert option(argv, "-accel") == "tcg"
    assert option(argv, "-kernel") == str(BUILD / "hypervisor.mb1")
    assert option(argv, "-initrd") == "build/root.elf root.elf"
    assert (option(argv, "-machine"), option(argv, "-smp"), option(argv, "-cpu")) == ("q35", "1", "max")
    assert option(argv, "-device") == "isa-debug-exit,iobase=0xf4,iosize=0x04"
    assert "-append" not in argv and "-enable-kvm" not in argv


def test_modules_commas_and_exit_flag():
    argv = dry_run(
        "--exit-when-done",
        "--module", "build/root.elf root.elf a,b",
        "--module", "build/abi.elf abi.elf",
        "--append", "x y",
    )
    # The first module gets qemu-exit; a comma inside arguments is doubled for QEMU.
    assert option(argv, "-initrd") == "build/root.elf root.elf a,,b qemu-exit,build/abi.elf abi.elf"
    assert option(argv, "-append") == "x y"


def test_iso():
    argv = dry_run("--iso", "--smp", "4", "--machine", "pc")
    assert option(argv, "-cdrom") == str(BUILD / "nova.iso")
    assert "-kernel" not in argv and "-initrd" not in argv
    assert (option(argv, "-machine"), option(argv, "-smp")) == ("pc", "4")


def test_iso_file(tmp_path):
    iso = tmp_path / "other.iso"
    iso.write_bytes(b"")
    assert option(dry_run("--iso-file", str(iso)), "-cdrom") == str(iso)
    assert qemu_sh("--iso-file", str(tmp_path / "missing.iso")).returncode == 2


def test_no_module():
    assert "-initrd" not in dry_run("--no-module")


@pytest.mark.parametrize(
    "args",
    [
        ["--iso", "--append", "x"],
        ["--iso", "--module", "build/root.elf root.elf"],
        ["--smp", "0"],
        ["--machine", "isapc"],
        ["--bogus"],
        ["--module", "build/does-not-exist.elf x"],
    ],
    ids=["iso-append", "iso-module", "smp0", "machine", "unknown", "missing-module"],
)
def test_usage_errors(args):
    proc = qemu_sh(*args)
    assert proc.returncode == 2 and proc.stderr.startswith("qemu.sh: "), (proc.returncode, proc.stderr)


def test_missing_qemu_names_make_deps():
    proc = qemu_sh(env={"QEMU": "/nonexistent/qemu-system-x86_64"})
    assert proc.returncode == 2 and "make deps" in proc.stderr, proc.stderr


def test_qemu_startup_failure_is_not_success():
    """QEMU's own errors exit with 1, the same status as the guest's "success" report."""
    proc = qemu_sh("--cpu", "no-such-cpu-model", "--exit-when-done")
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "no-such-cpu-model" in proc.stderr
