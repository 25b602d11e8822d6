/* SPDX-License-Identifier: MIT */
/* Hostcall function numbers (RAX of VMMCALL/VMCALL); docs/hostcall.md describes the interface. */
#pragma once

#define HOSTCALL_SMOKE        0       /* -> 42 */
#define HOSTCALL_WRITE        1       /* RBX = linear address, RCX = length -> bytes written */
#define HOSTCALL_BOOT_INFO    2       /* -> guest-physical address of the boot-info page */
#define HOSTCALL_STATS        3       /* RBX = exit event number or HOSTCALL_STATS_ALL -> exit count */
#define HOSTCALL_VCPU_ID      4       /* -> the calling vCPU's index */
#define HOSTCALL_SMOKE_ANSWER 42
#define HOSTCALL_STATS_ALL    0xffffffffffffffffull
#define HOSTCALL_ERROR        0xffffffffffffffffull

#include <stdint.h>

/* The boot-info page the VMM publishes in guest memory. */
#define HOSTCALL_BOOT_INFO_MAGIC "NOVAVMM"
struct hostcall_boot_info {
    char magic[8];              /* "NOVAVMM\0" */
    uint32_t version;           /* 1 */
    uint32_t vcpus;
    uint64_t ram_size;          /* bytes */
    uint64_t tsc_hz;            /* the guest TSC's frequency */
    char name[32];              /* the VM's name from the configuration */
};
