/* SPDX-License-Identifier: MIT */
/* The root's services for user-mode device drivers: I/O ports, interrupts, PCI devices. */
#pragma once

#include "client.h"

#include <config.h>
#include <nova/hip.h>
#include <stdbool.h>
#include <stdint.h>

/* Locks, the PCI configuration ports and the interrupt counts of the HIP; before any client runs. */
void drivers_init(const struct nova_hip *hip);
/* Take back c's ports, interrupts (masked first) and device mappings; before its PD goes. */
void drivers_release(struct client *c);

/* One call each (w = the UTCB words, words = how many came): fill in the reply, status in w[0],
   and return its number of words. */
unsigned svc_pio_call(struct client *c, uint64_t *w, unsigned words);
unsigned svc_irq_call(struct client *c, uint64_t *w, unsigned words);
unsigned svc_pci_call(struct client *c, uint64_t *w, unsigned words);

/* Give c the PCI devices its configuration section names (device pci bdf=...). */
void svc_pci_give(struct client *c, const struct config_vm *vm);
/* Whether c was given the device bdf. */
bool svc_pci_owns(const struct client *c, unsigned bdf);

/* DMA (svc_dma.c): with an IOMMU, assign c's device bdf (name BB:DD.F) to c's PD; c->dma says
   whether one was. Map [phys, phys + size) into c's DMA space at the same I/O address (false,
   said why, if it was not), and unmap it again before the memory goes back to the pool. */
void svc_dma_init(const struct nova_hip *hip);
void svc_dma_assign(struct client *c, unsigned bdf, const char *name);
bool svc_dma_map(struct client *c, uint64_t phys, uint64_t size);
void svc_dma_unmap(struct client *c, uint64_t phys, uint64_t size);

void svc_pio_init(uint64_t sel);
void svc_pio_release(struct client *c);
void svc_irq_init(const struct nova_hip *hip, uint64_t sel);
void svc_irq_release(struct client *c);
void svc_pci_init(uint64_t sel);
void svc_pci_release(struct client *c);
