/* SPDX-License-Identifier: MIT */
/* Hypervisor information page (spec 6.3): built once at boot, mapped read-only into the root PD. */
#pragma once

#include <nova/hip.h>

extern struct nova_hip *hip;

struct hip_facts {
    uint64_t nova_start, nova_end, mbuf_start, mbuf_end, root_start, root_end, rsdp;
    uint64_t efi_mmap, efi_mmap_size, efi_desc_size, efi_desc_version;
    uint64_t stc_freq;
    unsigned cpu_num, cpu_bsp, int_pin, int_msi;
    uint64_t features;
};

/* Allocate and fill the HIP, with its checksum; NULL when out of memory. */
struct nova_hip *hip_create(const struct hip_facts *f);
/* Log the HIP as one line of key=value pairs (the root task prints the same pairs). */
void hip_log(const struct nova_hip *h);
