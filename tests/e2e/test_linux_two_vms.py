# SPDX-License-Identifier: MIT
"""Two Linux VMs at once: the root task starts one VMM per VM section of one configuration. Both
reach their shells with their names as prefixes; typed commands reach only the VM with the input
focus (Ctrl-A 1 / Ctrl-A 2); after one VM powers off the other still answers, and when the second
powers off too QEMU exits with status 0."""

import re

import pexpect

from test_linux import config_text, needs_payload, session  # noqa: F401 (session is a fixture)

CTRL_A = "\x01"
VMS = ("alpha", "beta")


def prompt(name):
    return rf"\n{name}: guest:[^\r\n]*# "


def answers(s, text, token):
    """The names of the VMs whose output holds token as a whole line."""
    return sorted(set(re.findall(rf"^(\w+): {re.escape(token)}$", text, re.M)))


@needs_payload
def test_two_vms_share_the_console(session):
    vms = [{"name": VMS[0], "memory": "160M", "cmdline": "console=ttyS0 panic=-1"},
           {"name": VMS[1], "memory": "160M", "cmdline": "console=ttyS0 panic=-1"}]
    cfg = config_text(vms).replace(f"vm {VMS[1]}\n", f"vm {VMS[1]}\ncpu 1\n")
    s = session(cfg, smp=2)
    waiting = set(VMS)
    while waiting:  # the two boot side by side: either shell may come first
        m = s.expect("|".join(prompt(n) for n in sorted(waiting)), "both shells")
        waiting.discard(m.group(0).strip().split(":")[0])

    for n, name in enumerate(VMS, 1):
        s.child.send(f"{CTRL_A}{n}")
        s.expect(rf"root: input goes to {name}\r", f"the focus to move to {name}")
        token = f"typed-for-{name}-{n * 7}"
        s.send(f"echo typed-for-{name}-$(({n} * 7))")
        s.expect(rf"\n{name}: {token}\r", f"{name}'s answer")
        s.expect(prompt(name), f"{name}'s prompt after the command")
        assert answers(s, s.text(), token) == [name], f"the answer to {name}'s command came from elsewhere"

    s.send("poweroff")  # the focus is on beta
    s.expect(rf"{VMS[1]}: vmm\[{VMS[1]}\]: powered off", "beta's VMM to report the power-off")
    s.expect(rf"root: {VMS[1]}: exited with code 0", "beta's VMM to exit with 0")
    s.expect(rf"root: input goes to {VMS[0]}", "the focus to move to the VM still running")
    s.send("echo still-$((6 * 7))")
    s.expect(rf"\n{VMS[0]}: still-42\r", "alpha to answer after beta is gone")

    s.send("poweroff")
    s.expect(rf"root: {VMS[0]}: exited with code 0", "alpha's VMM to exit with 0")
    s.expect(r"root: all clients have ended", "the root to see the last client end")
    s.expect(pexpect.EOF, "QEMU to exit", timeout=60)
    s.child.close()
    assert s.child.exitstatus == 0, f"QEMU exit status {s.child.exitstatus}, not 0"
