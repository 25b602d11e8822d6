#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# `make bench`: boot build/bench.elf under QEMU, print a table of cycles and write build/bench.json.
import json
import re
import subprocess
import sys
from pathlib import Path

TOP = Path(__file__).resolve().parents[2]


def main() -> int:
    cmd = [str(TOP / "images/qemu.sh"), "--kernel", "--module", "build/bench.elf bench.elf qemu-exit"]
    cmd += sys.argv[1:]
    out = subprocess.run(cmd, cwd=TOP, capture_output=True, text=True, timeout=300).stdout
    results = {m.group(1): int(m.group(2)) for m in re.finditer(r"^bench: (\w+) (\d+)\r?$", out, re.M)}
    if "done" not in out or "null_hypercall" not in results:
        print(out)
        print("bench: the benchmark task did not finish", file=sys.stderr)
        return 1
    base = results["null_hypercall"]
    print(f"{'benchmark':32} {'cycles':>10} {'x null':>8}")
    for name, cycles in results.items():
        if name == "stc_freq" or name.endswith("_ns"):
            continue
        print(f"{name:32} {cycles:>10} {cycles / base:>8.1f}")
    for name, ns in results.items():
        if name.endswith("_ns"):
            print(f"{name[:-3]:32} {ns / 1000:>10.2f} us of wall time per exit")
    print(f"(TSC at {results.get('stc_freq', 0) / 1e9:.2f} GHz under QEMU TCG; one run, ratios to the null hypercall)")
    (TOP / "build/bench.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
