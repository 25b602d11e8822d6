/* SPDX-License-Identifier: MIT */
/* Runtime for programs the root task starts: its driver services (ports, interrupts, PCI) as C calls. */

#include "client.h"

#include <nova/utcb.h>

static uint64_t *const word = ((union nova_utcb *)SVC_UTCB_VA)->regular.word;

unsigned client_pio(unsigned base, unsigned count)
{
    word[0] = SVC_PIO;
    word[1] = base;
    word[2] = count;
    return client_call(3);
}

unsigned client_irq_gsi(unsigned gsi, unsigned flags, uint64_t *sel)
{
    word[0] = SVC_IRQ;
    word[1] = SVC_IRQ_GSI;
    word[2] = gsi;
    word[3] = flags;
    unsigned st = client_call(4);
    if (st == SVC_OK)
        *sel = word[1];
    return st;
}

unsigned client_irq_msi(unsigned bdf, uint64_t *sel, uint64_t *addr, uint64_t *data)
{
    word[0] = SVC_IRQ;
    word[1] = SVC_IRQ_MSI;
    word[2] = bdf;
    unsigned st = client_call(3);
    if (st == SVC_OK) {
        *sel = word[1];
        *addr = word[2];
        *data = word[3];
    }
    return st;
}

unsigned client_pci_device(unsigned index, unsigned *bdf)
{
    word[0] = SVC_PCI;
    word[1] = SVC_PCI_DEVICE;
    word[2] = index;
    unsigned st = client_call(3);
    if (st == SVC_OK)
        *bdf = (unsigned)word[1];
    return st;
}

unsigned client_pci_read(unsigned bdf, unsigned off, unsigned size, uint32_t *value)
{
    word[0] = SVC_PCI;
    word[1] = SVC_PCI_READ;
    word[2] = bdf;
    word[3] = off;
    word[4] = size;
    unsigned st = client_call(5);
    if (st == SVC_OK)
        *value = (uint32_t)word[1];
    return st;
}

unsigned client_pci_write(unsigned bdf, unsigned off, unsigned size, uint32_t value)
{
    word[0] = SVC_PCI;
    word[1] = SVC_PCI_WRITE;
    word[2] = bdf;
    word[3] = off;
    word[4] = size;
    word[5] = value;
    return client_call(6);
}

unsigned client_pci_bar(unsigned bdf, unsigned bar, uint64_t *va, uint64_t *size)
{
    word[0] = SVC_PCI;
    word[1] = SVC_PCI_BAR;
    word[2] = bdf;
    word[3] = bar;
    unsigned st = client_call(4);
    if (st == SVC_OK) {
        *va = word[1];
        *size = word[2];
    }
    return st;
}
