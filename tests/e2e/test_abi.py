# SPDX-License-Identifier: MIT
"""Hypercall conformance: build/abi.elf runs as the root task and every case passes."""

import re

import pytest

from conftest import BUILD
from novalib import lines_of

ABI_ELF = BUILD / "abi.elf"
SUMMARY = r"(\d+) passed, (\d+) failed\r*\n"


@pytest.mark.parametrize("smp", [1, 4], ids=lambda n: f"smp{n}")
def test_abi_conformance(boot, smp):
    out = boot(SUMMARY, smp=smp, modules=[f"{ABI_ELF} abi.elf"])
    lines = lines_of(out)
    failed = [l for l in lines if l.startswith("not ok")]
    assert not failed, "\n".join(failed)
    passed, nfailed = (int(n) for n in out.match.groups())
    assert nfailed == 0
    oks = [l for l in lines if re.match(r"ok \d+ \S", l)]
    assert passed > 0 and passed == len(oks), f"summary says {passed} passed, {len(oks)} 'ok' lines"
    # An unknown hypercall number answers BAD_HYP.
    assert any(re.fullmatch(r"ok \d+ reserved_hypercall_bad_hyp", l) for l in lines), oks
