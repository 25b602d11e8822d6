/* SPDX-License-Identifier: MIT */
/* PCI host: configuration mechanism #1 (0xcf8/0xcfc), the ECAM window for bus 0, a host bridge
   at 00.0, and a generic type-0 configuration header for device models with BARs. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "dev/vdev.h"

#define PCI_DEVFN(slot, fn)     ((unsigned)(slot) << 3 | (unsigned)(fn))
#define PCI_DEVFNS              256
#define PCI_CFG_SPACE           4096        /* per function, through ECAM; mechanism #1 reaches 256 */

/* Standard type-0 header offsets. */
#define PCI_VENDOR_ID           0x00
#define PCI_DEVICE_ID           0x02
#define PCI_COMMAND             0x04
#define PCI_STATUS              0x06
#define PCI_REVISION            0x08
#define PCI_CLASS_PROG          0x09        /* class code: prog-if, subclass, base class */
#define PCI_HEADER_TYPE         0x0e
#define PCI_BAR0                0x10
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define PCI_SUBSYSTEM_ID        0x2e
#define PCI_INTERRUPT_LINE      0x3c
#define PCI_INTERRUPT_PIN       0x3d
#define PCI_HEADER_MULTI_FN     0x80

#define PCI_COMMAND_IO          (1u << 0)
#define PCI_COMMAND_MEMORY      (1u << 1)
#define PCI_COMMAND_MASTER      (1u << 2)
#define PCI_COMMAND_PARITY      (1u << 6)
#define PCI_COMMAND_SERR        (1u << 8)
#define PCI_COMMAND_INTX_DISABLE (1u << 10)
#define PCI_COMMAND_WRITABLE    (PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_PARITY | \
                                 PCI_COMMAND_SERR | PCI_COMMAND_INTX_DISABLE)
#define PCI_STATUS_INTX         (1u << 3)
#define PCI_STATUS_W1C          0xf900u     /* error bits 8, 11-15: write 1 to clear */

/* BAR flags for pci_cfg_set_bar (the low bits of the BAR). */
#define PCI_BAR_IO              0x1u
#define PCI_BAR_MEM64           0x4u
#define PCI_BAR_PREFETCH        0x8u

#define PCI_HOST_VENDOR         0x8086u
#define PCI_HOST_DEVICE         0x29c0u     /* Q35/G33 DRAM controller */
#define PCI_HOST_CLASS          0x060000u   /* host bridge */

/* CONFIG_ADDRESS: enable, bus, device, function, dword register. */
#define PCI_CF8_ENABLE          0x80000000u
#define PCI_CF8_MASK            0x80fffffcu /* reserved bits 30:24 and 1:0 read 0 */

/* A PCI function's configuration space. offset + size stays within PCI_CFG_SPACE and is
   naturally aligned; size is 1, 2 or 4; read returns the bytes in the low bits. */
struct pci_fn_ops {
    uint32_t (*read)(void *dev, unsigned offset, unsigned size);
    void (*write)(void *dev, unsigned offset, unsigned size, uint32_t value);
};

/* A generic 256-byte configuration header: bytes, the bits software may write, and the bits
   it clears by writing 1. Bytes 256-4095 read 0 (no extended capabilities). */
struct pci_cfg {
    uint8_t data[256];
    uint8_t wmask[256];
    uint8_t w1c[256];
};

/* IDs, class (base class << 16 | subclass << 8 | prog-if), revision and header type; the
   command register's usual bits, the status error bits and the interrupt line writable. */
void pci_cfg_init(struct pci_cfg *c, uint16_t vendor, uint16_t device, uint32_t class_code, uint8_t revision,
                  uint8_t header_type);
/* BAR n: size a power of two (I/O >= 4, memory >= 16), flags PCI_BAR_*; a 64-bit BAR takes n and
   n + 1. Sizing works as on hardware: write all ones, read back ~(size - 1) | flags. -1 if the
   arguments are invalid. */
int pci_cfg_set_bar(struct pci_cfg *c, unsigned n, uint64_t size, unsigned flags);
/* The address the guest programmed into BAR n (without the flag bits; both halves if 64-bit). */
uint64_t pci_cfg_bar(const struct pci_cfg *c, unsigned n);
/* Interrupt pin (1 = INTA .. 4 = INTD) and, as firmware would, the line = its GSI per the _PRT. */
void pci_cfg_set_intx(struct pci_cfg *c, unsigned slot, unsigned pin);
uint32_t pci_cfg_read(struct pci_cfg *c, unsigned offset, unsigned size);
void pci_cfg_write(struct pci_cfg *c, unsigned offset, unsigned size, uint32_t value);
/* pci_fn_ops over a struct pci_cfg (dev = the struct pci_cfg). */
extern const struct pci_fn_ops pci_cfg_ops;

struct pci_host {
    struct vm *vm;
    uint32_t address;       /* CONFIG_ADDRESS */
    struct pci_cfg bridge;  /* 00.0 */
    struct {
        const struct pci_fn_ops *ops;
        void *dev;
    } fn[PCI_DEVFNS];
};

/* Claim 0xcf8 (1 port: the VMM's bus dispatches an access by its first port, so a dword at
   0xcf8 reaches CONFIG_ADDRESS while a byte at 0xcf9 reaches acpi_pm's reset register),
   0xcfc-0xcff, and [ecam_base, ecam_base + 1 MiB) for bus 0; add the host bridge at 00.0. */
void pci_host_init(struct pci_host *p, struct vm *vm, uint64_t ecam_base);
/* Put a function at devfn (PCI_DEVFN(slot, fn)); fn 0 of a slot must exist for the guest to
   look for the others (set PCI_HEADER_MULTI_FN in fn 0's header type). -1 if devfn is taken
   or out of range. */
int pci_host_add(struct pci_host *p, unsigned devfn, const struct pci_fn_ops *ops, void *dev);
