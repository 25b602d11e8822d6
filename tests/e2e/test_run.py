# SPDX-License-Identifier: MIT
"""`make run-root`: images/qemu.sh --kernel --exit-when-done boots the root task to the end and exits with status 0."""

import os
import re
import signal
import subprocess

from conftest import BUILD, LOG_DIR, QEMU_SH, TOP

TIMEOUT = 120


def run_to_completion(args, log_name):
    """Run qemu.sh with `args` until QEMU exits: (exit status, output lines, tail for messages)."""
    command = [str(QEMU_SH), *args]
    # Own session, so a timeout can kill qemu.sh and QEMU together.
    proc = subprocess.Popen(
        command,
        cwd=TOP,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        raw, _ = proc.communicate(timeout=TIMEOUT)
        timed_out = False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raw, _ = proc.communicate()
        timed_out = True
    out = raw.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "")
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    (LOG_DIR / f"{log_name}.log").write_text(f"# {' '.join(command)}\n{out}")
    tail = "\n".join(out.splitlines()[-30:])
    assert not timed_out, f"still running after {TIMEOUT} s:\n{tail}"
    lines = [line.rstrip() for line in out.split("\n")]
    assert not [l for l in lines if l.startswith(("nova: error", "nova: panic"))], tail
    return proc.returncode, lines, tail


def test_run_exits_cleanly():
    status, lines, tail = run_to_completion(["--kernel", "--exit-when-done"], "test_run_exits_cleanly")
    assert status == 0, f"exit status {status}:\n{tail}"
    assert "root: ready" in lines, tail
    assert "root: hip checksum ok" in lines, tail


def test_run_reports_suite_result():
    """The conformance task's verdict comes back as qemu.sh's exit status (0: all passed)."""
    status, lines, tail = run_to_completion(
        ["--kernel", "--exit-when-done", "--module", f"{BUILD / 'abi.elf'} abi.elf"],
        "test_run_reports_suite_result",
    )
    summary = [l for l in lines if re.fullmatch(r"\d+ passed, \d+ failed", l)]
    assert summary, tail
    failed = int(summary[-1].split()[2])
    assert status == (1 if failed else 0), f"exit status {status} after '{summary[-1]}'"
    assert failed == 0, tail
