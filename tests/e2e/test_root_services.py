# SPDX-License-Identifier: MIT
"""The root task as manager: clients from a configuration, memory with limits, isolation, console prefixes."""

import re
import struct

import pexpect
import pytest

from conftest import BUILD, LOG_DIR, QEMU_SH, TOP, kill_group, line_re, normalize, qemu_sh_args
from novalib import PT_LOAD, elf64_program_headers, lines_of

ROOT = f"{BUILD / 'root.elf'} root.elf"
CLIENT = f"{BUILD / 'client.elf'} client.elf"
ALL_ENDED = r"root: all clients have ended, (\d+) KiB free\r*\n"
TIMEOUT = 90

POOL = re.compile(r"^root: memory: (\d+) KiB free in \d+ ranges")
LOADED = re.compile(r"^root: (\S+): loaded \S+ for cpu (\d+), entry 0x[0-9a-f]+ \(using (\d+) KiB of (\d+) KiB\)$")
GRANTED = re.compile(r"^root: (\S+): granted (\d+) KiB at (0x[0-9a-f]+) \(using (\d+) KiB of (\d+) KiB\)$")
RETURNED = re.compile(r"^root: (\S+): (\d+) KiB returned, (\d+) KiB free$")
KILLED = re.compile(r"^root: (\S+): killed: page fault reading (0x[0-9a-f]+) \((\S+)'s memory\) at rip 0x[0-9a-f]+$")
ALL_GONE = re.compile(r"^root: all clients have ended, (\d+) KiB free$")


def config(tmp_path, text, name="clients.cfg"):
    path = tmp_path / name
    path.write_text(text)
    return f"{path} {name}"


def run_clients(boot, tmp_path, text, *extra_modules, **kw):
    modules = [ROOT, CLIENT, *extra_modules, config(tmp_path, text)]
    return boot(ALL_ENDED, modules=modules, exit_when_done=True, timeout=TIMEOUT, **kw)


def check_accounting(lines):
    """Follow the pool through every load, grant and return: each printed figure must agree."""
    pool = [int(m[1]) for m in map(POOL.match, lines) if m]
    assert len(pool) == 1, "no single 'root: memory: N KiB free' line"
    free, held = pool[0], {}
    for line in lines:
        if m := LOADED.match(line):
            held[m[1]] = int(m[3])
            free -= int(m[3])
        elif m := GRANTED.match(line):
            held[m[1]] += int(m[2])
            free -= int(m[2])
            assert int(m[4]) == held[m[1]], f"{line!r}: the root counts {m[4]} KiB, the grants {held[m[1]]}"
            assert int(m[4]) <= int(m[5]), f"over the limit: {line!r}"
        elif m := RETURNED.match(line):
            assert int(m[2]) == held.pop(m[1]), f"{line!r}: not all of {m[1]}'s memory came back"
            free += int(m[2])
            assert int(m[3]) == free, f"{line!r}: expected {free} KiB free"
        elif m := ALL_GONE.match(line):
            assert not held and int(m[1]) == free == pool[0], f"{line!r}: the pool started with {pool[0]} KiB"
    return pool[0]


def grow_last_load(image, extra):
    """`image` with extra zero bytes after its last PT_LOAD (a bigger bss: p_memsz grows)."""
    image = bytearray(image)
    loads = [(offset, ph) for _, offset, ph in elf64_program_headers(image) if ph["p_type"] == PT_LOAD]
    offset, ph = loads[-1]
    struct.pack_into("<Q", image, offset + 40, ph["p_memsz"] + extra)  # p_memsz
    return bytes(image)


def client_lines(lines, name):
    return [line[len(name) + 2 :] for line in lines if line.startswith(f"{name}: ")]


# The victim reads the page next to the frames it started with: the other client's, since the
# root loads clients one after the other from the bottom of the pool.
DIRECTIONS = {
    "below": ("a", "b", "touch-below"),  # b, loaded after a, reads a's last frame
    "above": ("b", "a", "touch-above"),  # a reads b's first frame
}


