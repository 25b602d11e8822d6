/* SPDX-License-Identifier: MIT */
/* PCI configuration through ports 0xcf8/0xcfc and QEMU's edu device, for the device cases. */

#include "pci.h"

#include <hc.h>
#include <nova/selectors.h>
#include <physmap.h>
#include <portio.h>

#define PCI_ADDR        0xcf8
#define PCI_DATA        0xcfc
#define PCI_ENABLE      0x80000000u
#define PCI_COMMAND     0x04
#define PCI_CMD_MEM     0x2u
#define PCI_CMD_MASTER  0x4u
#define PCI_BAR0        0x10
#define PCI_BAR_ADDR    (~0xfull)
#define PCI_DEVICES     32
#define EDU_REGS        0x100

uint32_t pci_read(unsigned bdf, unsigned reg)
{
    outl(PCI_ADDR, PCI_ENABLE | bdf << 8 | (reg & 0xfc));
    return inl(PCI_DATA);
}

void pci_write(unsigned bdf, unsigned reg, uint32_t v)
{
    outl(PCI_ADDR, PCI_ENABLE | bdf << 8 | (reg & 0xfc));
    outl(PCI_DATA, v);
}

volatile uint32_t *edu_find(unsigned *bdf)
{
    hc_ctrl_pd(NOVA_SEL_PD_NOVA, NOVA_SEL_PD_ROOT, PCI_ADDR, PCI_ADDR, 3, NOVA_PERM_PIO_A, NOVA_SPC_PIO,
               NOVA_ACC_CPU_HST, 0);
    for (unsigned dev = 0; dev < PCI_DEVICES; dev++)
        if (pci_read(dev << 3, 0) == EDU_ID) {
            *bdf = dev << 3;
            pci_write(*bdf, PCI_COMMAND, pci_read(*bdf, PCI_COMMAND) | PCI_CMD_MEM | PCI_CMD_MASTER);
            return phys_map(pci_read(*bdf, PCI_BAR0) & PCI_BAR_ADDR, EDU_REGS, 1);
        }
    return 0;
}
