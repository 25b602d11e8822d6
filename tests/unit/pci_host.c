/* SPDX-License-Identifier: MIT */
/* Host test of vmm/dev/pci_host.c: mechanism #1, ECAM, the host bridge and the BAR helper. */

#include "dev/pci_host.h"

#include <stdint.h>

#include "acpi/layout.h"
#include "check.h"
#include "vdev_fake.h"

#define ECAM LAYOUT_ECAM_BASE

static struct pci_host host;

/* A function that records the accesses it sees. */
struct probe {
    unsigned reads, writes, last_off, last_size;
    uint32_t last_value;
};

static uint32_t probe_read(void *dev, unsigned off, unsigned size)
{
    struct probe *p = dev;
    p->reads++;
    p->last_off = off;
    p->last_size = size;
    return 0xa5a5a5a5u ^ off; /* beyond `size` bytes: the host must mask */
}

static void probe_write(void *dev, unsigned off, unsigned size, uint32_t value)
{
    struct probe *p = dev;
    p->writes++;
    p->last_off = off;
    p->last_size = size;
    p->last_value = value;
}

static const struct pci_fn_ops probe_ops = {.read = probe_read, .write = probe_write};

static uint32_t cf8(unsigned bus, unsigned devfn, unsigned reg)
{
    return PCI_CF8_ENABLE | bus << 16 | devfn << 8 | reg;
}

static void setup(void)
{
    fake_reset();
    pci_host_init(&host, FAKE_VM, ECAM);
}

static void test_ports(void)
{
    setup();
    CHECK("0xcf8 claimed", fake_pio_claimed(0xcf8));
    CHECK("0xcf9 left to acpi_pm", !fake_pio_claimed(0xcf9) && !fake_pio_claimed(0xcfa) && !fake_pio_claimed(0xcfb));
    CHECK("0xcfc-0xcff claimed", fake_pio_claimed(0xcfc) && fake_pio_claimed(0xcff) && !fake_pio_claimed(0xd00));
    CHECK("ECAM 1 MiB", fake_mmio_claimed(ECAM) && fake_mmio_claimed(ECAM + 0xfffff) && !fake_mmio_claimed(ECAM + 0x100000));
    CHECK_EQ("CONFIG_ADDRESS reset 0", fake_pio_read(0xcf8, 4), 0);
    fake_pio_write(0xcf8, 4, 0x80000000u);
    CHECK_EQ("Linux's type 1 check: 0x80000000 reads back", fake_pio_read(0xcf8, 4), 0x80000000u);
    fake_pio_write(0xcf8, 4, 0xffffffffu);
    CHECK_EQ("reserved bits read 0", fake_pio_read(0xcf8, 4), 0x80fffffcu);
    fake_pio_write(0xcf8, 1, 0);
    fake_pio_write(0xcf8, 2, 0);
    CHECK_EQ("byte/word writes to 0xcf8 pass by", fake_pio_read(0xcf8, 4), 0x80fffffcu);
    CHECK_EQ("word read of 0xcf8: not the register", fake_pio_read(0xcf8, 2), 0xffff);
    CHECK_EQ("byte read of 0xcf8: not the register", fake_pio_read(0xcf8, 1), 0xff);
}

