/* SPDX-License-Identifier: MIT */
/* PCI configuration space through the legacy CF8/CFC ports, for the root's driver services. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define PCI_CFG_SIZE      256u     /* bytes of configuration space CF8/CFC reaches */
#define PCI_VENDOR        0x00
#define PCI_COMMAND       0x04
#define PCI_STATUS        0x06
#define PCI_BAR0          0x10
#define PCI_BAR_END       0x28     /* after BAR5 */
#define PCI_ROM           0x30
#define PCI_CAP_PTR       0x34
#define PCI_CMD_MEMORY    0x0002u
#define PCI_CMD_MASTER    0x0004u
#define PCI_STATUS_CAPS   0x0010u
#define PCI_CAP_MSI       0x05
#define PCI_MSI_ENABLE    0x00010000u /* in the capability's first dword */
#define PCI_NO_DEVICE     0xffffu     /* vendor ID read where no device answers */

/* Take ports 0xcf8-0xcff from PD_NOVA and create the lock at the free selector sel; false if the
   ports cannot be taken. */
bool pci_cfg_init(uint64_t sel);
/* Read or write size (1, 2 or 4) bytes at offset off (aligned to size, below PCI_CFG_SIZE). */
uint32_t pci_cfg_read(unsigned bdf, unsigned off, unsigned size);
void pci_cfg_write(unsigned bdf, unsigned off, unsigned size, uint32_t value);
/* The offset of the device's capability with that ID, or 0. */
unsigned pci_cfg_cap(unsigned bdf, unsigned id);
