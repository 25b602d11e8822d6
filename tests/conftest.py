# SPDX-License-Identifier: MIT
"""Shared test machinery: boot the hypervisor through images/qemu.sh and capture its serial log."""

import os
import re
import shlex
import signal
from pathlib import Path

import pexpect
import pytest

TOP = Path(__file__).resolve().parent.parent
BUILD = TOP / "build"
QEMU_SH = TOP / "images" / "qemu.sh"
LOG_DIR = BUILD / "test-logs"

# QEMU runs under TCG (never KVM): a boot to the root task takes seconds, not minutes.
DEFAULT_TIMEOUT = 60

READY = r"root: ready\r*\n"
# Whole lines only, so that a marker naming the expected error wins the race against these.
ERROR_LINE = r"nova: error:[^\r\n]*\r*\n"
PANIC_LINE = r"nova: panic[^\r\n]*\r*\n"
# How long to keep reading after a panic line so the register dump lands in the log.
PANIC_DUMP_SECONDS = 2
TAIL_LINES = 40


def line_re(text):
    """A pexpect pattern matching `text` literally as a complete serial line."""
    return re.escape(text) + r"\r*\n"


def normalize(raw):
    """Serial text with CR/LF pairs folded into plain newlines."""
    return raw.replace("\r\n", "\n").replace("\r", "")


def tail(text, lines=TAIL_LINES):
    return "\n".join(text.rstrip("\n").split("\n")[-lines:])


class BootLog(str):
    """The serial text of one boot (a str), plus how QEMU ended and where the log is."""

    exited = False  # QEMU ended by itself (as opposed to being killed by the harness)
    status = None  # qemu.sh's exit status when it ended by itself
    log_path = None
    match = None  # the re.Match of the marker


def qemu_sh_args(
    iso=False,
    iso_file=None,
    uefi=False,
    smp=1,
    machine="q35",
    cpu=None,
    mem=None,
    append=None,
    modules=None,
    no_module=False,
    exit_when_done=False,
    extra=(),
):
    """images/qemu.sh's argument list for the given boot options (mirrors its options)."""
    if iso_file is not None:
        args = ["--iso-file", str(iso_file)]
    else:
        args = ["--iso" if iso else "--kernel"]
    args += ["--smp", str(smp), "--machine", machine]
    if uefi:
        args.append("--uefi")
    if cpu is not None:
        args += ["--cpu", cpu]
    if mem is not None:
        args += ["--mem", mem]
    if append is not None:
        args += ["--append", append]
    for module in modules or ():
        args += ["--module", str(module)]
    if no_module:
        args.append("--no-module")
    if exit_when_done:
        args.append("--exit-when-done")
    if extra:
        args += ["--", *extra]
    return args


def kill_group(child):
    """Kill qemu.sh and everything it started (its own session: QEMU, tee), then reap it."""
    if not child.closed:
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    child.close(force=True)


class Booter:
    """The `boot` fixture: call it once or several times per test."""

    def __init__(self, request):
        self.name = re.sub(r"[^A-Za-z0-9_.\[\]=+-]", "_", request.node.name)
        self.count = 0
        self.logs = []  # (log path, serial text) of every completed boot, for failure reports

    def _log_path(self):
        self.count += 1
        suffix = "" if self.count == 1 else f".{self.count}"
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        return LOG_DIR / f"{self.name}{suffix}.log"

    def __call__(self, marker=READY, *, timeout=DEFAULT_TIMEOUT, linger=0.0, **options):
        """Boot with qemu.sh `options` until `marker` (a regex) appears on the serial line.

        Fails the test on a `nova: error` line (unless the marker matches it), a
        `nova: panic` line, QEMU ending, or the timeout. With `linger` > 0, keeps reading that
        many seconds after the marker (to check what follows, or that the machine stays
        halted). QEMU is always killed at the end. Returns the serial text as a BootLog.
        """
        args = qemu_sh_args(**options)
        log_path = self._log_path()
        command = shlex.join([str(QEMU_SH.relative_to(TOP)), *args])
        with open(log_path, "w", encoding="utf-8") as log:
            log.write(f"# {command}\n")
            log.flush()
            child = pexpect.spawn(
                str(QEMU_SH),
                args,
                cwd=str(TOP),
                encoding="utf-8",
                codec_errors="replace",
                timeout=timeout,
                dimensions=(50, 250),
            )
            child.logfile_read = log
            try:
                result = self._expect(child, marker, timeout, linger, command)
            finally:
                kill_group(child)
        result.log_path = log_path
        self.logs.append((log_path, str(result)))
        return result

    def _expect(self, child, marker, timeout, linger, command):
        patterns = [marker, ERROR_LINE, PANIC_LINE, pexpect.EOF, pexpect.TIMEOUT]
        index = child.expect(patterns, timeout=timeout)
        seen = child.before + (child.after if isinstance(child.after, str) else "")
        match = child.match if index == 0 else None

        def fail(why):
            status = ""
            if not child.isalive():
                child.close()
                status = f" (qemu.sh exit status {child.exitstatus}, signal {child.signalstatus})"
            text = normalize(seen)
            pytest.fail(
                f"{why}{status}\ncommand: {command}\n"
                f"--- last {TAIL_LINES} serial lines ---\n{tail(text)}\n--- end of serial log ---",
                pytrace=False,
            )

        if index == 1:
            fail("the hypervisor reported an error")
        if index == 2:
            child.expect([pexpect.EOF, pexpect.TIMEOUT], timeout=PANIC_DUMP_SECONDS)
            seen += child.before
            fail("the hypervisor panicked")
        if index == 3:
            fail(f"QEMU ended before the serial line showed /{marker}/")
        if index == 4:
            fail(f"no /{marker}/ on the serial line within {timeout} s")

        exited = False
        if linger > 0:
            exited = child.expect([pexpect.EOF, pexpect.TIMEOUT], timeout=linger) == 0
            seen += child.before
            if re.search(PANIC_LINE, seen):
                fail("the hypervisor panicked")
        result = BootLog(normalize(seen))
        result.match = match
        if exited:
            child.close()
            result.exited = True
            result.status = child.exitstatus
        return result


@pytest.fixture
def boot(request):
    """Boot the hypervisor under QEMU and return its serial output (see Booter.__call__)."""
    booter = Booter(request)
    request.node.nova_booter = booter
    return booter


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """When a check after a successful boot fails, show that boot's serial log with the failure."""
    outcome = yield
    report = outcome.get_result()
    booter = getattr(item, "nova_booter", None)
    if report.when == "call" and report.failed and booter:
        for path, text in booter.logs:
            report.sections.append((f"serial log {path.relative_to(TOP)} (tail)", tail(text)))
