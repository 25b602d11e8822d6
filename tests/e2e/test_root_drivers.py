# SPDX-License-Identifier: MIT
"""The root task's services for user-mode drivers: I/O ports, interrupts and PCI devices."""

import re

import pexpect
import pytest

from conftest import LOG_DIR, QEMU_SH, TOP, kill_group, normalize, qemu_sh_args
from novalib import lines_of
from test_root_services import CLIENT, ROOT, TIMEOUT, check_accounting, client_lines, config, run_clients

EDU = ["-device", "edu,addr=04.0"]  # QEMU's educational PCI device at 00:04.0
EDU_ID = "0x10000ed"  # its identification register (version 1.0)
COM2 = ["-serial", "null"]  # a second 16550: ports 0x2f8-0x2ff, GSI 3
UART_IRQ = "uart 0x2f8 interrupt arrived, iir 0x2"  # transmitter empty
# The IOMMU goes before the devices it translates (intel-iommu must; amd-iommu is a PCI device).
IOMMU = {"vtd": ["-device", "intel-iommu"], "amdvi": ["-device", "amd-iommu"], "none": []}
SVC_MEM_WINDOW = 0x100000000000
NOT_CONFINED = "root: no IOMMU: the DMA of driver clients' devices is not confined"


@pytest.mark.parametrize("smp", [1, 2], ids=["smp1", "smp2"])
def test_edu_driver(boot, tmp_path, smp):
    """A client given edu in its section finds it, maps its registers, takes its MSI and sees the
    interrupts it raises on its own CPU; another client is refused the device and its MSI, and a
    third section naming the same device is a configuration mistake."""
    cpu = smp - 1
    text = (
        "vm drv\nmemory 1M\nkernel client.elf\n"
        f"cpu {cpu}\n"
        "device pci bdf=00:04.0\ncmdline edu\n\n"
        "vm other\nmemory 1M\nkernel client.elf\ncmdline pci-read=00:04.0 msi=00:04.0 edu\n\n"
        "vm dup\nmemory 1M\nkernel client.elf\ndevice pci bdf=0:4.0\ncmdline edu\n"
    )
    out = run_clients(boot, tmp_path, text, smp=smp, extra=EDU)
    lines = lines_of(out)
    assert "root: clients.cfg:16: device pci bdf=00:04.0: already given to vm 'drv' (line 5)" in lines
    assert not [l for l in lines if l.startswith("root: dup: ")], "the section naming a taken device loaded"
    assert "root: drv: given pci 00:04.0 (1234:11e8)" in lines

    drv = client_lines(lines, "drv")
    assert drv[1:4] == [
        "device 0: 00:04.0, vendor 1234 device 11e8",
        "writing its bar 0: denied",
        f"bar 0: 1024 KiB, identification {EDU_ID}, liveness ok",
    ], drv
    timing = re.compile(r"interrupt \d: \d+ TSC cycles from the raise to the return of sm_down")
    assert [l for l in drv if not timing.fullmatch(l)][-3:] == [
        "interrupt 1 arrived, edu status 0xabd",
        "interrupt 2 arrived, edu status 0xabe",
        "done",
    ], drv
    assert len([l for l in drv if timing.fullmatch(l)]) == 2, drv
    assert re.fullmatch(r"msi: selector 0x80", drv[4]), drv
    apic = f"0xfee0{cpu}000"  # the MSI goes to the client's CPU (APIC ID = CPU number under QEMU)
    routed = [l for l in lines if l.startswith("root: drv: msi of 00:04.0 routed ")]
    assert routed and routed[0].startswith(f"root: drv: msi of 00:04.0 routed to cpu {cpu} (selector 0x80, "
                                           f"address {apic}, data 0x"), routed
    assert [l for l in lines if re.fullmatch(r"root: drv: pci 00:04.0 bar 0: 1024 KiB mapped at 0x1000[0-9a-f]{8}", l)]

    other = client_lines(lines, "other")
    assert other[1:4] == [
        "pci 00:04.0 id: denied 0x0",
        "msi of 00:04.0: denied",
        "edu: no pci device: no such client",
    ], other
    assert "root: other: pci 00:04.0 refused: not its device" in lines
    assert "root: other: msi of 00:04.0 refused: not its device" in lines
    assert lines.count(NOT_CONFINED) == 1, "no single line saying that DMA is not confined"
    check_accounting(lines)


