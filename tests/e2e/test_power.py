# SPDX-License-Identifier: MIT
"""ctrl_hw OP 0: S5 powers QEMU off, platform reset reboots it (QEMU with -no-reboot exits), and
S3 suspends QEMU until system_wakeup, after which the conformance suite passes."""

import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time

import pexpect
import pytest

from conftest import BUILD, ERROR_LINE, LOG_DIR, PANIC_LINE, QEMU_SH, TOP, kill_group, normalize, qemu_sh_args, tail
from novalib import lines_of
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


# ---- S3: suspend to RAM, woken up through QEMU's monitor (QMP) ----

ABI_ELF = BUILD / "abi.elf"
MKISO = TOP / "images" / "mkiso.sh"
SUMMARY = r"(\d+) passed, (\d+) failed\r*\n"
S3_TIMEOUT = 240  # the whole conformance suite runs after the wakeups
# QEMU keeps S3 out of its DSDT and refuses system_wakeup unless this is set.
S3_ENABLE = {"q35": "ICH9-LPC.disable_s3=0", "pc": "PIIX4_PM.disable_s3=0"}
S3_CASES = ["ctrl_hw_s3_success", "s3_stc_monotonic", "s3_timeout_fires", "s3_every_cpu_runs",
            "s3_fpu_state_kept", "s3_ioapic_route_kept", "s3_vcpu_runs_after"]
S3_SMP_CASES = ["ctrl_hw_s3_from_other_cpu", "s3_again_every_cpu_runs"]


class Qmp:
    """A minimal QMP client on QEMU's unix socket: commands in, replies out, events noted."""

    def __init__(self, path, timeout=30):
        end = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > end:
                    raise
                time.sleep(0.1)
        self.sock.settimeout(timeout)
        self.buf = b""
        self.events = []
        self._message()  # the greeting
        self.command("qmp_capabilities")

    def _message(self):
        while b"\n" not in self.buf:
            data = self.sock.recv(4096)
            if not data:
                raise EOFError("QMP socket closed")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def command(self, name):
        self.sock.sendall(json.dumps({"execute": name}).encode() + b"\n")
        while True:
            msg = self._message()
            if "event" in msg:
                self.events.append(msg["event"])
            elif "error" in msg:
                raise RuntimeError(f"QMP {name}: {msg['error']}")
            elif "return" in msg:
                return msg["return"]

    def close(self):
        self.sock.close()


@pytest.fixture(scope="module")
def s3_iso(tmp_path_factory):
    """GRUB loads the hypervisor: QEMU's own -kernel loader writes the kernel's ELF segments
    into RAM again at every system reset, the one of system_wakeup included, which wipes the
    kernel's data; a boot loader's copy survives like on real hardware."""
    iso = tmp_path_factory.mktemp("s3") / "abi-s3.iso"
    proc = subprocess.run([str(MKISO), str(iso), str(BUILD / "hypervisor.elf"), "--module", f"{ABI_ELF} abi.elf s3"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"mkiso.sh failed:\n{proc.stdout}{proc.stderr}"
    return iso


def run_s3(iso, machine, smp, log_name, extra=()):
    """Boot the S3 conformance ISO, answer every suspend with system_wakeup until the suite's
    summary; returns the serial text and the number of wakeups (fails the test on errors)."""
    qmp_dir = tempfile.mkdtemp(prefix="nova-qmp-")
    qmp_path = os.path.join(qmp_dir, "qmp")
    args = qemu_sh_args(iso_file=iso, smp=smp, machine=machine,
                        extra=[*extra, "-global", S3_ENABLE[machine], "-qmp", f"unix:{qmp_path},server=on,wait=off",
                               "-device", "edu"])
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / f"{log_name}.log"
    wakeups, qmp = 0, None
    with open(log_path, "w", encoding="utf-8") as log:
        log.write(f"# {QEMU_SH} {' '.join(args)}\n")
        child = pexpect.spawn(str(QEMU_SH), args, cwd=str(TOP), encoding="utf-8", codec_errors="replace",
                              dimensions=(50, 250))
        child.logfile_read = log
        try:
            qmp = Qmp(qmp_path)
            end = time.monotonic() + S3_TIMEOUT
            while True:
                i = child.expect([SUMMARY, ERROR_LINE, PANIC_LINE, pexpect.EOF, pexpect.TIMEOUT], timeout=0.5)
                if i == 0:
                    break
                assert i == 4 and time.monotonic() < end, f"no suite summary (expect index {i})"
                if qmp.command("query-status")["status"] == "suspended":
                    wakeups += 1
                    qmp.command("system_wakeup")
        except (AssertionError, OSError, EOFError, RuntimeError) as e:
            pytest.fail(f"{e}\n--- serial log {log_path} ---\n{tail(normalize(log_path.read_text()))}",
                        pytrace=False)
        finally:
            if qmp:
                qmp.close()
            kill_group(child)
            shutil.rmtree(qmp_dir, ignore_errors=True)
    return normalize(log_path.read_text()), wakeups


@pytest.mark.parametrize("machine", ["q35", "pc"])
@pytest.mark.parametrize("smp", [1, 4], ids=lambda n: f"smp{n}")
def test_s3_suspend_and_wakeup(s3_iso, machine, smp):
    """ctrl_hw S3 from the conformance task: QEMU reports 'suspended', system_wakeup resumes, the
    call returns SUCCESS, every CPU runs again, and the whole suite passes afterwards. With four
    CPUs a second sleep is requested from CPU 1."""
    text, wakeups = run_s3(s3_iso, machine, smp, f"power-s3-{machine}-smp{smp}")
    lines = lines_of(text)
    failed = [l for l in lines if l.startswith("not ok")]
    assert not failed, "\n".join(failed)
    names = {l.split()[2] for l in lines if re.match(r"ok \d+ \S", l)}
    expected = S3_CASES + (S3_SMP_CASES if smp > 1 else [])
    missing = [n for n in expected if n not in names]
    assert not missing, f"cases missing: {missing}\n{tail(text)}"
    assert wakeups == (2 if smp > 1 else 1), f"{wakeups} wakeups\n{tail(text)}"