static void test_mechanism1(void)
{
    setup();
    fake_pio_write(0xcf8, 4, cf8(0, 0, 0) & ~PCI_CF8_ENABLE);
    CHECK_EQ("enable bit clear: data reads all ones", fake_pio_read(0xcfc, 4), 0xffffffffu);
    fake_pio_write(0xcf8, 4, cf8(0, 0, 0));
    CHECK_EQ("host bridge vendor/device", fake_pio_read(0xcfc, 4), 0x29c08086u);
    CHECK_EQ("byte 0xcfc", fake_pio_read(0xcfc, 1), 0x86);
    CHECK_EQ("byte 0xcfd", fake_pio_read(0xcfd, 1), 0x80);
    CHECK_EQ("byte 0xcfe", fake_pio_read(0xcfe, 1), 0xc0);
    CHECK_EQ("byte 0xcff", fake_pio_read(0xcff, 1), 0x29);
    CHECK_EQ("word 0xcfc", fake_pio_read(0xcfc, 2), 0x8086);
    CHECK_EQ("word 0xcfe", fake_pio_read(0xcfe, 2), 0x29c0);
    CHECK_EQ("word 0xcfd (unaligned)", fake_pio_read(0xcfd, 2), 0xc080);
    CHECK_EQ("dword 0xcfd: last byte past 0xcff", fake_pio_read(0xcfd, 4), 0xff29c080u);
    fake_pio_write(0xcf8, 4, cf8(0, 0, 0x08));
    CHECK_EQ("class 060000, revision 0", fake_pio_read(0xcfc, 4), 0x06000000u);
    fake_pio_write(0xcf8, 4, cf8(0, 0, 0x0c));
    CHECK_EQ("header type 0 (byte 0xcfe)", fake_pio_read(0xcfe, 1), 0);
    fake_pio_write(0xcf8, 4, cf8(0, 0, 0x04));
    CHECK_EQ("command: memory + bus master", fake_pio_read(0xcfc, 2), 0x0006);
    fake_pio_write(0xcfc, 2, 0xffff);
    CHECK_EQ("command writable bits", fake_pio_read(0xcfc, 2), PCI_COMMAND_WRITABLE);
    fake_pio_write(0xcfc, 1, 0x01);
    CHECK_EQ("byte write to command low byte", fake_pio_read(0xcfc, 2), 0x0501);
    fake_pio_write(0xcfd, 1, 0x00);
    CHECK_EQ("byte write to command high byte", fake_pio_read(0xcfc, 2), 0x0001);
    fake_pio_write(0xcf8, 4, cf8(0, 0, 0x00));
    fake_pio_write(0xcfc, 4, 0);
    CHECK_EQ("IDs read-only", fake_pio_read(0xcfc, 4), 0x29c08086u);
    fake_pio_write(0xcf8, 4, cf8(1, 0, 0));
    CHECK_EQ("bus 1: all ones", fake_pio_read(0xcfc, 4), 0xffffffffu);
    fake_pio_write(0xcf8, 4, cf8(0, PCI_DEVFN(1, 0), 0));
    CHECK_EQ("absent device: all ones", fake_pio_read(0xcfc, 4), 0xffffffffu);
    CHECK_EQ("absent device: word all ones", fake_pio_read(0xcfe, 2), 0xffff);
    fake_pio_write(0xcfc, 4, 0); /* must not crash */
    CHECK_EQ("absent function 00.1", (fake_pio_write(0xcf8, 4, cf8(0, 1, 0)), fake_pio_read(0xcfc, 4)), 0xffffffffu);
}

