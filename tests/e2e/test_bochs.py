# SPDX-License-Identifier: MIT
"""The GRUB ISO boots under Bochs (an Intel Haswell CPU model): a second platform besides QEMU."""

from bochs import boot_bochs
from conftest import BUILD

ISO = BUILD / "nova.iso"
TIMEOUT = 240


def test_iso_boots_under_bochs():
    text = boot_bochs(ISO, "bochs-serial.log", TIMEOUT,
                      lambda t: "root: ready" in t or "nova: panic" in t or "nova: error" in t)
    tail = "\n".join(text.splitlines()[-20:])
    assert "nova: panic" not in text and "nova: error" not in text, tail
    assert "root: ready" in text, f"no 'root: ready' within {TIMEOUT} s under Bochs:\n{tail}"
    assert "root: hip checksum ok" in text, tail
