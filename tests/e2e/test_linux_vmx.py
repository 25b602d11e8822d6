# SPDX-License-Identifier: MIT
"""Linux on the VMX backend: the GRUB ISO with the hypervisor, the VMM and the guest's modules boots
under Bochs 2.7 (Intel Haswell with VMX and EPT; QEMU's TCG has no VMX). Debian's unmodified
kernel runs the guest-side checks and reaches the BusyBox shell; a typed command answers, and
`poweroff` ends the VM: with 1 vCPU on a 1-CPU machine (about 3 minutes on a quiet host) and with
2 vCPUs on 2 CPUs (about 5.5 minutes: Bochs runs its CPUs in turn)."""

import subprocess

import pytest

from bochs import BochsConsole
from conftest import BUILD, TOP, tail
from test_linux import BZIMAGE, INITRAMFS, PROMPT, ROOT, VMM, config_text, needs_payload

MKISO = TOP / "images" / "mkiso.sh"
BOOT_TIMEOUT = 900  # to the guest's checks; Bochs runs the whole stack at 60 MIPS
STEP_TIMEOUT = 120  # for each later step
BOCHS_MEGS = 1024  # the guest gets 256 MiB; the hypervisor, VMM and modules need the rest


def make_iso(tmp_path, vcpus):
    cfg = tmp_path / "vm.cfg"
    cmdline = f"console=ttyS0 panic=-1 guest.tests guest.vcpus={vcpus}"
    cfg.write_text(config_text([{"name": "linux", "vcpus": vcpus, "cmdline": cmdline}]))
    iso = tmp_path / "linux.iso"
    modules = [f"{ROOT} root.elf", f"{VMM} vmm.elf", f"{BZIMAGE} bzImage", f"{INITRAMFS} initramfs.cpio.gz", f"{cfg} vm.cfg"]
    args = [str(MKISO), str(iso), str(BUILD / "hypervisor.elf")]
    for m in modules:
        args += ["--module", m]
    proc = subprocess.run(args, cwd=TOP, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"mkiso.sh failed:\n{proc.stdout}{proc.stderr}"
    return iso


@needs_payload
@pytest.mark.parametrize("vcpus", [1, 2], ids=lambda n: f"vcpus{n}")
def test_linux_boots_to_shell_on_vmx(tmp_path, vcpus):
    """Shell prompt, the guest-side checks, typed input, and poweroff ending the VM; one host CPU
    per vCPU."""
    iso = make_iso(tmp_path, vcpus)
    console = BochsConsole(iso, f"linux-vmx-vcpus{vcpus}.log", BOOT_TIMEOUT + 4 * STEP_TIMEOUT, megs=BOCHS_MEGS,
                           cpus=vcpus)

    def expect(pattern, what, timeout=STEP_TIMEOUT):
        m = console.expect(pattern, timeout)
        if not m:
            pytest.fail(f"no {what} (/{pattern}/) within {timeout} s under Bochs, "
                        f"{console.elapsed():.0f} s into the boot\n--- serial tail ---\n{tail(console.text)}\n"
                        f"--- end (full log: {console.log_path}) ---", pytrace=False)
        return m

    try:
        expect(r"features=0x2\b", "VMX in the HIP")
        expect(r"guest: init running", "init marker", BOOT_TIMEOUT)
        m = expect(r"guest: tests (\d+) passed, (\d+) failed", "summary of the guest-side checks")
        failed = [l for l in console.text.splitlines() if l.startswith("guest: test") and not l.endswith(" ok")]
        assert m.group(2) == "0", "guest-side checks failed:\n" + "\n".join(failed)
        assert int(m.group(1)) >= 4, m.group(0)
        expect(PROMPT, "shell prompt")
        console.send("echo typed-$((6 * 7))")
        expect(r"typed-42", "output of a typed command")
        expect(PROMPT, "prompt after the command")
        console.send("poweroff")
        expect(r"vmm\[linux\]: powered off", "VMM's power-off report")
        assert "unhandled exit" not in console.text, tail(console.text)
        print(f"Linux with {vcpus} vCPU(s) on VMX under Bochs: boot, checks and power-off in "
              f"{console.elapsed():.0f} s")
    finally:
        console.close()
