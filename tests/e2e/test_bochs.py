# SPDX-License-Identifier: MIT
"""The GRUB ISO boots under Bochs (an Intel Haswell CPU model): a second platform besides QEMU."""

import subprocess
import time

from conftest import BUILD, LOG_DIR, TOP

BOCHS_SH = TOP / "images" / "bochs.sh"
ISO = BUILD / "nova.iso"
TIMEOUT = 240


def test_iso_boots_under_bochs():
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    serial = LOG_DIR / "bochs-serial.log"
    serial.unlink(missing_ok=True)  # never read a previous run's output
    proc = subprocess.Popen([str(BOCHS_SH), str(ISO), str(serial), str(TIMEOUT)], cwd=TOP,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + TIMEOUT
    text = ""
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            text = serial.read_text(errors="replace") if serial.exists() else ""
            if "root: ready" in text or "nova: panic" in text or "nova: error" in text:
                break
            time.sleep(2)
    finally:
        subprocess.run(["pkill", "-g", str(proc.pid)], check=False)
        proc.wait()
    tail = "\n".join(text.splitlines()[-20:])
    assert "nova: panic" not in text and "nova: error" not in text, tail
    assert "root: ready" in text, f"no 'root: ready' within {TIMEOUT} s under Bochs:\n{tail}"
    assert "root: hip checksum ok" in text, tail