@pytest.mark.parametrize("smp", [1, 2], ids=["smp1", "smp2"])
@pytest.mark.parametrize("direction", DIRECTIONS)
def test_two_clients_isolated(boot, tmp_path, direction, smp):
    survivor, victim, touch = DIRECTIONS[direction]
    cmd = {
        survivor: f"alloc=64K wait={victim} alloc=128K check overask",
        victim: f"alloc=128K {touch}",
    }
    out = run_clients(
        boot,
        tmp_path,
        f"vm a\nmemory 1M\nkernel client.elf\ncmdline {cmd['a']}\n\n"
        f"vm b\nmemory 2M\nkernel client.elf\ncmdline {cmd['b']}\n",
        smp=smp,
    )
    lines = lines_of(out)
    loaded = {m[1]: (int(m[2]), int(m[4])) for m in map(LOADED.match, lines) if m}
    assert loaded == {"a": (0, 1024), "b": (0, 2048)}, loaded
    start = {m[1]: int(m[3]) for m in map(LOADED.match, lines) if m}

    # Each client used what it was given; its output carries its name.
    for name in "ab":
        own = client_lines(lines, name)
        assert own and own[0].startswith("started with "), own
        good = r"allocated \d+ KiB at 0x[0-9a-f]+, zeroed, pattern reads back"
        assert [l for l in own if re.fullmatch(good, l)], own
    assert not [l for l in lines if l.startswith(("started with", "allocated", "waiting for"))], "a line lost its prefix"

    # The victim touched the survivor's memory and was killed there, alone.
    touched = [l for l in client_lines(lines, victim) if l.startswith("touching ")]
    assert len(touched) == 1, client_lines(lines, victim)
    address = touched[0].split()[1].rstrip(",")
    kills = [m for m in map(KILLED.match, lines) if m]
    assert [(m[1], m[2], m[3]) for m in kills] == [(victim, address, survivor)], [m[0] for m in kills]
    assert not [l for l in client_lines(lines, victim) if l.startswith("touch survived")]
    assert f"root: {victim}: exited with code 0" not in lines

    # The survivor saw the victim end, got some of its memory back zeroed, found its own
    # unchanged, was refused more than its limit, and finished normally.
    grants = {m[1]: [] for m in map(GRANTED.match, lines) if m}
    for m in filter(None, map(GRANTED.match, lines)):
        grants[m[1]].append((int(m[3], 16), int(m[2]) * 1024))
    (old, old_size), (new, new_size) = grants[victim][0], grants[survivor][1]
    assert old < new + new_size and new < old + old_size, "the second allocation does not reuse the victim's"
    after = client_lines(lines, survivor)
    limit, using = loaded[survivor][1], start[survivor] + 64 + 128
    ask = limit - using + 4
    assert after[-6:] == [
        f"{victim} has ended: killed",
        f"allocated 128 KiB at {new:#x}, zeroed, pattern reads back",
        "memory intact: 192 KiB in 2 allocations",
        f"asking for {ask} KiB, one page more than the limit leaves",
        "over-limit request refused: over the limit",
        "done",
    ], after
    assert f"root: {survivor}: refused {ask} KiB: over its limit (using {using} KiB of {limit} KiB)" in lines
    assert f"root: {survivor}: exited with code 0" in lines

    # Every KiB is accounted for, and all of it is back in the pool at the end.
    check_accounting(lines)


def test_one_client_has_no_prefix(boot, tmp_path):
    out = run_clients(boot, tmp_path, "vm solo\nmemory 1M\nkernel client.elf\ncmdline alloc=12K exit=3\n")
    lines = lines_of(out)
    assert [l for l in lines if re.fullmatch(r"started with \d+ KiB of 1024 KiB, command line 'alloc=12K exit=3'", l)]
    assert [l for l in lines if l.startswith("allocated 12 KiB at ")] and not client_lines(lines, "solo")
    assert "root: solo: exited with code 3" in lines
    check_accounting(lines)


def test_time_and_module_services(boot, tmp_path):
    """SVC_TIME gives the RTC's wall clock with its TSC and the TSC frequency; SVC_MODULE maps a boot
    module read-only by name (outside the limit) and answers SVC_E_NAME (5) for an unknown one."""
    out = run_clients(boot, tmp_path, "vm t\nmemory 1M\nkernel client.elf\n"
                      "cmdline time module=client.elf module=absent.bin check\n")
    lines = lines_of(out)
    times = [m for m in map(re.compile(r"^time: wall (\d+) at tsc (\d+), (\d+) Hz, (\d+) s since$").match, lines) if m]
    assert times, lines
    wall, _, hz, since = (int(g) for g in times[0].groups())
    assert wall > 1577836800, f"the RTC reads {wall}, before 2020"  # QEMU's RTC holds the host's time
    assert hz > 10**8 and since < 600, (hz, since)
    size = (BUILD / "client.elf").stat().st_size
    assert [l for l in lines if re.fullmatch(rf"module client.elf: {size} bytes at 0x1[0-9a-f]{{11}}, "
                                             r"starting 7f 45 4c 46", l)], lines
    assert "module absent.bin: status 5" in lines
    assert not [l for l in lines if l.startswith("root: t: granted")], "a module was counted as memory"
    check_accounting(lines)


def test_over_limit_allocation_gets_an_error(boot, tmp_path):
    """A request past the limit is refused while smaller ones still succeed."""
    out = run_clients(
        boot, tmp_path, "vm big\nmemory 1M\nkernel client.elf\ncmdline alloc=2M alloc=512K alloc=512K check\n"
    )
    lines = lines_of(out)
    start = [int(m[3]) for m in map(LOADED.match, lines) if m]
    assert len(start) == 1 and start[0] + 512 <= 1024, start
    assert f"root: big: refused 2048 KiB: over its limit (using {start[0]} KiB of 1024 KiB)" in lines
    assert "allocation of 2048 KiB refused: over the limit" in lines
    assert f"root: big: refused 512 KiB: over its limit (using {start[0] + 512} KiB of 1024 KiB)" in lines
    assert "memory intact: 512 KiB in 1 allocations" in lines
    check_accounting(lines)


