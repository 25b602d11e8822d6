# SPDX-License-Identifier: MIT
# `make bench`, Linux part: boot time to the guest's init marker on our stack and directly under QEMU TCG.
"""Boots Debian's kernel with the BusyBox initramfs (build/guest/) twice per vCPU count: directly
under QEMU TCG (`-kernel`/`-initrd`, nothing of ours but guests/init) and as a VM of build/vmm.elf
on the hypervisor under the same QEMU. Both use the same command line; the guest runs the nproc
check and powers off. The time is wall time from starting the process to the `guest: init running`
line, and the CPU time QEMU used until then (less disturbed by other work on a shared machine);
the VMM's exit counts cover its VM from start to power-off.
"""

import os
import select
import signal
import subprocess
import time
from pathlib import Path

TOP = Path(__file__).resolve().parents[2]
GUEST = TOP / "build/guest"
OUT = TOP / "build/bench-linux"
QEMU = os.environ.get("QEMU", "qemu-system-x86_64")
MARKER = "guest: init running"
VM = "bench"
GUEST_MEM = "512M"  # the direct boot's -m and the VM's memory, so that both kernels size the same RAM
TIMEOUT = 300  # one boot; the VMM boot takes about 20 s on a busy 2-CPU machine
QUICK_ROUND_S = 60  # when the first round of boots is this fast, run two more and report medians
VCPU_COUNTS = (1, 2)

# Event numbers in the SVM numbering the VMM prints (vmm/core/vcpu.h): JSON key and readable name.
EVENTS = {
    0x64: ("vintr", "interrupt window"),
    0x72: ("cpuid", "CPUID"),
    0x78: ("hlt", "HLT"),
    0x7b: ("io", "port I/O"),
    0x7c: ("msr", "MSR"),
    0x7f: ("shutdown", "shutdown"),
    0x81: ("vmmcall", "VMMCALL"),
    0xfc: ("npf", "nested page fault (MMIO)"),
    0xfd: ("invalid", "invalid guest state"),
    0x100: ("startup", "startup"),
    0x101: ("recall", "recall"),
}

# The nested-KVM reference of the issue: Linux KVM inside the same QEMU TCG machine, measured
# earlier (not in this run) at about 6-9 s to the marker against about 4.5 s directly.
KVM_NESTED_RATIO = (6 / 4.5, 9 / 4.5)


class BootError(Exception):
    pass


def cmdline(vcpus):
    return f"console=ttyS0 panic=-1 guest.poweroff guest.tests=nproc guest.vcpus={vcpus}"


def direct_command(vcpus):
    # The machine and CPU model of images/qemu.sh, so that only our stack differs.
    return [QEMU, "-accel", "tcg", "-machine", "q35", "-cpu", "max", "-smp", str(vcpus), "-m", GUEST_MEM,
            "-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot",
            "-kernel", str(GUEST / "bzImage"), "-initrd", str(GUEST / "initramfs.cpio.gz"),
            "-append", cmdline(vcpus)]


def vmm_command(vcpus):
    cfg = OUT / f"vcpus{vcpus}.cfg"
    cfg.write_text(f"# Written by tests/bench/linux_boot.py\nvm {VM}\nmemory {GUEST_MEM}\nvcpus {vcpus}\n"
                   f"kernel bzImage\ninitrd initramfs.cpio.gz\ncmdline {cmdline(vcpus)}\n")
    modules = ["build/root.elf root.elf", "build/vmm.elf vmm.elf", "build/guest/bzImage bzImage",
               "build/guest/initramfs.cpio.gz initramfs.cpio.gz", f"{cfg} vm.cfg"]
    cmd = [str(TOP / "images/qemu.sh"), "--kernel", "--smp", str(vcpus), "--mem", "1G", "--exit-when-done"]
    for m in modules:
        cmd += ["--module", m]
    return cmd


def qemu_cpu_s(pid):
    """CPU time (user + system) so far of the QEMU process that is pid or one of its descendants."""
    procs = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # Fields after the parenthesised command name: state, ppid, ..., utime and stime at 11 and 12.
        fields = stat[stat.rindex(")") + 2:].split()
        procs[int(entry)] = (int(fields[1]), stat[stat.index("(") + 1:stat.rindex(")")],
                             int(fields[11]) + int(fields[12]))
    family = {pid}
    while True:
        more = {p for p, (ppid, _, _) in procs.items() if ppid in family} - family
        if not more:
            break
        family |= more
    for p in sorted(family):
        if p in procs and procs[p][1].startswith("qemu-system"):
            return procs[p][2] / os.sysconf("SC_CLK_TCK")
    raise BootError("no QEMU process found to read its CPU time")


