# SPDX-License-Identifier: MIT
"""Micro-guests on Intel VMX: build/microguests.elf as the root task of a GRUB ISO under Bochs (the only
VMX with EPT available here; QEMU's TCG has no VMX)."""

import re
import subprocess

from bochs import boot_bochs
from conftest import BUILD, TOP

MKISO = TOP / "images" / "mkiso.sh"
TIMEOUT = 300
SUMMARY = re.compile(r"(\d+) passed, (\d+) failed")


def test_micro_guests_on_vmx(tmp_path):
    iso = tmp_path / "vmm.iso"
    subprocess.run([str(MKISO), str(iso), str(BUILD / "hypervisor.elf"), str(BUILD / "microguests.elf"),
                    str(TOP / "images" / "grub.cfg")], cwd=TOP, check=True, capture_output=True)
    text = boot_bochs(iso, "bochs-vmx-serial.log", TIMEOUT,
                      lambda t: SUMMARY.search(t) or "nova: panic" in t)
    tail = "\n".join(text.splitlines()[-25:])
    assert "features=0x2" in text, f"the HIP does not report VMX:\n{tail}"
    failed = [l for l in text.splitlines() if l.startswith("not ok")]
    assert not failed, "\n".join(failed)
    m = SUMMARY.search(text)
    assert m, f"no summary within {TIMEOUT} s:\n{tail}"
    assert int(m.group(2)) == 0 and int(m.group(1)) >= 47, m.group(0)