static void test_functions(void)
{
    setup();
    struct probe pr = {0};
    CHECK_EQ("add 03.1", pci_host_add(&host, PCI_DEVFN(3, 1), &probe_ops, &pr), 0);
    CHECK_EQ("add 03.1 again fails", pci_host_add(&host, PCI_DEVFN(3, 1), &probe_ops, &pr), -1);
    CHECK_EQ("00.0 taken by the host bridge", pci_host_add(&host, 0, &probe_ops, &pr), -1);
    CHECK_EQ("devfn 256 invalid", pci_host_add(&host, 256, &probe_ops, &pr), -1);
    fake_pio_write(0xcf8, 4, cf8(0, PCI_DEVFN(3, 1), 0x40));
    CHECK_EQ("dword read masked", fake_pio_read(0xcfc, 4), 0xa5a5a5a5u ^ 0x40);
    CHECK("function sees register 0x40, size 4", pr.last_off == 0x40 && pr.last_size == 4);
    CHECK_EQ("byte at 0xcfe", fake_pio_read(0xcfe, 1), (0xa5a5a5a5u ^ 0x42) & 0xff);
    CHECK("function sees 0x42, size 1", pr.last_off == 0x42 && pr.last_size == 1);
    CHECK_EQ("word at 0xcfe", fake_pio_read(0xcfe, 2), (0xa5a5a5a5u ^ 0x42) & 0xffff);
    CHECK("function sees 0x42, size 2", pr.last_off == 0x42 && pr.last_size == 2);
    fake_pio_write(0xcff, 1, 0x1ab);
    CHECK("byte write at 0xcff -> 0x43", pr.last_off == 0x43 && pr.last_size == 1 && pr.last_value == 0xab);
    fake_pio_write(0xcfe, 2, 0x12345);
    CHECK("word write at 0xcfe -> 0x42", pr.last_off == 0x42 && pr.last_size == 2 && pr.last_value == 0x2345);
    pr.writes = 0;
    fake_pio_write(0xcfd, 2, 0xbeef);
    CHECK("unaligned word: two byte writes", pr.writes == 2 && pr.last_off == 0x42 && pr.last_value == 0xbe);

    /* ECAM: the same function at devfn << 12, extended registers too. */
    uint64_t base = ECAM + ((uint64_t)PCI_DEVFN(3, 1) << 12);
    CHECK_EQ("ECAM dword = CF8 dword", fake_mmio_read(base + 0x40, 4), 0xa5a5a5a5u ^ 0x40);
    CHECK_EQ("ECAM extended register 0x804", fake_mmio_read(base + 0x804, 4), 0xa5a5a5a5u ^ 0x804);
    CHECK("function sees 0x804", pr.last_off == 0x804 && pr.last_size == 4);
    fake_mmio_write(base + 0xffe, 2, 0x7777);
    CHECK("ECAM word write 0xffe", pr.last_off == 0xffe && pr.last_size == 2 && pr.last_value == 0x7777);
    fake_mmio_write(base + 0x10, 8, 0x1122334455667788ull);
    CHECK("ECAM qword write: high dword at 0x14", pr.last_off == 0x14 && pr.last_size == 4 && pr.last_value == 0x11223344);
    CHECK_EQ("ECAM unaligned dword: bytes", fake_mmio_read(base + 0x41, 4),
             ((0xa5a5a5a5u ^ 0x41) & 0xff) | ((0xa5a5a5a5u ^ 0x42) & 0xff) << 8 | ((0xa5a5a5a5u ^ 0x43) & 0xff) << 16 |
                 ((0xa5a5a5a5u ^ 0x44) & 0xffu) << 24);
    CHECK_EQ("ECAM absent 1f.7", fake_mmio_read(ECAM + ((uint64_t)PCI_DEVFN(31, 7) << 12), 4), 0xffffffffu);
    CHECK_EQ("ECAM host bridge IDs", fake_mmio_read(ECAM, 4), 0x29c08086u);
    CHECK_EQ("ECAM host bridge qword", fake_mmio_read(ECAM, 8), 0x0000000629c08086ull);
    CHECK_EQ("ECAM host bridge class word", fake_mmio_read(ECAM + 0x0a, 2), 0x0600);
    CHECK_EQ("ECAM host bridge extended space 0", fake_mmio_read(ECAM + 0x100, 4), 0);
    fake_mmio_write(ECAM + 4, 2, 0);
    fake_pio_write(0xcf8, 4, cf8(0, 0, 4));
    CHECK_EQ("ECAM write visible through CF8", fake_pio_read(0xcfc, 2), 0);
    fake_pio_write(0xcfc, 2, PCI_COMMAND_MEMORY);
    CHECK_EQ("CF8 write visible through ECAM", fake_mmio_read(ECAM + 4, 2), PCI_COMMAND_MEMORY);
    for (unsigned off = 0; off < 0x40; off++)
        if (fake_mmio_read(ECAM + off, 1) != (fake_pio_write(0xcf8, 4, cf8(0, 0, off & 0xfc)),
                                              fake_pio_read(0xcfc + (off & 3), 1))) {
            CHECK("ECAM and CF8 agree byte by byte", false);
            return;
        }
    CHECK("ECAM and CF8 agree byte by byte", true);
}

