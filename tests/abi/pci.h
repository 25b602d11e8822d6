/* SPDX-License-Identifier: MIT */
/* PCI configuration through ports 0xcf8/0xcfc and QEMU's edu device, for the device cases. */
#pragma once

#include <stdint.h>

#define EDU_ID  0x11e81234u     /* device 0x11e8, vendor 0x1234 */

uint32_t pci_read(unsigned bdf, unsigned reg);
void pci_write(unsigned bdf, unsigned reg, uint32_t v);
/* The edu device on bus 0 with memory decoding and bus mastering on: its registers mapped,
   its requester ID in *bdf. NULL when there is none. */
volatile uint32_t *edu_find(unsigned *bdf);
