# SPDX-License-Identifier: MIT
"""Guest payload only (not our hypervisor): Debian's kernel + the BusyBox initramfs boot under plain QEMU TCG.

This checks what `make guests` produced (build/guest/bzImage, build/guest/initramfs.cpio.gz) with
QEMU's own -kernel/-initrd loader, so that a failure of the Linux-on-our-VMM tests can be told
apart from a broken payload. Nothing of ours runs in the machine except guests/init.
"""

import os
import re
import time

import pexpect
import pytest

from conftest import BUILD, LOG_DIR, TOP, normalize, tail

GUEST = BUILD / "guest"
BZIMAGE = GUEST / "bzImage"
INITRAMFS = GUEST / "initramfs.cpio.gz"
QEMU = os.environ.get("QEMU", "qemu-system-x86_64")
TIMEOUT = 120  # a stock Linux reaches init in about 5-10 s under TCG; leave room for a loaded CI box

MARKER = r"guest: init running\r*\n"
KERNEL_LINE = r"guest: kernel (\S+) [^\r\n]*\r*\n"
PROMPT = r"guest:[^\r\n]*# "


def qemu_args(append):
    return ["-accel", "tcg", "-m", "512M", "-display", "none", "-serial", "stdio", "-no-reboot",
            "-kernel", str(BZIMAGE), "-initrd", str(INITRAMFS), "-append", append]


@pytest.mark.skipif(not BZIMAGE.is_file(), reason=f"{BZIMAGE.relative_to(TOP)} is absent: run 'make guests'")
def test_payload_boots_to_shell_under_plain_qemu():
    """The payload alone: marker line, kernel version, a shell that runs input, and poweroff ends QEMU."""
    assert INITRAMFS.is_file(), f"{INITRAMFS} is missing next to the bzImage: run 'make guests'"
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / "test_payload_boots_to_shell_under_plain_qemu.log"
    args = qemu_args("console=ttyS0 panic=-1")
    seen = []

    def expect(child, pattern, what, timeout):
        patterns = [pattern, pexpect.TIMEOUT] if pattern is pexpect.EOF else [pattern, pexpect.EOF, pexpect.TIMEOUT]
        index = child.expect(patterns, timeout=timeout)
        seen.append(child.before + (child.after if isinstance(child.after, str) else ""))
        if index != 0:
            why = "QEMU ended" if patterns[index] is pexpect.EOF else f"no match within {timeout} s"
            pytest.fail(f"{why} while waiting for {what} (/{pattern}/)\ncommand: {QEMU} {' '.join(args)}\n"
                        f"--- serial tail ---\n{tail(normalize(''.join(seen)))}\n--- end ---", pytrace=False)
        return child.match

    with open(log_path, "w", encoding="utf-8") as log:
        log.write(f"# {QEMU} {' '.join(args)}\n")
        start = time.monotonic()
        child = pexpect.spawn(QEMU, args, cwd=str(TOP), encoding="utf-8", codec_errors="replace",
                              timeout=TIMEOUT, dimensions=(50, 250))
        child.logfile_read = log
        try:
            expect(child, MARKER, "the init marker", TIMEOUT)
            log.write(f"\n# marker after {time.monotonic() - start:.1f} s\n")
            release = expect(child, KERNEL_LINE, "the kernel version line", 10)[1]
            assert re.match(r"6\.1\.\d+-\d+-amd64$", release), f"not Debian's 6.1 kernel: {release!r}"
            expect(child, PROMPT, "the shell prompt", 30)

            # Interactive input works: the shell evaluates what we type (the echo of the typed
            # line shows the unexpanded text, so only the shell's output matches).
            child.sendline("echo hello-$((6*7))")
            expect(child, r"hello-42\r*\n", "the shell's answer", 30)
            expect(child, PROMPT, "the next prompt", 30)

            # busybox poweroff signals PID 1; our init must turn that into a real power-off.
            child.sendline("poweroff")
            expect(child, pexpect.EOF, "QEMU to exit after poweroff", 30)
        finally:
            child.close(force=True)
