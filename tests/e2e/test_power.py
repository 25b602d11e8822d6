# SPDX-License-Identifier: MIT
"""ctrl_hw OP 0: S5 powers QEMU off, platform reset reboots it (QEMU with -no-reboot exits)."""

import pytest

from conftest import BUILD
from test_run import run_to_completion

ROOT_ELF = BUILD / "root.elf"


@pytest.mark.parametrize("machine", ["q35", "pc"])
@pytest.mark.parametrize("request_word,kernel_line", [("poweroff", "nova: entering S5"),
                                                      ("reset", "nova: platform reset")])
def test_power_transition_ends_qemu(machine, request_word, kernel_line):
    status, lines, tail = run_to_completion(
        ["--kernel", "--machine", machine, "--module", f"{ROOT_ELF} root.elf {request_word}"],
        f"power-{request_word}-{machine}")
    # QEMU ended by itself (no timeout above): the platform really went off or reset.
    assert kernel_line in lines, tail
    assert not any(l.startswith("root: ctrl_hw returned") for l in lines), tail
    assert not any("did not enter" in l for l in lines), tail
    assert status == 0, f"qemu.sh exit status {status}\n{tail}"
