/* SPDX-License-Identifier: MIT */
/* PCI configuration access for bus 0: mechanism #1 ports, ECAM, the host bridge, a generic header. */

#include "dev/pci_host.h"

#include <string.h>

#include "acpi/layout.h"

#define ECAM_SIZE   LAYOUT_ECAM_SIZE

static uint32_t ones(unsigned size)
{
    return size >= 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
}

/* ---- The generic configuration header ---- */

static void put(uint8_t *a, unsigned off, unsigned size, uint32_t v)
{
    for (unsigned i = 0; i < size; i++)
        a[off + i] = (uint8_t)(v >> (i * 8));
}

static uint32_t get(const uint8_t *a, unsigned off, unsigned size)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint32_t)a[off + i] << (i * 8);
    return v;
}

void pci_cfg_init(struct pci_cfg *c, uint16_t vendor, uint16_t device, uint32_t class_code, uint8_t revision,
                  uint8_t header_type)
{
    memset(c, 0, sizeof(*c));
    put(c->data, PCI_VENDOR_ID, 2, vendor);
    put(c->data, PCI_DEVICE_ID, 2, device);
    put(c->data, PCI_REVISION, 1, revision);
    put(c->data, PCI_CLASS_PROG, 3, class_code);
    put(c->data, PCI_HEADER_TYPE, 1, header_type);
    put(c->wmask, PCI_COMMAND, 2, PCI_COMMAND_WRITABLE);
    put(c->w1c, PCI_STATUS, 2, PCI_STATUS_W1C);
    put(c->wmask, PCI_INTERRUPT_LINE, 1, 0xff);
}

int pci_cfg_set_bar(struct pci_cfg *c, unsigned n, uint64_t size, unsigned flags)
{
    bool io = flags & PCI_BAR_IO, mem64 = !io && (flags & PCI_BAR_MEM64);
    uint64_t min = io ? 4 : 16;
    if (n >= 6 || (mem64 && n >= 5) || size < min || (size & (size - 1)) || (io && size > 0x10000) ||
        (!mem64 && size > 0x80000000u) || (io && (flags & ~PCI_BAR_IO)) ||
        (!io && (flags & ~(PCI_BAR_MEM64 | PCI_BAR_PREFETCH))))
        return -1;
    unsigned off = PCI_BAR0 + 4 * n;
    put(c->data, off, 4, flags);
    put(c->wmask, off, 4, (uint32_t)~(size - 1) & (io ? ~3u : ~15u));
    if (mem64) {
        put(c->data, off + 4, 4, 0);
        put(c->wmask, off + 4, 4, (uint32_t)~((size - 1) >> 32));
    }
    return 0;
}

uint64_t pci_cfg_bar(const struct pci_cfg *c, unsigned n)
{
    if (n >= 6)
        return 0;
    uint32_t lo = get(c->data, PCI_BAR0 + 4 * n, 4);
    if (lo & PCI_BAR_IO)
        return lo & ~3u;
    uint64_t addr = lo & ~15u;
    if ((lo & PCI_BAR_MEM64) && n < 5)
        addr |= (uint64_t)get(c->data, PCI_BAR0 + 4 * (n + 1), 4) << 32;
    return addr;
}

void pci_cfg_set_intx(struct pci_cfg *c, unsigned slot, unsigned pin)
{
    if (pin < 1 || pin > 4)
        return;
    c->data[PCI_INTERRUPT_PIN] = (uint8_t)pin;
    c->data[PCI_INTERRUPT_LINE] = (uint8_t)LAYOUT_PCI_GSI(slot, pin - 1);
}

uint32_t pci_cfg_read(struct pci_cfg *c, unsigned offset, unsigned size)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < size && i < 4; i++)
        if (offset + i < sizeof(c->data))
            v |= (uint32_t)c->data[offset + i] << (i * 8);
    return v;
}

