/* SPDX-License-Identifier: MIT */
/* Boot sequence of the bootstrap processor: from the loader's hand-off to the root task. */

#include "core/cmdline.h"
#include "core/console.h"
#include "core/hip.h"
#include "core/irq.h"
#include "core/memory.h"
#include "core/pd.h"
#include "core/pmm.h"
#include "core/protected.h"
#include "core/root.h"
#include "core/space_mem.h"
#include "x86/acpi_tables.h"
#include "x86/fpu.h"
#include "x86/idt.h"
#include "x86/iommu.h"
#include "x86/lapic.h"
#include "x86/paging.h"
#include "x86/percpu.h"
#include "x86/pic.h"
#include "x86/smp.h"
#include "x86/vcpu.h"
#include "x86/timer.h"
#include "x86/tsc.h"

#include <multiboot.h>

#define BOOT_MAP_LIMIT (4ull << 30) /* what the boot page tables map */

static struct mb_info boot;

/* Boot information is read through the direct map, which covers the first 4 GiB at this point. */
static const void *boot_map(void *ctx, uint64_t phys, size_t len)
{
    (void)ctx;
    return phys < BOOT_MAP_LIMIT && len <= BOOT_MAP_LIMIT - phys ? phys_to_virt(phys) : NULL;
}

static void warn_option(const char *word, unsigned len)
{
    kprintf("nova: warning: unknown command-line option '%.*s'\n", (int)len, word);
}

static uint64_t ram_end(const struct mb_info *mb)
{
    uint64_t end = BOOT_MAP_LIMIT;
    for (unsigned i = 0; i < mb->nmem; i++)
        if (mb->mem[i].type == MB_MEM_AVAILABLE && mb->mem[i].base + mb->mem[i].len > end)
            end = mb->mem[i].base + mb->mem[i].len;
    return end;
}

static struct hip_facts collect_facts(const struct mb_info *mb)
{
    const struct mb_module *root = &mb->mods[0];
    return (struct hip_facts){
        .nova_start = (uint64_t)_image_start_phys,
        .nova_end = virt_to_phys(_image_end),
        .mbuf_start = virt_to_phys(_mbuf_start),
        .mbuf_end = virt_to_phys(_mbuf_end),
        .root_start = root->start,
        .root_end = root->end,
        .rsdp = acpi.rsdp,
        .efi_mmap = mb->efi_mmap,
        .efi_mmap_size = mb->efi_mmap == MB_ABSENT ? 0 : mb->efi_mmap_size,
        .efi_desc_size = mb->efi_mmap == MB_ABSENT ? 0 : mb->efi_desc_size,
        .efi_desc_version = mb->efi_mmap == MB_ABSENT ? 0 : mb->efi_desc_version,
        .stc_freq = tsc_hz,
        .cpu_num = cpu_count,
        .cpu_bsp = 0,
        .int_pin = irq_pins,
        .int_msi = irq_msis,
        .features = (iommu_active() ? NOVA_HIP_FEAT_IOMMU : 0) |
                    (vcpu_backend() == VCPU_SVM ? NOVA_HIP_FEAT_SVM
                  : vcpu_backend() == VCPU_VMX ? NOVA_HIP_FEAT_VMX
                                               : 0),
    };
}

__attribute__((noreturn)) void kmain(uint32_t magic, uint32_t info_phys);
void kmain(uint32_t magic, uint32_t info_phys)
{
    idt_init();
    idt_load();
    percpu_init_bsp();
    console_init_uart();
    console_init_mbuf(_mbuf_start, NULL); /* part of the image, so usable from the start */
    pic_disable();
    fpu_init_cpu();

    enum mb_status st = multiboot_parse(magic, info_phys, boot_map, NULL, &boot);
    kprintf("NOVA microhypervisor (multiboot v%u)\n", boot.version);
    if (st == MB_BAD_MAGIC)
        boot_fail("not started by a multiboot loader (magic %#x)", magic);
    if (st != MB_OK)
        boot_fail("malformed multiboot information at %#x", info_phys);
    cmdline_parse(boot.cmdline, warn_option);

    pmm_init(_kmem_start, _kmem_end);
    paging_init(ram_end(&boot));
    if (cmdline.nouart)
        console_disable_uart(); /* from here on the memory-buffer console only */
    acpi_tables_init(boot.rsdp);
    protected_init((uint64_t)_image_start_phys, virt_to_phys(_image_end), cmdline.insecure);
    space_mem_init();

    tsc_measure_hz();
    vcpu_init_cpu();
    lapic_init();
    timer_init();
    smp_boot(&boot);
    iommu_init(cmdline.nosmmu);

    if (boot.nmods == 0)
        boot_fail("no root module");
    root_check(&boot.mods[0]);

    if (!(pd_nova = pd_create(true, NULL, 0)))
        panic("out of memory during boot");
    irq_init();
    console_sm_init();
    struct hip_facts facts = collect_facts(&boot);
    if (!(hip = hip_create(&facts)))
        panic("out of memory during boot");
    kprintf("nova: cpus: %u online, %u enabled in the MADT\n", facts.cpu_num, acpi.ncpus);
    kprintf("nova: memory pool %zu KiB, %zu KiB free\n", pmm_total_pages() * 4, pmm_free_pages() * 4);
    hip_log(hip);
    root_start(&boot.mods[0], magic, info_phys);
}
