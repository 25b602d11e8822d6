/* SPDX-License-Identifier: MIT */
/* Protection domain: object, memory and I/O port spaces. */
#pragma once

#include "core/kobject.h"
#include "core/quota.h"
#include "core/space_gst.h"
#include "core/space_obj.h"
#include "core/spinlock.h"

#include <stdbool.h>
#include <stdint.h>

struct pd {
    struct kobject obj;
    struct quota quota;         /* kernel memory this PD may use (not for PD_NOVA) */
    struct space_obj objs;
    uint64_t *pml4;             /* host page table; NULL for PD_NOVA */
    uint8_t *pio_bitmap;        /* TSS format (1 = denied), 8 KiB; NULL = no ports */
    uint64_t pio_version;       /* bumped on every change, so CPUs know to reload their copy */
    bool is_nova;
    bool dead;                  /* destroyed: no CPU may keep its page table loaded */
    uint64_t cpu_mask;          /* CPUs whose CR3 holds this PD's page table now */
    struct space_gst gst;       /* for the PD's vCPUs, allocated on first use */
    uint64_t *dma;              /* IOMMU page table (DMA_HST and DMA_GST), created on first use */
    struct spinlock dma_lock;   /* serialises changes to that table */
    uint16_t dma_did;           /* IOMMU domain ID while devices may use the table, else 0 */
};

extern struct pd *pd_nova, *pd_root;

/* Create PD_NOVA (nova = true: no page table, physical resources) or an ordinary PD. The PD's
   own structures are charged to acct; it gets a quota of `reserve` bytes, also taken from acct. */
struct pd *pd_create(bool nova, struct quota *acct, uint64_t reserve);
/* Whether the PD may use port p (PD_NOVA: every port that is not protected). */
bool pd_has_port(const struct pd *pd, unsigned port);
/* The last reference is gone: drop its capabilities and tables; the PD's memory (and the quota
   it reserved from its owner) goes back once every object charged to it is freed. */
void pd_destroy(struct pd *pd);
