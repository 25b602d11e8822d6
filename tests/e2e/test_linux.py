# SPDX-License-Identifier: MIT
"""Linux on our stack: the root task (build/root.elf) starts the VMM (build/vmm.elf) for each VM of
the configuration, which runs Debian's unmodified kernel with the BusyBox initramfs to an
interactive shell under QEMU TCG (SVM with nested paging).

The guest runs its own checks from guests/tests (nproc, interrupt counts, clock, dmesg) when the
command line has guest.tests, then the test types at the prompt and powers the VM off.
"""

import os
import re
import shlex
import time

import pexpect
import pytest

from conftest import BUILD, LOG_DIR, QEMU_SH, TOP, kill_group, normalize, tail

GUEST = BUILD / "guest"
BZIMAGE = GUEST / "bzImage"
INITRAMFS = GUEST / "initramfs.cpio.gz"
ROOT = BUILD / "root.elf"
VMM = BUILD / "vmm.elf"
TIMEOUT = 300  # boot to the shell; about 10x plain TCG on a quiet machine, leave room for CI
PROMPT = r"guest:[^\r\n]*# "

needs_payload = pytest.mark.skipif(not BZIMAGE.is_file(), reason="build/guest is absent: run 'make guests'")


def config_text(vms):
    """A configuration file for the VMM: vms is a list of dicts (name, vcpus, kernel, initrd, cmdline)."""
    out = []
    for vm in vms:
        out += [f"vm {vm['name']}", f"memory {vm.get('memory', '256M')}", f"vcpus {vm.get('vcpus', 1)}",
                f"kernel {vm.get('kernel', 'bzImage')}"]
        if vm.get("initrd", "initramfs.cpio.gz"):
            out.append(f"initrd {vm.get('initrd', 'initramfs.cpio.gz')}")
        out += [f"cmdline {vm.get('cmdline', 'console=ttyS0 panic=-1')}", ""]
    return "\n".join(out)


class Session:
    """One QEMU run of the hypervisor + VMM + guest, with expect/send on the serial line."""

    def __init__(self, name, config, smp=2, extra_modules=(), iso=None, uefi=False):
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.log_path = LOG_DIR / f"{name}.log"
        if iso:  # a ready image: its own configuration, no qemu-exit
            self.args = ["--iso-file", str(iso), "--smp", str(smp), "--mem", "1G"] + (["--uefi"] if uefi else [])
        else:
            self.cfg = LOG_DIR / f"{name}.cfg"
            self.cfg.write_text(config)
            modules = [f"{ROOT} root.elf", f"{VMM} vmm.elf", f"{BZIMAGE} bzImage", f"{INITRAMFS} initramfs.cpio.gz", *extra_modules,
                       f"{self.cfg} vm.cfg"]
            self.args = ["--kernel", "--smp", str(smp), "--mem", "1G", "--exit-when-done"]
            for m in modules:
                self.args += ["--module", m]
        self.command = shlex.join([str(QEMU_SH.relative_to(TOP)), *self.args])
        self.log = open(self.log_path, "w", encoding="utf-8")
        self.log.write(f"# {self.command}\n")
        self.seen = []
        self.start = time.monotonic()
        self.child = pexpect.spawn(str(QEMU_SH), self.args, cwd=str(TOP), encoding="utf-8", codec_errors="replace",
                                   timeout=TIMEOUT, dimensions=(50, 250))
        self.child.logfile_read = self.log

    def expect(self, pattern, what, timeout=TIMEOUT):
        patterns = [pattern, r"nova: panic", pexpect.EOF, pexpect.TIMEOUT]
        if pattern is pexpect.EOF:
            patterns = [pexpect.EOF, pexpect.TIMEOUT]
        index = self.child.expect(patterns, timeout=timeout)
        self.seen.append(self.child.before + (self.child.after if isinstance(self.child.after, str) else ""))
        if index != 0:
            why = {1: "the hypervisor panicked"}.get(index, "QEMU ended" if patterns[index] is pexpect.EOF
                                                      else f"no match within {timeout} s")
            pytest.fail(f"{why} while waiting for {what} (/{pattern}/)\ncommand: {self.command}\n"
                        f"--- serial tail ---\n{tail(normalize(''.join(self.seen)))}\n--- end ---", pytrace=False)
        return self.child.match

    def send(self, line):
        self.child.send(line + "\r")

    def text(self):
        return normalize("".join(self.seen))

    def close(self):
        kill_group(self.child)
        self.log.close()


@pytest.fixture
def session(request):
    made = []

    def make(config, **kw):
        name = re.sub(r"[^A-Za-z0-9_.\[\]=+-]", "_", request.node.name) + (f".{len(made)}" if made else "")
        s = Session(name, config, **kw)
        made.append(s)
        return s

    yield make
    for s in made:
        s.close()