void pci_cfg_write(struct pci_cfg *c, unsigned offset, unsigned size, uint32_t value)
{
    for (unsigned i = 0; i < size && i < 4 && offset + i < sizeof(c->data); i++) {
        unsigned o = offset + i;
        uint8_t b = (uint8_t)(value >> (i * 8));
        c->data[o] = (uint8_t)(((c->data[o] & ~c->wmask[o]) | (b & c->wmask[o])) & ~(b & c->w1c[o]));
    }
}

static uint32_t cfg_ops_read(void *dev, unsigned offset, unsigned size)
{
    return pci_cfg_read(dev, offset, size);
}

static void cfg_ops_write(void *dev, unsigned offset, unsigned size, uint32_t value)
{
    pci_cfg_write(dev, offset, size, value);
}

const struct pci_fn_ops pci_cfg_ops = {.read = cfg_ops_read, .write = cfg_ops_write};

/* ---- Configuration accesses to bus 0 ---- */

/* One access to devfn's space; unaligned accesses become byte accesses. */
static uint32_t fn_read(struct pci_host *p, unsigned devfn, unsigned off, unsigned size)
{
    if (off % size) {
        uint32_t v = 0;
        for (unsigned i = 0; i < size; i++)
            v |= fn_read(p, devfn, off + i, 1) << (i * 8);
        return v;
    }
    if (devfn >= PCI_DEVFNS || off >= PCI_CFG_SPACE || !p->fn[devfn].ops || !p->fn[devfn].ops->read)
        return ones(size); /* no such function: master abort */
    return p->fn[devfn].ops->read(p->fn[devfn].dev, off, size) & ones(size);
}

static void fn_write(struct pci_host *p, unsigned devfn, unsigned off, unsigned size, uint32_t value)
{
    if (off % size) {
        for (unsigned i = 0; i < size; i++)
            fn_write(p, devfn, off + i, 1, value >> (i * 8) & 0xff);
        return;
    }
    if (devfn >= PCI_DEVFNS || off >= PCI_CFG_SPACE || !p->fn[devfn].ops || !p->fn[devfn].ops->write)
        return;
    p->fn[devfn].ops->write(p->fn[devfn].dev, off, size, value & ones(size));
}

/* CONFIG_ADDRESS: only dword accesses reach it; others go to the (empty) ISA bus. */
static uint64_t cf8_read(void *dev, uint64_t off, unsigned size)
{
    struct pci_host *p = dev;
    return size == 4 ? p->address : (size >= 8 ? ~0ull : ones(size));
}

static void cf8_write(void *dev, uint64_t off, unsigned size, uint64_t value)
{
    struct pci_host *p = dev;
    if (size == 4)
        p->address = (uint32_t)value & PCI_CF8_MASK;
}

/* Whether CONFIG_ADDRESS selects a function on bus 0 (our only bus). */
static bool cf8_target(const struct pci_host *p, unsigned *devfn)
{
    *devfn = (p->address >> 8) & 0xff;
    return (p->address & PCI_CF8_ENABLE) && ((p->address >> 16) & 0xff) == LAYOUT_PCI_BUS_FIRST;
}

/* CONFIG_DATA: bytes [0xcfc + off, 0xcfc + off + size); bytes past 0xcff are not ours. */
static uint64_t cfc_read(void *dev, uint64_t off, unsigned size)
{
    struct pci_host *p = dev;
    unsigned devfn, n = size > 8 ? 8 : size;
    uint64_t v = n >= 8 ? ~0ull : (1ull << (n * 8)) - 1;
    if (!cf8_target(p, &devfn) || off >= 4)
        return v;
    unsigned in = (unsigned)(4 - off) < n ? (unsigned)(4 - off) : n; /* bytes within 0xcfc-0xcff */
    unsigned reg = (p->address & 0xfc) + (unsigned)off;
    uint32_t data = in == 3 ? fn_read(p, devfn, reg, 1) | fn_read(p, devfn, reg + 1, 2) << 8
                            : fn_read(p, devfn, reg, in);
    return (v & ~(uint64_t)ones(in)) | data;
}

