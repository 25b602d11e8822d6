# SPDX-License-Identifier: MIT
"""Micro-guests on SVM: build/microguests.elf runs as the root task under QEMU TCG and every case passes."""

import re

import pytest

from conftest import BUILD
from novalib import lines_of

VMM_ELF = BUILD / "microguests.elf"
SUMMARY = r"(\d+) passed, (\d+) failed\r*\n"
REQUIRED = ["exit_io_out", "exit_cpuid", "exit_npf_first_arrives", "exit_npf_write_read_only", "exit_vmmcall",
            "injected_interrupt_seen_by_guest", "exit_hlt", "exit_recall", "poison_ends_vcpu", "long_mode_cpuid",
            "long_mode_rdmsr", "long_mode_npf", "protected_mode_rep_outsb", "injected_exception_seen_by_guest",
            "interrupt_window_exit", "triple_fault_exit", "two_vms_own_memory", "vm_cannot_reach_undelegated_memory",
            "tsc_offset_guest_starts_near_zero", "delegated_port_does_not_exit", "delegated_msr_read_does_not_exit",
            "timer_preempts_spinning_guest", "spinning_guest_recall_exit"]


@pytest.mark.parametrize("cpu", ["max", "EPYC,+svm"])
@pytest.mark.parametrize("smp", [1, 2], ids=lambda n: f"smp{n}")
def test_micro_guests(boot, cpu, smp):
    out = boot(SUMMARY, smp=smp, cpu=cpu, modules=[f"{VMM_ELF} microguests.elf"])
    lines = lines_of(out)
    failed = [l for l in lines if l.startswith("not ok")]
    assert not failed, "\n".join(failed)
    passed, nfailed = (int(n) for n in out.match.groups())
    assert nfailed == 0 and passed > 0
    names = {l.split()[2] for l in lines if re.match(r"ok \d+ \S", l)}
    missing = [n for n in REQUIRED if n not in names]
    assert not missing, f"cases missing: {missing}"