@needs_payload
@pytest.mark.parametrize("vcpus", [1, 2], ids=lambda n: f"vcpus{n}")
def test_linux_boots_to_interactive_shell(session, vcpus):
    """Shell prompt, the guest-side checks, typed input, and poweroff ending the VM."""
    cmdline = f"console=ttyS0 panic=-1 guest.tests guest.vcpus={vcpus}"
    s = session(config_text([{"name": "linux", "vcpus": vcpus, "cmdline": cmdline}]))
    s.expect(r"guest: init running", "the init marker")
    m = s.expect(r"guest: tests (\d+) passed, (\d+) failed", "the guest-side checks")
    assert m.group(2) == "0", "guest-side checks failed:\n" + "\n".join(
        l for l in s.text().splitlines()
        if l.startswith(("guest: test", "nproc", "interrupts", "clock", "dmesg", "hostcall", "xstate")))
    assert int(m.group(1)) >= 5
    assert re.search(r"guest: hostcall marker from vCPU \d", s.text()), "the hostcall console write did not appear"
    assert "guest: rep outsb marker" in s.text(), "REP OUTSB to the debug console did not appear"
    s.expect(PROMPT, "the shell prompt")
    s.send("echo typed-$((6 * 7))")
    s.expect(r"typed-42", "the output of a typed command")
    s.expect(PROMPT, "the prompt after the command")
    s.send("poweroff")
    s.expect(r"vmm\[linux\]: powered off", "the VMM's power-off report")
    s.expect(pexpect.EOF, "QEMU to exit", timeout=60)


@needs_payload
def test_bad_kernel_is_reported_and_next_vm_runs(session):
    """A VM whose kernel module is missing and one whose kernel is not a bzImage are reported by
    name; the next VM in the file still boots, and QEMU's exit status is 1 since one VMM failed."""
    vms = [{"name": "nokernel", "kernel": "absent.bin"},
           {"name": "garbage", "kernel": "initramfs.cpio.gz"},
           {"name": "good", "cmdline": "console=ttyS0 panic=-1 guest.poweroff guest.tests=nproc"}]
    s = session(config_text(vms), smp=1)
    s.expect(r"root: nokernel: kernel module 'absent.bin' is not loaded", "the missing-kernel message")
    s.expect(r"vmm\[garbage\]: kernel: [^\r\n]+", "the bad-kernel message")
    s.expect(r"guest: init running", "the good VM's init")
    s.expect(r"vmm\[good\]: powered off", "the good VM's power-off")
    s.expect(pexpect.EOF, "QEMU to exit", timeout=60)
    assert "root: garbage: exited with code 1" in s.text(), "the bad kernel's VMM did not exit with 1"
    s.child.close()
    assert s.child.exitstatus == 1, f"QEMU exit status {s.child.exitstatus}: not 1 after a VM failed"


@needs_payload
def test_reboot_restarts_the_vm(session):
    """`reboot` in the guest resets the VM (ACPI reset register); the VMM starts it again from
    its configuration, and the second boot reaches the shell too."""
    s = session(config_text([{"name": "linux", "cmdline": "console=ttyS0 panic=-1"}]))
    s.expect(PROMPT, "the shell prompt")
    s.send("reboot")
    s.expect(r"vmm\[linux\]: stopped: reset", "the VMM to see the reset")
    s.expect(r"vmm\[linux\]: restarting after a reset", "the restart")
    s.expect(r"guest: init running", "the second boot's init")
    s.expect(PROMPT, "the shell prompt after the restart")
    s.send("poweroff")
    s.expect(r"vmm\[linux\]: powered off", "the power-off after the restart")
    s.expect(pexpect.EOF, "QEMU to exit", timeout=60)


@needs_payload
def test_missing_initrd_is_reported(session):
    """A configuration naming an initrd module that is not loaded is refused with its name."""
    vms = [{"name": "noinitrd", "initrd": "absent.cpio"},
           {"name": "good", "cmdline": "console=ttyS0 panic=-1 guest.poweroff guest.tests=nproc"}]
    s = session(config_text(vms), smp=1)
    s.expect(r"vmm\[noinitrd\]: initrd module 'absent.cpio' is not loaded", "the missing-initrd message")
    s.expect(r"vmm\[good\]: powered off", "the good VM's power-off")


LINUX_ISO = BUILD / "linux.iso"


@needs_payload
@pytest.mark.skipif(not LINUX_ISO.is_file(), reason="build/linux.iso is absent: run 'make image'")
@pytest.mark.parametrize("uefi", [False, True], ids=["bios", "uefi"])
def test_demo_iso_boots_linux(session, uefi):
    """build/linux.iso (GRUB, multiboot2) boots the default demo to the shell, as on a real machine."""
    s = session(None, iso=LINUX_ISO, uefi=uefi)
    s.expect(r"vmm\[linux\]: \d+ MiB at", "the VMM starting the demo VM")
    s.expect(PROMPT, "the shell prompt")
    s.send("echo iso-$((40 + 2))")
    s.expect(r"iso-42", "the output of a typed command")
    s.send("poweroff")
    s.expect(r"vmm\[linux\]: powered off", "the VMM's power-off report")
