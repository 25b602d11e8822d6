/* SPDX-License-Identifier: MIT */
/* Hypervisor information page (spec 6.3): built once at boot, mapped read-only into the root PD. */

#include "core/hip.h"
#include "core/console.h"
#include "core/pmm.h"

#include <hip_text.h>
#include <nova/selectors.h>

struct nova_hip *hip;

struct nova_hip *hip_create(const struct hip_facts *f)
{
    struct nova_hip *h = page_alloc(0);
    if (!h)
        return NULL;
    *h = (struct nova_hip){
        .signature = NOVA_HIP_SIGNATURE,
        .length = NOVA_HIP_LENGTH,
        .nova_start = f->nova_start,
        .nova_end = f->nova_end,
        .mbuf_start = f->mbuf_start,
        .mbuf_end = f->mbuf_end,
        .root_start = f->root_start,
        .root_end = f->root_end,
        .rsdp = f->rsdp,
        .uefi_mmap = f->efi_mmap,
        .uefi_mmap_size = (uint32_t)f->efi_mmap_size,
        .uefi_desc_size = (uint16_t)f->efi_desc_size,
        .uefi_desc_ver = (uint16_t)f->efi_desc_version,
        .stc_freq = f->stc_freq,
        .sel_num = NOVA_SEL_NUM,
        .sel_hst_arch = NOVA_SEL_HST_ARCH,
        .sel_hst_nova = NOVA_SEL_HST_NOVA,
        .sel_gst_arch = NOVA_SEL_GST_ARCH,
        .sel_gst_nova = NOVA_SEL_GST_NOVA,
        .cpu_num = (uint16_t)f->cpu_num,
        .cpu_bsp = (uint16_t)f->cpu_bsp,
        .int_pin = (uint16_t)f->int_pin,
        .int_msi = (uint16_t)f->int_msi,
        .features = f->features,
    };
    h->checksum = (uint16_t)(0 - nova_hip_sum(h, h->length));
    return h;
}

void hip_log(const struct nova_hip *h)
{
    char line[400];
    hip_text(line, sizeof(line), h);
    kprintf("nova: hip %s\n", line);
}
