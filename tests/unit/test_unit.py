# SPDX-License-Identifier: MIT
"""Run every host unit-test binary (build/unit/<name>, from tests/unit/<name>.c) through pytest."""

import os
import re
import subprocess
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parents[2]
SOURCES = TOP / "tests" / "unit"
BINARIES = TOP / "build" / "unit"
SUMMARY = re.compile(r"(\d+) passed, 0 failed")
TIMEOUT = 60


def unit_names():
    """Every test with a source here or an executable in build/unit (a missing binary fails)."""
    names = {p.stem for p in SOURCES.glob("*.c")}
    if BINARIES.is_dir():
        names |= {p.name for p in BINARIES.iterdir() if p.is_file() and os.access(p, os.X_OK)}
    return sorted(names)


@pytest.mark.quick
def test_unit_tests_exist():
    assert unit_names(), f"no host unit tests: nothing in {SOURCES} or {BINARIES}"


@pytest.mark.quick
@pytest.mark.parametrize("name", unit_names())
def test_unit(name):
    binary = BINARIES / name
    assert binary.is_file(), f"{binary} is missing: run 'make unit'"
    proc = subprocess.run(
        [str(binary)], cwd=TOP, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    output = proc.stdout + proc.stderr
    lines = [line.strip() for line in proc.stdout.strip().splitlines()]
    assert proc.returncode == 0, f"{name} exited with status {proc.returncode}:\n{output}"
    assert lines and SUMMARY.fullmatch(lines[-1]), f"{name}: last line is not 'N passed, 0 failed':\n{output}"
    assert int(SUMMARY.fullmatch(lines[-1])[1]) > 0, f"{name} ran no cases"
    assert not [l for l in lines if l.startswith("not ok")], output
