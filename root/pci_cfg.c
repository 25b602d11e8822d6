/* SPDX-License-Identifier: MIT */
/* PCI configuration space through the legacy CF8/CFC ports, for the root's driver services. */

#include "pci_cfg.h"

#include <hc.h>
#include <lock.h>
#include <nova/descriptors.h>
#include <nova/selectors.h>
#include <portio.h>

#define PCI_ADDR        0xcf8
#define PCI_DATA        0xcfc
#define PCI_PORTS_ORDER 3           /* 0xcf8-0xcff */
#define PCI_ADDR_ENABLE 0x80000000u
#define PCI_BDF_SHIFT   8
#define PCI_DWORD_MASK  0xfcu
#define PCI_CAP_ID      0xffu
#define PCI_CAP_NEXT_SHIFT 8
#define PCI_CAPS_MAX    48          /* a broken list must not loop forever */

static struct lock cfg_lock; /* the address and data ports are one pair for all threads */

bool pci_cfg_init(uint64_t sel)
{
    lock_init(&cfg_lock, sel);
    return hc_ctrl_pd(NOVA_SEL_PD_NOVA, NOVA_SEL_PD_ROOT, PCI_ADDR, PCI_ADDR, PCI_PORTS_ORDER, NOVA_PERM_PIO_A,
                      NOVA_SPC_PIO, NOVA_ACC_CPU_HST, 0) == NOVA_SUCCESS;
}

static void select_reg(unsigned bdf, unsigned off)
{
    outl(PCI_ADDR, PCI_ADDR_ENABLE | bdf << PCI_BDF_SHIFT | (off & PCI_DWORD_MASK));
}

uint32_t pci_cfg_read(unsigned bdf, unsigned off, unsigned size)
{
    uint16_t port = (uint16_t)(PCI_DATA + (off & 3));
    lock_take(&cfg_lock);
    select_reg(bdf, off);
    uint32_t v = size == 4 ? inl(port) : size == 2 ? inw(port) : inb(port);
    lock_give(&cfg_lock);
    return v;
}

void pci_cfg_write(unsigned bdf, unsigned off, unsigned size, uint32_t value)
{
    uint16_t port = (uint16_t)(PCI_DATA + (off & 3));
    lock_take(&cfg_lock);
    select_reg(bdf, off);
    if (size == 4)
        outl(port, value);
    else if (size == 2)
        outw(port, (uint16_t)value);
    else
        outb(port, (uint8_t)value);
    lock_give(&cfg_lock);
}

unsigned pci_cfg_cap(unsigned bdf, unsigned id)
{
    if (!(pci_cfg_read(bdf, PCI_STATUS, 2) & PCI_STATUS_CAPS))
        return 0;
    unsigned cap = pci_cfg_read(bdf, PCI_CAP_PTR, 1) & PCI_DWORD_MASK;
    for (unsigned n = 0; cap && n < PCI_CAPS_MAX; n++) {
        uint32_t head = pci_cfg_read(bdf, cap, 2);
        if ((head & PCI_CAP_ID) == id)
            return cap;
        cap = (head >> PCI_CAP_NEXT_SHIFT) & PCI_DWORD_MASK;
    }
    return 0;
}
