/* SPDX-License-Identifier: MIT */
/* Hypervisor information page (HIP) and the root task's fixed virtual addresses. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NOVA_HIP_SIGNATURE 0x41564f4eU /* "NOVA" */
#define NOVA_HIP_LENGTH    0x80U       /* length our kernel reports */

/* Feature bits (features field). */
#define NOVA_HIP_FEAT_IOMMU (1ULL << 0) /* IOMMU (VT-d) in use */
#define NOVA_HIP_FEAT_VMX   (1ULL << 1) /* vCPUs run on Intel VMX */
#define NOVA_HIP_FEAT_SVM   (1ULL << 2) /* vCPUs run on AMD SVM */

/* Root task address space. */
#define NOVA_USER_VA_END     0x800000000000ULL /* exclusive end of user VA */
#define NOVA_HIP_VADDR       0x7ffffffff000ULL /* HIP, read-only */
#define NOVA_ROOT_UTCB_VADDR 0x7fffffffe000ULL /* root EC's UTCB */

/* Value of an absent physical address (rsdp, uefi_mmap). */
#define NOVA_ABSENT (~0ULL)

/* All addresses are physical. */
struct nova_hip {
    uint32_t signature;      /* 0x00: NOVA_HIP_SIGNATURE */
    uint16_t checksum;       /* 0x04: halfwords over length sum to 0 */
    uint16_t length;         /* 0x06: bytes */
    uint64_t nova_start;     /* 0x08: hypervisor image */
    uint64_t nova_end;       /* 0x10 */
    uint64_t mbuf_start;     /* 0x18: memory-buffer console */
    uint64_t mbuf_end;       /* 0x20 */
    uint64_t root_start;     /* 0x28: root task image */
    uint64_t root_end;       /* 0x30 */
    uint64_t rsdp;           /* 0x38: ACPI RSDP or NOVA_ABSENT */
    uint64_t uefi_mmap;      /* 0x40: UEFI memory map or NOVA_ABSENT */
    uint32_t uefi_mmap_size; /* 0x48: 0 if absent */
    uint16_t uefi_desc_size; /* 0x4c: 0 if absent */
    uint16_t uefi_desc_ver;  /* 0x4e: 0 if absent */
    uint64_t stc_freq;       /* 0x50: STC (TSC) frequency in Hz */
    uint64_t sel_num;        /* 0x58: NOVA_SEL_NUM */
    uint16_t sel_hst_arch;   /* 0x60: NOVA_SEL_HST_ARCH */
    uint16_t sel_hst_nova;   /* 0x62: NOVA_SEL_HST_NOVA */
    uint16_t sel_gst_arch;   /* 0x64: NOVA_SEL_GST_ARCH */
    uint16_t sel_gst_nova;   /* 0x66: NOVA_SEL_GST_NOVA */
    uint16_t cpu_num;        /* 0x68: online CPUs */
    uint16_t cpu_bsp;        /* 0x6a: CPU of the root EC and SC */
    uint16_t int_pin;        /* 0x6c: pin interrupts (first semaphores) */
    uint16_t int_msi;        /* 0x6e: MSIs (the following semaphores) */
    uint64_t features;       /* 0x70: NOVA_HIP_FEAT_* */
    uint8_t arch_pad[8];     /* 0x78: x86 arch part: empty, padded, zero */
} __attribute__((packed));

#define NOVA_HIP_AT(f, off) _Static_assert(offsetof(struct nova_hip, f) == (off), "hip." #f)

NOVA_HIP_AT(signature, 0x00);
NOVA_HIP_AT(checksum, 0x04);
NOVA_HIP_AT(length, 0x06);
NOVA_HIP_AT(nova_start, 0x08);
NOVA_HIP_AT(nova_end, 0x10);
NOVA_HIP_AT(mbuf_start, 0x18);
NOVA_HIP_AT(mbuf_end, 0x20);
NOVA_HIP_AT(root_start, 0x28);
NOVA_HIP_AT(root_end, 0x30);
NOVA_HIP_AT(rsdp, 0x38);
NOVA_HIP_AT(uefi_mmap, 0x40);
NOVA_HIP_AT(uefi_mmap_size, 0x48);
NOVA_HIP_AT(uefi_desc_size, 0x4c);
NOVA_HIP_AT(uefi_desc_ver, 0x4e);
NOVA_HIP_AT(stc_freq, 0x50);
NOVA_HIP_AT(sel_num, 0x58);
NOVA_HIP_AT(sel_hst_arch, 0x60);
NOVA_HIP_AT(sel_hst_nova, 0x62);
NOVA_HIP_AT(sel_gst_arch, 0x64);
NOVA_HIP_AT(sel_gst_nova, 0x66);
NOVA_HIP_AT(cpu_num, 0x68);
NOVA_HIP_AT(cpu_bsp, 0x6a);
NOVA_HIP_AT(int_pin, 0x6c);
NOVA_HIP_AT(int_msi, 0x6e);
NOVA_HIP_AT(features, 0x70);
NOVA_HIP_AT(arch_pad, 0x78);
_Static_assert(sizeof(struct nova_hip) == NOVA_HIP_LENGTH, "HIP size");

#undef NOVA_HIP_AT

/*
 * 16-bit sum of the little-endian halfwords in hip[0 .. len). A trailing odd
 * byte counts as the low byte of a last halfword. The kernel stores
 * checksum = 0 - sum (computed with checksum = 0), so a valid HIP sums to 0.
 */
static inline uint16_t nova_hip_sum(const void *hip, size_t len)
{
    const uint8_t *p = hip;
    uint16_t sum = 0;

    for (size_t i = 0; i < len; i += 2) {
        uint16_t hw = p[i];
        if (i + 1 < len)
            hw = (uint16_t)(hw | (p[i + 1] << 8));
        sum = (uint16_t)(sum + hw);
    }
    return sum;
}

/*
 * True if h points to a plausible HIP of which mapped_len bytes are readable:
 * right signature, even length covering at least struct nova_hip and no more
 * than mapped_len, and a checksum that sums to 0.
 */
static inline bool nova_hip_valid(const struct nova_hip *h, size_t mapped_len)
{
    if (!h || mapped_len < sizeof(*h))
        return false;
    if (h->signature != NOVA_HIP_SIGNATURE)
        return false;
    if (h->length < sizeof(*h) || (h->length & 1U) || h->length > mapped_len)
        return false;
    return nova_hip_sum(h, h->length) == 0;
}