def test_bad_sections_leave_the_others_running(boot, tmp_path):
    """Configuration mistakes, a missing module, a module that is no program (a VM, but no VMM is
    loaded): one message each."""
    notes = tmp_path / "notes.txt"
    notes.write_text("not a program\n" * 100)
    # The client with 2 MiB more bss: too big for 1M, fine in 4M.
    huge = tmp_path / "huge.elf"
    huge.write_bytes(grow_last_load((BUILD / "client.elf").read_bytes(), 2 << 20))
    text = (
        "vm typo\nmemory 12X\nkernel client.elf\n\n"
        "vm missing\nmemory 1M\nkernel nothere.elf\n\n"
        "vm text\nmemory 1M\nkernel notes.txt\n\n"
        "vm kernel\nmemory 1M\nkernel hypervisor.elf\n\n"
        "vm nocpu\nmemory 1M\ncpu 7\nkernel client.elf\n\n"
        "vm huge\nmemory 1M\nkernel huge.elf\n\n"
        "vm roomy\nmemory 4M\nkernel huge.elf\ncmdline alloc=8K\n\n"
        "vm good\nmemory 1M\nkernel client.elf\ncmdline alloc=4K\n"
    )
    modules = (f"{notes} notes.txt", f"{BUILD / 'hypervisor.elf'} hypervisor.elf", f"{huge} huge.elf")
    out = run_clients(boot, tmp_path, text, *modules, smp=1)
    lines = lines_of(out)
    expected = [
        "root: clients.cfg:2: memory '12X': expected a size like 512M",
        "root: missing: kernel module 'nothere.elf' is not loaded",
        "root: text: kernel notes.txt is not a program, and no vmm.elf module is loaded to run it as a VM",
        "root: nocpu: cpu 7 is not online (1 online)",
        "root: 2 of 7 clients loaded",
    ]
    for line in expected[:-1]:
        assert line in lines, line
    assert [l for l in lines if l.startswith("root: kernel: hypervisor.elf: segment ") and " outside [" in l], lines
    assert any(l.startswith(expected[-1]) for l in lines)
    assert [l for l in lines if re.fullmatch(r"root: huge: huge.elf needs 2\d\d\d KiB to start, more than its "
                                             r"memory limit of 1024 KiB", l)], lines
    for name, size in (("good", 4), ("roomy", 8)):
        assert [l for l in client_lines(lines, name) if l.startswith(f"allocated {size} KiB at ")], name
        assert f"root: {name}: exited with code 0" in lines
    check_accounting(lines)


def test_root_alone_still_reports_memory(boot):
    """Without a configuration the root task says so and finishes as before."""
    out = boot(line_re("root: no configuration module (a boot module whose name ends in .cfg)"))
    lines = lines_of(out)
    assert lines.index("root: ready") < lines.index(
        "root: no configuration module (a boot module whose name ends in .cfg)"
    )
    assert [l for l in lines if POOL.match(l)], "no memory figure"


def test_input_reaches_only_the_focused_client(tmp_path):
    """Typed lines go to the client with the focus; Ctrl-A and a number moves it; it moves on
    by itself when its client ends."""
    cfg = config(tmp_path, "vm a\nmemory 1M\nkernel client.elf\ncmdline echo=2\n\n"
                 "vm b\nmemory 1M\nkernel client.elf\ncmdline echo=1\n")
    args = qemu_sh_args(modules=[ROOT, CLIENT, cfg], exit_when_done=True)
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / "test_input_reaches_only_the_focused_client.log"
    with open(log_path, "w", encoding="utf-8") as log:
        child = pexpect.spawn(str(QEMU_SH), args, cwd=str(TOP), encoding="utf-8", timeout=TIMEOUT)
        child.logfile_read = log
        try:
            steps = [
                (None, "root: input goes to a (Ctrl-A then a client's number moves it, Ctrl-A n to the next)"),
                (None, "a: reading 2 lines"),
                (None, "b: reading 1 lines"),
                ("one\r", "a: got 'one'"),
                ("\x017", "root: no client 7 is running; input stays with a"),
                ("\x012", "root: input goes to b"),
                ("two\r", "b: got 'two'"),
                (None, "root: input goes to a"),  # b has ended
                ("\x01\x01three\r", "a: got '?three'"),  # Ctrl-A Ctrl-A passes one Ctrl-A; shown as ?
                (None, "root: all clients have ended"),
            ]
            for send, expect in steps:
                if send:
                    child.send(send)
                child.expect(re.escape(expect))
            child.expect(pexpect.EOF)
        finally:
            kill_group(child)
    lines = lines_of(normalize(log_path.read_text()))
    got = [l for l in lines if re.match(r"^[ab]: got ", l)]
    assert got == ["a: got 'one'", "b: got 'two'", "a: got '?three'"], got