static void test_cfg_helper(void)
{
    struct pci_cfg c;
    pci_cfg_init(&c, 0x1af4, 0x1000, 0x020000, 1, PCI_HEADER_MULTI_FN);
    CHECK_EQ("helper IDs", pci_cfg_read(&c, 0, 4), 0x10001af4u);
    CHECK_EQ("helper class/revision", pci_cfg_read(&c, 8, 4), 0x02000001u);
    CHECK_EQ("helper header type", pci_cfg_read(&c, PCI_HEADER_TYPE, 1), 0x80);
    CHECK_EQ("I/O BAR 32 bytes", pci_cfg_set_bar(&c, 0, 32, PCI_BAR_IO), 0);
    CHECK_EQ("memory BAR 4 KiB", pci_cfg_set_bar(&c, 1, 4096, 0), 0);
    CHECK_EQ("64-bit prefetchable BAR 8 GiB", pci_cfg_set_bar(&c, 2, 8ull << 30, PCI_BAR_MEM64 | PCI_BAR_PREFETCH), 0);
    CHECK_EQ("size not a power of two", pci_cfg_set_bar(&c, 4, 24, 0), -1);
    CHECK_EQ("memory BAR below 16 bytes", pci_cfg_set_bar(&c, 4, 8, 0), -1);
    CHECK_EQ("64-bit BAR in slot 5", pci_cfg_set_bar(&c, 5, 4096, PCI_BAR_MEM64), -1);
    CHECK_EQ("BAR 6", pci_cfg_set_bar(&c, 6, 4096, 0), -1);
    CHECK_EQ("I/O BAR below 4 bytes", pci_cfg_set_bar(&c, 4, 2, PCI_BAR_IO), -1);
    CHECK_EQ("BAR0 flags before sizing", pci_cfg_read(&c, PCI_BAR0, 4), 1);
    for (unsigned n = 0; n < 6; n++)
        pci_cfg_write(&c, PCI_BAR0 + 4 * n, 4, 0xffffffffu);
    CHECK_EQ("I/O BAR sizing", pci_cfg_read(&c, PCI_BAR0, 4), 0xffffffe1u);
    CHECK_EQ("memory BAR sizing", pci_cfg_read(&c, PCI_BAR0 + 4, 4), 0xfffff000u);
    CHECK_EQ("64-bit BAR sizing, low", pci_cfg_read(&c, PCI_BAR0 + 8, 4), 0x0000000cu);
    CHECK_EQ("64-bit BAR sizing, high", pci_cfg_read(&c, PCI_BAR0 + 12, 4), 0xfffffffeu);
    CHECK_EQ("unused BAR 4 reads 0", pci_cfg_read(&c, PCI_BAR0 + 16, 4), 0);
    pci_cfg_write(&c, PCI_BAR0, 4, 0xc040);
    pci_cfg_write(&c, PCI_BAR0 + 4, 4, 0xc0001234u);
    pci_cfg_write(&c, PCI_BAR0 + 8, 4, 0);
    pci_cfg_write(&c, PCI_BAR0 + 12, 4, 0x4);
    CHECK_EQ("I/O BAR address", pci_cfg_bar(&c, 0), 0xc040);
    CHECK_EQ("memory BAR address (low bits dropped)", pci_cfg_bar(&c, 1), 0xc0001000u);
    CHECK_EQ("64-bit BAR address", pci_cfg_bar(&c, 2), 0x400000000ull);
    CHECK_EQ("expansion ROM absent", (pci_cfg_write(&c, 0x30, 4, 0xffffffffu), pci_cfg_read(&c, 0x30, 4)), 0);
    pci_cfg_set_intx(&c, 3, 1);
    CHECK("slot 3 INTA -> GSI 19", pci_cfg_read(&c, PCI_INTERRUPT_PIN, 1) == 1 && pci_cfg_read(&c, PCI_INTERRUPT_LINE, 1) == 19);
    pci_cfg_set_intx(&c, 3, 2);
    CHECK_EQ("slot 3 INTB -> GSI 16 (swizzle)", pci_cfg_read(&c, PCI_INTERRUPT_LINE, 1), 16);
    pci_cfg_write(&c, PCI_INTERRUPT_LINE, 2, 0x0000);
    CHECK("line writable, pin read-only", pci_cfg_read(&c, PCI_INTERRUPT_LINE, 1) == 0 && pci_cfg_read(&c, PCI_INTERRUPT_PIN, 1) == 2);
    c.data[PCI_STATUS + 1] = 0x81; /* detected parity error, bit 8 */
    c.data[PCI_STATUS] = PCI_STATUS_INTX;
    pci_cfg_write(&c, PCI_STATUS, 2, 0);
    CHECK_EQ("status: writing 0 keeps", pci_cfg_read(&c, PCI_STATUS, 2), 0x8108);
    pci_cfg_write(&c, PCI_STATUS, 2, 0x8000);
    CHECK_EQ("status: write 1 clears bit 15 only", pci_cfg_read(&c, PCI_STATUS, 2), 0x0108);
    pci_cfg_write(&c, PCI_COMMAND, 4, 0x01000000u | 0xffff);
    CHECK_EQ("dword write: command and status bit 8 clear", pci_cfg_read(&c, PCI_COMMAND, 4), 0x00080000u | PCI_COMMAND_WRITABLE);
    CHECK_EQ("helper: extended space reads 0", pci_cfg_read(&c, 0x100, 4), 0);

    /* The helper behind the host through pci_cfg_ops. */
    setup();
    CHECK_EQ("add the helper at 02.0", pci_host_add(&host, PCI_DEVFN(2, 0), &pci_cfg_ops, &c), 0);
    uint64_t base = ECAM + ((uint64_t)PCI_DEVFN(2, 0) << 12);
    fake_mmio_write(base + PCI_BAR0 + 4, 4, 0xffffffffu);
    CHECK_EQ("BAR sizing through ECAM", fake_mmio_read(base + PCI_BAR0 + 4, 4), 0xfffff000u);
    fake_pio_write(0xcf8, 4, cf8(0, PCI_DEVFN(2, 0), PCI_BAR0 + 4));
    fake_pio_write(0xcfc, 4, 0xfebf0000u);
    CHECK_EQ("BAR programmed through CF8", pci_cfg_bar(&c, 1), 0xfebf0000u);
}

int main(void)
{
    test_ports();
    test_mechanism1();
    test_functions();
    test_cfg_helper();
    return check_summary();
}
