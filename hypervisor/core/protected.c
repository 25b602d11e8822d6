/* SPDX-License-Identifier: MIT */
/* Resources PD_NOVA never hands out (spec 8.2): the hypervisor's memory, APIC/IOMMU MMIO, ACPI control ports. */

#include "core/protected.h"
#include "core/memory.h"
#include "x86/acpi_tables.h"
#include "x86/cpu.h"
#include "x86/iommu.h"

#define APIC_BASE_MASK 0x000ffffffffff000ull

static uint64_t image_first, image_end; /* page numbers, end exclusive */
static uint64_t lapic_page;
static bool smi_cmd_protected;

void protected_init(uint64_t nova_start, uint64_t nova_end, bool insecure)
{
    image_first = nova_start >> PAGE_SHIFT;
    image_end = ALIGN_UP(nova_end, PAGE_SIZE) >> PAGE_SHIFT;
    lapic_page = (rdmsr(MSR_APIC_BASE) & APIC_BASE_MASK) >> PAGE_SHIFT;
    smi_cmd_protected = !insecure;
}

bool protected_page(uint64_t page)
{
    if (page >= image_first && page < image_end)
        return true;
    if (page == lapic_page || (acpi.lapic && page == acpi.lapic >> PAGE_SHIFT))
        return true;
    for (unsigned i = 0; i < acpi.nioapic; i++)
        if (page == acpi.ioapic[i] >> PAGE_SHIFT)
            return true;
    return iommu_protected_range(page, 1);
}

static bool hits(uint64_t first, uint64_t count, uint64_t page)
{
    return page >= first && page - first < count;
}

bool protected_range(uint64_t first, uint64_t count)
{
    if (first < image_end && image_first < first + count)
        return true;
    if (hits(first, count, lapic_page) || (acpi.lapic && hits(first, count, acpi.lapic >> PAGE_SHIFT)))
        return true;
    for (unsigned i = 0; i < acpi.nioapic; i++)
        if (hits(first, count, acpi.ioapic[i] >> PAGE_SHIFT))
            return true;
    return iommu_protected_range(first, count);
}

bool protected_port(unsigned port)
{
    if (smi_cmd_protected && acpi.smi_cmd && port == acpi.smi_cmd)
        return true;
    for (unsigned i = 0; i < 3; i++)
        if (acpi.pm_cnt_port[i] && port >= acpi.pm_cnt_port[i] && port < acpi.pm_cnt_port[i] + acpi.pm_cnt_len[i])
            return true;
    return false;
}