def run_interactive(tmp_path, name, text, steps, extra):
    """Boot the root with the configuration text, answer each (pattern, reply) of steps in order
    (reply(match) gives the bytes to type), run to the end; the log's lines."""
    args = qemu_sh_args(modules=[ROOT, CLIENT, config(tmp_path, text)], exit_when_done=True, extra=extra)
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / f"{name}.log"
    with open(log_path, "w", encoding="utf-8") as log:
        child = pexpect.spawn(str(QEMU_SH), args, cwd=str(TOP), encoding="utf-8", timeout=TIMEOUT)
        child.logfile_read = log
        try:
            for pattern, reply in steps:
                child.expect(pattern)
                if reply:
                    child.send(reply(child.match))
            child.expect(pexpect.EOF)
        finally:
            kill_group(child)
    return lines_of(normalize(log_path.read_text()))


@pytest.mark.parametrize("kind", list(IOMMU))
def test_edu_dma_confined(tmp_path, kind):
    """drv, given edu, has it DMA a pattern through a page it allocated (at the page's physical
    address); then it points edu at the page b allocated: with an IOMMU that write never arrives
    (b's memory is intact; VT-d logs the fault), without one it does and the root has said so."""
    text = (
        "vm drv\nmemory 1M\nkernel client.elf\ndevice pci bdf=00:04.0\ncmdline edu-dma\n\n"
        "vm b\nmemory 1M\nkernel client.elf\ncmdline alloc=4K wait=drv check\n"
    )
    target = []

    def remember(match):  # b's page as a DMA address: its window address less the window's base
        target.append(int(match[1], 16) - SVC_MEM_WINDOW)
        return ""

    def answer(match):  # typed once drv asks for it
        return f"{target[0]:#x}\r"

    # drv has the input focus (the first client); it asks only after its own DMA.
    steps = [
        (re.compile(r"root: b: granted 4 KiB at (0x[0-9a-f]+) \("), remember),
        (re.escape("drv: edu-dma: DMA address to write?"), answer),
        (re.escape("root: all clients have ended"), None),
    ]
    lines = run_interactive(tmp_path, f"test_edu_dma_confined_{kind}", text, steps, IOMMU[kind] + EDU)
    drv, b = client_lines(lines, "drv"), client_lines(lines, "b")
    phys = target[0]
    assert phys + 4096 <= 1 << 28, f"b's page {phys:#x} beyond edu's reach"
    assert "dma through our page: pattern arrived" in drv, drv
    assert f"dma to {phys:#x}: engine finished" in drv, drv
    unit = "VT-d" if kind == "vtd" else "AMD-Vi"
    confined = [l for l in lines if l.startswith("root: drv: pci 00:04.0 DMA confined to its memory (")]
    fault = f"nova: DMA fault: 00:04.0 write {phys:#x}"
    if kind == "none":
        assert lines.count(NOT_CONFINED) == 1 and not confined, confined
        assert "memory CHANGED: 8 words of 4 KiB" in b, b  # 64 bytes of edu's buffer landed
    else:
        want = f"root: drv: pci 00:04.0 DMA confined to its memory ({unit} unit at 0x"
        assert confined and confined[0].startswith(want), confined
        assert NOT_CONFINED not in lines
        assert "memory intact: 4 KiB in 1 allocations" in b, b
        if kind == "vtd":  # QEMU 7.2's AMD-Vi writes no event log
            assert [l for l in lines if l.startswith(fault)], f"no '{fault}' line"
    assert "root: drv: exited with code 0" in lines and "root: b: exited with code 0" in lines
    check_accounting(lines)


