/* SPDX-License-Identifier: MIT */
/* DMA confinement of driver clients: their PCI devices are assigned to their PDs through the IOMMU
   whose scope holds them, and the memory they ask for (SVC_ALLOC) appears in their DMA space at
   I/O address = physical address. Without an IOMMU, the root says once that DMA is not confined. */

#include "drivers.h"
#include "console.h"
#include "memory.h"

#include <acpi_iommu.h>
#include <hc.h>
#include <nova/descriptors.h>
#include <nova/hip.h>

#define RW (NOVA_PERM_MEM_R | NOVA_PERM_MEM_W)

static bool iommu;              /* the hypervisor drives an IOMMU (HIP feature bit 0) */
static bool warned;             /* the "not confined" line was printed */
static uint64_t rsdp;

void svc_dma_init(const struct nova_hip *hip)
{
    iommu = hip->features & NOVA_HIP_FEAT_IOMMU;
    rsdp = hip->rsdp;
}

void svc_dma_assign(struct client *c, unsigned bdf, const char *name)
{
    if (!iommu) {
        if (!warned)
            say("root: no IOMMU: the DMA of driver clients' devices is not confined\n");
        warned = true;
        return;
    }
    int amd = 0;
    uint64_t unit = acpi_iommu_find(rsdp, bdf, &amd);
    if (!unit) {
        say("root: %s: pci %s: no IOMMU unit in the DMAR/IVRS holds it: its DMA stays blocked\n", c->name, name);
        return;
    }
    unsigned st = hc_assign_dev(c->sel + CS_PD, unit, NOVA_ACC_DMA_HST,
                                nova_dad(SVC_PCI_BUS(bdf), SVC_PCI_DEV(bdf), SVC_PCI_FN(bdf)));
    if (st != NOVA_SUCCESS) {
        say("root: %s: pci %s: assign_dev (%s unit at %#lx): %s: its DMA stays blocked\n", c->name, name,
            amd ? "AMD-Vi" : "VT-d", unit, nova_status_name(st));
        return;
    }
    c->dma = true;
    say("root: %s: pci %s DMA confined to its memory (%s unit at %#lx)\n", c->name, name, amd ? "AMD-Vi" : "VT-d",
        unit);
}

bool svc_dma_map(struct client *c, uint64_t phys, uint64_t size)
{
    if (!c->dma)
        return false;
    unsigned st = memory_map_dma(c->sel + CS_PD, phys, size, RW);
    if (st == NOVA_SUCCESS)
        return true;
    memory_map_dma(c->sel + CS_PD, phys, size, 0); /* whatever part did get mapped */
    say("root: %s: [%#lx-%#lx) not mapped for its devices' DMA: %s\n", c->name, phys, phys + size,
        nova_status_name(st));
    return false;
}

void svc_dma_unmap(struct client *c, uint64_t phys, uint64_t size)
{
    memory_map_dma(c->sel + CS_PD, phys, size, 0);
}