def boot(cmd, log_name):
    """Run cmd to its end; return its output lines as (seconds since start, text) pairs and QEMU's
    CPU time when the marker came (None without a marker)."""
    OUT.mkdir(parents=True, exist_ok=True)
    log_path = OUT / log_name
    lines = []
    pending = b""
    cpu_s = None
    start = time.monotonic()
    # A session of its own: on a timeout the whole group (qemu.sh, QEMU, tee) goes.
    proc = subprocess.Popen(cmd, cwd=TOP, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        while True:
            left = start + TIMEOUT - time.monotonic()
            if left <= 0:
                raise BootError(f"no end within {TIMEOUT} s")
            if not select.select([proc.stdout], [], [], left)[0]:
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            now = time.monotonic() - start
            if not chunk:
                break
            *done, pending = (pending + chunk).split(b"\n")
            lines += [(now, raw.decode(errors="replace").rstrip("\r")) for raw in done]
            if cpu_s is None and any(MARKER in raw.decode(errors="replace") for raw in done):
                cpu_s = qemu_cpu_s(proc.pid)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        status = proc.wait()
        if pending:
            lines.append((time.monotonic() - start, pending.decode(errors="replace").rstrip("\r")))
        log_path.write_text(f"# {' '.join(cmd)}\n" + "".join(f"[{t:7.3f}] {text}\n" for t, text in lines))
    if status != 0:
        raise BootError(f"exit status {status} (log: {log_path.relative_to(TOP)})")
    return lines, cpu_s


def first(lines, text, log_name):
    for t, line in lines:
        if text in line:
            return t, line
    raise BootError(f"no line with {text!r} (log: {(OUT / log_name).relative_to(TOP)})")


def check_guest(lines, log_name):
    """The marker's time; the guest's nproc check must have passed (it confirms the vCPU count)."""
    marker = first(lines, MARKER, log_name)[0]
    summary = first(lines, "guest: tests ", log_name)[1]
    if "1 passed, 0 failed" not in summary:
        raise BootError(f"guest-side check failed: {summary.strip()} (log: {(OUT / log_name).relative_to(TOP)})")
    return marker


def measure_direct(vcpus, run_no):
    name = f"direct-vcpus{vcpus}-run{run_no}.log"
    lines, cpu_s = boot(direct_command(vcpus), name)
    return {"boot_s": check_guest(lines, name), "cpu_s": cpu_s}


def measure_vmm(vcpus, run_no):
    """A guest reset before the marker (the VMM restarts the VM) stays in the boot time and is
    counted; the exits and the VM's time are those of the boot that reached the marker."""
    name = f"vmm-vcpus{vcpus}-run{run_no}.log"
    lines, cpu_s = boot(vmm_command(vcpus), name)
    marker = check_guest(lines, name)
    at = next(i for i, (_, line) in enumerate(lines) if MARKER in line)
    launches = [t for t, line in lines[:at] if line.startswith(f"vmm[{VM}]: {GUEST_MEM[:-1]} MiB at")]
    if not launches:
        raise BootError(f"no launch report from the VMM (log: {(OUT / name).relative_to(TOP)})")
    resets = sum(line.startswith(f"vmm[{VM}]: stopped: reset") for _, line in lines[:at])
    panic = next((line[line.index("Kernel panic"):][:80] for _, line in lines[:at] if "Kernel panic" in line), None)
    vm_stop = first(lines[at:], f"vmm[{VM}]: stopped:", name)[0]
    stats = first(lines[at:], " exits:", name)[1]
    exits = {}
    for item in stats.split(" exits:", 1)[1].split():
        event, count = item.split(":")
        exits[int(event, 16)] = int(count)
    return {"boot_s": marker, "cpu_s": cpu_s, "vm_start_s": launches[0], "vm_s": vm_stop - launches[-1],
            "exits": exits, "resets": resets, "panic": panic}


def event_key(event):
    return EVENTS.get(event, (f"ev_{event:#x}", f"event {event:#x}"))


def median_run(runs):
    """The run with the median boot time (the lower middle one for an even count)."""
    ordered = sorted(runs, key=lambda r: r["boot_s"])
    return ordered[(len(ordered) - 1) // 2]


def report(direct, ours, rounds):
    """Print the tables; return the JSON entries."""
    out = {"linux_runs": rounds}
    print()
    print(f"Linux boot to '{MARKER}' (Debian 6.1 + BusyBox initramfs, QEMU TCG, q35, -cpu max, {GUEST_MEM} guest RAM)")
    print(f"{'vCPUs':>5} {'direct s':>9} {'ours s':>8} {'ratio':>7}   {'direct cpu s':>12} {'ours cpu s':>10} "
          f"{'ratio':>7}   {'VM start s':>10}")
    for n in VCPU_COUNTS:
        d, o = median_run(direct[n]), median_run(ours[n])
        ratio = o["boot_s"] / d["boot_s"]
        cpu_ratio = o["cpu_s"] / d["cpu_s"]
        print(f"{n:>5} {d['boot_s']:>9.2f} {o['boot_s']:>8.2f} {ratio:>6.2f}x   {d['cpu_s']:>12.2f} "
              f"{o['cpu_s']:>10.2f} {cpu_ratio:>6.2f}x   {o['vm_start_s']:>10.2f}")
        prefix = "linux" if n == 1 else f"linux_smp{n}"
        out[f"{prefix}_boot_direct_s"] = round(d["boot_s"], 3)
        out[f"{prefix}_boot_vmm_s"] = round(o["boot_s"], 3)
        out[f"{prefix}_boot_ratio"] = round(ratio, 3)
        out[f"{prefix}_boot_direct_cpu_s"] = round(d["cpu_s"], 3)
        out[f"{prefix}_boot_vmm_cpu_s"] = round(o["cpu_s"], 3)
        out[f"{prefix}_boot_cpu_ratio"] = round(cpu_ratio, 3)
        out[f"{prefix}_vm_start_s"] = round(o["vm_start_s"], 3)
        out[f"{prefix}_vm_resets"] = o["resets"]
        out[f"{prefix}_exits_total"] = sum(o["exits"].values())
        out[f"{prefix}_exits_per_s"] = round(sum(o["exits"].values()) / o["vm_s"], 1)
        for event, count in o["exits"].items():
            out[f"{prefix}_exits_{event_key(event)[0]}"] = count
    how = "one run each" if rounds == 1 else f"median of {rounds} runs each"
    print(f"({how}; s: wall time from process start, cpu s: QEMU's CPU time by then, 'VM start': wall time")
    print(" at which the VMM started the VM. A shared, noisy machine: wall times vary by 20-50% between runs.)")
    for n in VCPU_COUNTS:
        o = median_run(ours[n])
        if o["resets"]:
            print(f"note: ours with {n} vCPU: the guest reset {o['resets']} time(s) before the marker "
                  f"({o['panic'] or 'no panic line'}); the VMM restarted it and the time includes the failed boot")

    ratio = out["linux_boot_ratio"]
    low, high = KVM_NESTED_RATIO
    kvm = ("faster than" if ratio < low else "within the range of" if ratio <= high else "slower than")
    print(f"target 'within 2x of direct QEMU TCG' (1 vCPU, wall time): {'met' if ratio <= 2 else 'not met'} "
          f"({ratio:.2f}x; CPU time {out['linux_boot_cpu_ratio']:.2f}x)")
    print(f"target 'no slower than nested KVM' (earlier, not this run: ~6-9 s vs ~4.5 s direct, "
          f"{low:.1f}-{high:.1f}x): {kvm} it ({ratio:.2f}x)")

    print()
    print("VM exits by reason, VM start to power-off (the boot, the nproc check and the power-off; after a reset")
    print("only the boot that reached the marker):")
    head = f"{'event':>6} {'reason':26}"
    for n in VCPU_COUNTS:
        head += f" {f'{n} vCPU exits':>14} {'per s':>8}"
    print(head)
    events = sorted({e for n in VCPU_COUNTS for e in median_run(ours[n])["exits"]})
    for event in events + [None]:
        row = f"{'':>6} {'total':26}" if event is None else f"{event:>#6x} {event_key(event)[1]:26}"
        for n in VCPU_COUNTS:
            o = median_run(ours[n])
            count = sum(o["exits"].values()) if event is None else o["exits"].get(event, 0)
            row += f" {count:>14} {count / o['vm_s']:>8.0f}"
        print(row)
    spans = ", ".join(f"{median_run(ours[n])['vm_s']:.1f} s with {n} vCPU" for n in VCPU_COUNTS)
    print(f"(per s: over the VM's wall time, {spans})")
    return out


def run():
    """Measure, print, and return (JSON entries, error text or None)."""
    direct = {n: [] for n in VCPU_COUNTS}
    ours = {n: [] for n in VCPU_COUNTS}
    rounds = 1
    round_no = 0
    try:
        while round_no < rounds:
            start = time.monotonic()
            # Interleaved, so that a change of the machine's load hits both sides alike.
            for n in VCPU_COUNTS:
                direct[n].append(measure_direct(n, round_no + 1))
                ours[n].append(measure_vmm(n, round_no + 1))
            round_no += 1
            if round_no == 1 and time.monotonic() - start <= QUICK_ROUND_S:
                rounds = 3
    except BootError as e:
        return {}, f"linux boot: {e}"
    return report(direct, ours, rounds), None