static void cfc_write(void *dev, uint64_t off, unsigned size, uint64_t value)
{
    struct pci_host *p = dev;
    unsigned devfn, n = size > 8 ? 8 : size;
    if (!cf8_target(p, &devfn) || off >= 4)
        return;
    unsigned in = (unsigned)(4 - off) < n ? (unsigned)(4 - off) : n;
    unsigned reg = (p->address & 0xfc) + (unsigned)off;
    if (in == 3) {
        fn_write(p, devfn, reg, 1, (uint32_t)value & 0xff);
        fn_write(p, devfn, reg + 1, 2, (uint32_t)(value >> 8) & 0xffff);
    } else {
        fn_write(p, devfn, reg, in, (uint32_t)value);
    }
}

/* ECAM: offset = devfn << 12 | register (bus 0 only). */
static uint64_t ecam_read(void *dev, uint64_t off, unsigned size)
{
    struct pci_host *p = dev;
    if ((size == 1 || size == 2 || size == 4) && off % size == 0 && off < ECAM_SIZE)
        return fn_read(p, (unsigned)(off >> 12), (unsigned)off & 0xfff, size);
    uint64_t v = 0;
    for (unsigned i = 0; i < size && i < 8; i++) {
        uint64_t a = off + i;
        uint64_t b = a < ECAM_SIZE ? fn_read(p, (unsigned)(a >> 12), (unsigned)a & 0xfff, 1) : 0xff;
        v |= b << (i * 8);
    }
    return v;
}

static void ecam_write(void *dev, uint64_t off, unsigned size, uint64_t value)
{
    struct pci_host *p = dev;
    if ((size == 1 || size == 2 || size == 4) && off % size == 0 && off < ECAM_SIZE) {
        fn_write(p, (unsigned)(off >> 12), (unsigned)off & 0xfff, size, (uint32_t)value);
        return;
    }
    if (size == 8 && off % 8 == 0 && off < ECAM_SIZE) {
        fn_write(p, (unsigned)(off >> 12), (unsigned)off & 0xfff, 4, (uint32_t)value);
        fn_write(p, (unsigned)(off >> 12), ((unsigned)off & 0xfff) + 4, 4, (uint32_t)(value >> 32));
        return;
    }
    for (unsigned i = 0; i < size && i < 8; i++) {
        uint64_t a = off + i;
        if (a < ECAM_SIZE)
            fn_write(p, (unsigned)(a >> 12), (unsigned)a & 0xfff, 1, (uint32_t)(value >> (i * 8)) & 0xff);
    }
}

static const struct vdev_ops cf8_ops = {.read = cf8_read, .write = cf8_write};
static const struct vdev_ops cfc_ops = {.read = cfc_read, .write = cfc_write};
static const struct vdev_ops ecam_ops = {.read = ecam_read, .write = ecam_write};

void pci_host_init(struct pci_host *p, struct vm *vm, uint64_t ecam_base)
{
    memset(p, 0, sizeof(*p));
    p->vm = vm;
    pci_cfg_init(&p->bridge, PCI_HOST_VENDOR, PCI_HOST_DEVICE, PCI_HOST_CLASS, 0, 0);
    put(p->bridge.data, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    pci_host_add(p, PCI_DEVFN(0, 0), &pci_cfg_ops, &p->bridge);
    if (vdev_pio_register(vm, LAYOUT_PCI_CONFIG_ADDRESS, 1, &cf8_ops, p) ||
        vdev_pio_register(vm, LAYOUT_PCI_CONFIG_DATA, 4, &cfc_ops, p) ||
        vdev_mmio_register(vm, ecam_base, ECAM_SIZE, &ecam_ops, p))
        vdev_log(vm, "pci_host: cannot claim the configuration ports or ECAM at %#llx",
                 (unsigned long long)ecam_base);
}

int pci_host_add(struct pci_host *p, unsigned devfn, const struct pci_fn_ops *ops, void *dev)
{
    if (devfn >= PCI_DEVFNS || p->fn[devfn].ops || !ops)
        return -1;
    p->fn[devfn].ops = ops;
    p->fn[devfn].dev = dev;
    return 0;
}
