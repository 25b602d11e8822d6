# SPDX-License-Identifier: MIT
"""Micro-guests on Intel VMX: build/vmm.elf as the root task of a GRUB ISO under Bochs (the only
VMX with EPT available here; QEMU's TCG has no VMX)."""

import re
import subprocess
import time

from conftest import BUILD, LOG_DIR, TOP

BOCHS_SH = TOP / "images" / "bochs.sh"
MKISO = TOP / "images" / "mkiso.sh"
TIMEOUT = 300
SUMMARY = re.compile(r"(\d+) passed, (\d+) failed")


def test_micro_guests_on_vmx(tmp_path):
    iso = tmp_path / "vmm.iso"
    subprocess.run([str(MKISO), str(iso), str(BUILD / "hypervisor.elf"), str(BUILD / "vmm.elf"),
                    str(TOP / "images" / "grub.cfg")], cwd=TOP, check=True, capture_output=True)
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    serial = LOG_DIR / "bochs-vmx-serial.log"
    serial.unlink(missing_ok=True)  # never read a previous run's output
    proc = subprocess.Popen([str(BOCHS_SH), str(iso), str(serial), str(TIMEOUT)], cwd=TOP,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + TIMEOUT
    text = ""
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            text = serial.read_text(errors="replace") if serial.exists() else ""
            if SUMMARY.search(text) or "nova: panic" in text:
                break
            time.sleep(2)
    finally:
        subprocess.run(["pkill", "-g", str(proc.pid)], check=False)
        proc.wait()
    tail = "\n".join(text.splitlines()[-25:])
    assert "features=0x2" in text, f"the HIP does not report VMX:\n{tail}"
    failed = [l for l in text.splitlines() if l.startswith("not ok")]
    assert not failed, "\n".join(failed)
    m = SUMMARY.search(text)
    assert m, f"no summary within {TIMEOUT} s:\n{tail}"
    assert int(m.group(2)) == 0 and int(m.group(1)) >= 30, m.group(0)