def test_ports_and_gsis_one_owner(tmp_path):
    """a holds COM2's ports and GSI 3 and sees COM2 interrupt; b is refused them and the root's
    own, touches a port it was not given and is killed alone; after a ends, c gets both and COM2's
    interrupt reaches c."""
    cfg = config(
        tmp_path,
        "vm a\nmemory 1M\nkernel client.elf\ncmdline pio=0x2f8:8 gsi=3 uart-irq=0x2f8 wait=b\n\n"
        "vm b\nmemory 1M\nkernel client.elf\n"
        "cmdline echo=1 pio=0x2f8:8 pio=0x2fc:1 gsi=3 gsi=4 pio=0x3f8:1 pio=0xcf8:4 pio=0x70:1 pio=0xf4:1 "
        "pio=0x2e8:8 pio=0xfff0:17 pio=0x100:0 gsi=24 inb=0x2f8\n\n"
        "vm c\nmemory 1M\nkernel client.elf\ncmdline wait=a pio=0x2f8:8 gsi=3 uart-irq=0x2f8\n",
    )
    args = qemu_sh_args(modules=[ROOT, CLIENT, cfg], exit_when_done=True, extra=COM2)
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / "test_ports_and_gsis_one_owner.log"
    with open(log_path, "w", encoding="utf-8") as log:
        child = pexpect.spawn(str(QEMU_SH), args, cwd=str(TOP), encoding="utf-8", timeout=TIMEOUT)
        child.logfile_read = log
        try:
            # b asks only once a holds both: typed input (kept for b until it reads) orders it.
            for send, expect in [
                (None, "a: waiting for b"),
                ("\x012", "root: input goes to b"),
                ("go\r", "a: b has ended: killed"),
                (None, "root: all clients have ended"),
            ]:
                if send:
                    child.send(send)
                child.expect(re.escape(expect))
            child.expect(pexpect.EOF)
        finally:
            kill_group(child)
    lines = lines_of(normalize(log_path.read_text()))

    a = client_lines(lines, "a")
    assert a[1:5] == ["ports 0x2f8-0x2ff: granted", "gsi 3: selector 0x80", UART_IRQ, "waiting for b"], a
    assert client_lines(lines, "b")[3:] == [
        "ports 0x2f8-0x2ff: busy",
        "ports 0x2fc-0x2fc: busy",
        "gsi 3: busy",
        "gsi 4: denied",
        "ports 0x3f8-0x3f8: denied",
        "ports 0xcf8-0xcfb: denied",
        "ports 0x70-0x70: denied",
        "ports 0xf4-0xf4: denied",
        "ports 0x2e8-0x2ef: granted",
        "ports 0xfff0-0x10000: bad request",  # past the last port
        "ports 0x100-0xff: bad request",  # no ports
        "gsi 24: bad request",  # q35's IOAPIC has 24 pins
        "reading port 0x2f8",
    ], client_lines(lines, "b")
    for line in [
        "root: a: ports 0x2f8-0x2ff granted",
        "root: a: gsi 3 routed to cpu 0 (selector 0x80)",
        "root: b: ports 0x2f8-0x2ff refused: held by a",
        "root: b: gsi 3 refused: held by a",
        "root: b: gsi 4 refused: the root keeps it (COM1)",
        "root: b: ports 0x3f8-0x3f8 refused: the root keeps COM1",
        "root: b: ports 0xcf8-0xcfb refused: the root keeps PCI configuration",
        "root: b: ports 0xf4-0xf4 refused: the root keeps the QEMU exit port",
        "root: c: ports 0x2f8-0x2ff granted",
        "root: c: gsi 3 routed to cpu 0 (selector 0x80)",
    ]:
        assert line in lines, line
    kills = [l for l in lines if " killed: " in l]
    assert len(kills) == 1 and kills[0].startswith("root: b: killed: general protection fault (vector 13"), kills
    c = client_lines(lines, "c")
    assert c[2:] == ["a has ended: exit code 0", "ports 0x2f8-0x2ff: granted", "gsi 3: selector 0x80", UART_IRQ,
                     "done"], c
    assert "root: a: exited with code 0" in lines and "root: c: exited with code 0" in lines
    check_accounting(lines)


def test_new_interrupt_owner_starts_empty(boot, tmp_path):
    """An interrupt that arrived for an owner that has ended does not wake the next one."""
    text = (
        "vm a\nmemory 1M\nkernel client.elf\n"
        "cmdline pio=0x2f8:8 gsi=3 uart-raise=0x2f8 irq-pending uart-raise=0x2f8\n\n"
        "vm b\nmemory 1M\nkernel client.elf\ncmdline wait=a pio=0x2f8:8 gsi=3 irq-pending uart-irq=0x2f8\n"
    )
    lines = lines_of(run_clients(boot, tmp_path, text, extra=COM2))
    a, b = client_lines(lines, "a"), client_lines(lines, "b")
    assert a[3:] == ["interrupt pending", "done"], a  # the semaphore counts what arrives
    assert b[2:] == ["a has ended: exit code 0", "ports 0x2f8-0x2ff: granted", "gsi 3: selector 0x80",
                     "no interrupt pending", UART_IRQ, "done"], b
