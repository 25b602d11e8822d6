/* SPDX-License-Identifier: MIT */
/* The groups of cases of the ABI conformance suite. */
#pragma once

#include <nova/hip.h>

void cases_boot_state(const struct nova_hip *hip);
void cases_hypercall(void);
void cases_ctrl_sc(void);
void cases_ctrl_pd_checks(void);
void cases_ctrl_pd_obj(void);
void cases_ctrl_pd_mem(const struct nova_hip *hip);
void cases_ctrl_pd_pio(void);
void cases_create(void);
void cases_ipc(void);
void cases_events(void);
void cases_sm(void);
void cases_sched(void);
void cases_fpu(void);
void cases_quota(void);
void cases_lifetime(void);
void cases_lifetime_remote(void);
void cases_irq(const struct nova_hip *hip);
void cases_memory(const struct nova_hip *hip);
void cases_stress(void);
void cases_sanity(void);
/* lib/thread.c: exceptions of threads caught per CPU (last: its portals stay). */
void cases_thread_fault(void);
/* ctrl_hw QOS operations on every CPU, and sleep descriptors nobody accepts. */
void cases_qos(void);
/* S3 and wakeup, only when cmdline has the word "s3" (the harness must wake QEMU up). */
void cases_suspend(const char *cmdline);

/* IOMMU (assign_dev, DMA spaces) with QEMU's edu device; runs after cases_memory. */
void cases_iommu(const struct nova_hip *hip);

/* How many semaphores owned by pd fit its quota now (they are revoked again afterwards). */
unsigned sm_capacity(uint64_t pd);
/* 1 if a thread of ROOT can read va, 0 if it faults there (after cases_memory's setup). */
int readable(uint64_t pd, uint64_t va);

/* Free selectors and virtual addresses the cases may use. */
#define SEL_SCRATCH     0x100       /* 0x100..0x1ff */
#define VA_SCRATCH      0x200000000000ull
