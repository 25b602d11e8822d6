#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# `make bench`: cycles per operation from build/bench.elf, then Linux boot times; writes build/bench.json.
import json
import re
import subprocess
import sys
from pathlib import Path

import linux_boot

TOP = Path(__file__).resolve().parents[2]


def cycles():
    """Boot build/bench.elf, print its table; return (results, error text or None)."""
    cmd = [str(TOP / "images/qemu.sh"), "--kernel", "--module", "build/bench.elf bench.elf qemu-exit"]
    cmd += sys.argv[1:]
    out = subprocess.run(cmd, cwd=TOP, capture_output=True, text=True, timeout=300).stdout
    results = {m.group(1): int(m.group(2)) for m in re.finditer(r"^bench: (\w+) (\d+)\r?$", out, re.M)}
    if "done" not in out or "null_hypercall" not in results:
        print(out)
        return {}, "bench: the benchmark task did not finish"
    base = results["null_hypercall"]
    print(f"{'benchmark':32} {'cycles':>10} {'x null':>8}")
    for name, count in results.items():
        if name == "stc_freq" or name.endswith("_ns"):
            continue
        print(f"{name:32} {count:>10} {count / base:>8.1f}")
    for name, ns in results.items():
        if name.endswith("_ns"):
            print(f"{name[:-3]:32} {ns / 1000:>10.2f} us of wall time per exit")
    print(f"(TSC at {results.get('stc_freq', 0) / 1e9:.2f} GHz under QEMU TCG; one run, ratios to the null hypercall)")
    return results, None


def main() -> int:
    results, errors = {}, []
    for part in (cycles, linux_boot.run):
        got, error = part()
        results.update(got)
        if error:
            errors.append(error)
    (TOP / "build/bench.json").write_text(json.dumps(results, indent=2) + "\n")
    for error in errors:
        print(error, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
