/* SPDX-License-Identifier: MIT */
/* AMD-Vi driver (AMD I/O Virtualization Technology spec 3.x): device table, I/O page tables,
   per-device interrupt remapping tables, command buffer (INVALIDATE_DEVTAB_ENTRY,
   INVALIDATE_IOMMU_PAGES, INVALIDATE_INTERRUPT_TABLE, COMPLETION_WAIT) and the event log, read
   on the IOMMU's MSI. */

#include "x86/iommu.h"
#include "core/console.h"
#include "core/memory.h"
#include "core/pd.h"
#include "core/pmm.h"
#include "x86/dma_space.h"
#include "x86/lapic.h"

#include <nova/selectors.h>
#include <portio.h>

/* MMIO registers (spec 3.4). */
#define REG_DEVTAB      0x0000
#define REG_CMDBUF      0x0008
#define REG_EVTLOG      0x0010
#define REG_CONTROL     0x0018
#define REG_CMD_HEAD    0x2000
#define REG_CMD_TAIL    0x2008
#define REG_EVT_HEAD    0x2010
#define REG_EVT_TAIL    0x2018
#define REG_STATUS      0x2020

#define CTRL_IOMMU_EN   (1ull << 0)
#define CTRL_EVTLOG_EN  (1ull << 2)
#define CTRL_EVTINT_EN  (1ull << 3)
#define CTRL_CMDBUF_EN  (1ull << 12)
#define STATUS_EVT_OVF  (1ull << 0)
#define STATUS_W1C      0x7ull          /* event overflow, event and completion-wait interrupts */
#define RING_LEN_4K     (8ull << 56)    /* 2^8 entries of 16 bytes: one page */
#define RING_ENTRIES    256u
#define RING_BYTES      4096u
#define ENTRY_BYTES     16u

#define DEVTAB_ORDER    9               /* 65536 entries of 32 bytes: 2 MiB */
#define DEVTAB_SIZE     511ull          /* pages - 1 */
#define DEVICES         65536u
#define DTE_V           (1ull << 0)
#define DTE_TV          (1ull << 1)
#define DTE_MODE_SHIFT  9
#define DTE_IR          (1ull << 61)
#define DTE_IW          (1ull << 62)
#define DTE_DOMAIN_MASK 0xffffull
/* Interrupt remapping fields, quadword 2 of the device table entry (spec 2.2.2.2). */
#define DTE_IV          (1ull << 0)     /* the interrupt fields are valid */
#define DTE_INTTABLEN(n) ((uint64_t)(n) << 1)   /* 2^n entries */
#define DTE_INTTAB_MASK 0x000fffffffffffc0ull   /* table root, 128-byte aligned */
#define DTE_INTCTL_ABORT  (0ull << 60)  /* fixed/arbitrated interrupts: target abort */
#define DTE_INTCTL_REMAP  (2ull << 60)  /* remapped through the table */
#define DTE_INTCTL_MASK   (3ull << 60)
#define IRT_LEN_LOG     8u              /* 256 entries of 32 bits: one per interrupt index */
#define IRT_ENTRIES     (1u << IRT_LEN_LOG)
/* Interrupt remapping table entry, 32-bit format without guest virtual APIC (spec 2.2.5.1). */
#define IRTE_REMAP_EN   (1u << 0)       /* fixed delivery, physical destination */
#define IRTE_DEST(id)   ((uint32_t)(id) << 8)
#define IRTE_VECTOR(v)  ((uint32_t)(v) << 16)
#define NO_OWNER        0xffffffffu

/* I/O page table entries (spec 2.2.3). */
#define PTE_PR          (1ull << 0)
#define PTE_NEXT_SHIFT  9
#define PTE_IR          (1ull << 61)
#define PTE_IW          (1ull << 62)

/* Commands (spec 2.4): opcode in bits 63:60 of the first quadword. */
#define CMD_OP_SHIFT        60
#define CMD_COMPLETION_WAIT 0x1ull
#define CMD_INV_DEVTAB      0x2ull
#define CMD_INV_PAGES       0x3ull
#define CMD_INV_IRT         0x5ull      /* INVALIDATE_INTERRUPT_TABLE of a device */
#define CMD_WAIT_STORE      (1ull << 0)
#define CMD_PAGES_DOMAIN(d) ((uint64_t)(d) << 32)
#define CMD_PAGES_ALL       0x7ffffffffffff000ull
#define CMD_PAGES_S         (1ull << 0)
#define CMD_PAGES_PDE       (1ull << 1)
#define WAIT_DONE           0x600dull

/* Events (spec 2.5). */
#define EVT_DEVID(e)        ((uint16_t)(e))
#define EVT_CODE(e)         ((unsigned)((e) >> 60))
#define EVT_PR              (1ull << 52)
#define EVT_RW              (1ull << 53)
#define EVT_ILLEGAL_DTE     0x1u
#define EVT_IO_PAGE_FAULT   0x2u

#define PCI_ADDR        0xcf8
#define PCI_DATA        0xcfc
#define PCI_ENABLE      0x80000000u
#define PCI_CAP_PTR     0x34
#define PCI_CAP_MSI     0x05
#define MSI_ENABLE      (1u << 16)
#define MSI_64BIT       (1u << 23)
#define MSI_ADDR_BASE   0xfee00000u
#define MSI_DEST_SHIFT  12

#define DTE_QWORDS      4               /* a device table entry is 256 bits */
#define DTE_INT         2               /* quadword with the interrupt remapping fields */
_Static_assert(NOVA_INT_VECTORS <= IRT_ENTRIES, "one table entry per interrupt index");
_Static_assert(RING_ENTRIES * ENTRY_BYTES == RING_BYTES && RING_LEN_4K >> 56 == 8, "command/event ring: one page");
_Static_assert((DEVICES * DTE_QWORDS * 8) >> 12 == DEVTAB_SIZE + 1 && (1u << DEVTAB_ORDER) == DEVTAB_SIZE + 1,
               "device table: 64 Ki entries of 32 bytes");

struct amdvi {
    uint64_t *devtab, *cmd, *evt;
    unsigned cmd_tail;
    volatile uint64_t done;     /* COMPLETION_WAIT stores WAIT_DONE here */
    uint32_t owner[IRT_ENTRIES]; /* requester whose table holds interrupt index i, or NO_OWNER */
};

static struct amdvi state[IOMMU_MAX_UNITS];
static unsigned nstate;

static uint64_t rd64(struct iommu_unit *u, unsigned off) { return *(volatile uint64_t *)(u->regs + off); }
static void wr64(struct iommu_unit *u, unsigned off, uint64_t v) { *(volatile uint64_t *)(u->regs + off) = v; }

static uint32_t pci_read(unsigned bdf, unsigned reg)
{
    outl(PCI_ADDR, PCI_ENABLE | bdf << 8 | (reg & 0xfc));
    return inl(PCI_DATA);
}

static void pci_write(unsigned bdf, unsigned reg, uint32_t v)
{
    outl(PCI_ADDR, PCI_ENABLE | bdf << 8 | (reg & 0xfc));
    outl(PCI_DATA, v);
}

/* Events raise the IOMMU's own MSI (its PCI function): to the BSP on IOMMU_VEC_FAULT. */
static void events_route(struct iommu_unit *u)
{
    unsigned cap = pci_read(u->self_bdf, PCI_CAP_PTR) & 0xfc;
    for (unsigned n = 0; cap && n < 48 && (pci_read(u->self_bdf, cap) & 0xff) != PCI_CAP_MSI; n++)
        cap = (pci_read(u->self_bdf, cap) >> 8) & 0xfc;
    if (!cap) {
        kprintf("nova: AMD-Vi at %#lx has no MSI: events are read at IOMMU calls only\n", u->base);
        return;
    }
    uint32_t ctl = pci_read(u->self_bdf, cap);
    pci_write(u->self_bdf, cap + 4, MSI_ADDR_BASE | lapic_id() << MSI_DEST_SHIFT);
    if (ctl & MSI_64BIT)
        pci_write(u->self_bdf, cap + 8, 0);
    pci_write(u->self_bdf, cap + (ctl & MSI_64BIT ? 12 : 8), IOMMU_VEC_FAULT);
    pci_write(u->self_bdf, cap, ctl | MSI_ENABLE);
}

/* Queue one command; with wait, also a COMPLETION_WAIT, and return once the unit got there. */
static void command(struct iommu_unit *u, uint64_t lo, uint64_t hi, bool wait)
{
    struct amdvi *a = u->drv;
    unsigned next = (a->cmd_tail + 1) % RING_ENTRIES;
    uint64_t end = iommu_deadline();
    while (next * ENTRY_BYTES == rd64(u, REG_CMD_HEAD) && !iommu_expired(end))
        __asm__ volatile("pause"); /* full */
    a->cmd[2 * a->cmd_tail] = lo;
    a->cmd[2 * a->cmd_tail + 1] = hi;
    a->cmd_tail = next;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    wr64(u, REG_CMD_TAIL, (uint64_t)a->cmd_tail * ENTRY_BYTES);
    if (!wait)
        return;
    a->done = 0;
    command(u, virt_to_phys((const void *)&a->done) | CMD_WAIT_STORE | CMD_COMPLETION_WAIT << CMD_OP_SHIFT,
            WAIT_DONE, false);
    while (a->done != WAIT_DONE && !iommu_expired(end))
        __asm__ volatile("pause");
}

static void flush_domain(struct iommu_unit *u, uint16_t did, bool wait)
{
    command(u, CMD_PAGES_DOMAIN(did) | CMD_INV_PAGES << CMD_OP_SHIFT, CMD_PAGES_ALL | CMD_PAGES_S | CMD_PAGES_PDE,
            wait);
}

static uint64_t io_table(uint64_t pa, unsigned level)
{
    return pa | PTE_PR | (uint64_t)level << PTE_NEXT_SHIFT | PTE_IR | PTE_IW;
}

static uint64_t io_leaf(uint64_t pa, unsigned perms)
{
    return pa | PTE_PR | (perms & DMA_R ? PTE_IR : 0) | (perms & DMA_W ? PTE_IW : 0);
}

static unsigned io_perms(uint64_t e)
{
    return (e & PTE_IR ? DMA_R : 0) | (e & PTE_IW ? DMA_W : 0);
}

static const struct dma_format io_format = {io_table, io_leaf, io_perms};

#define AMDVI_LEVELS 3u /* 39-bit I/O virtual addresses, as on VT-d */

static void interrupts_block(struct amdvi *a, uint16_t ioapic, uint16_t self);

static int amdvi_enable(struct iommu_unit *u)
{
    struct amdvi *a = u->drv;
    if (!a) {
        if (nstate >= IOMMU_MAX_UNITS)
            return -1;
        a = u->drv = &state[nstate++];
        a->devtab = page_alloc(DEVTAB_ORDER);
        a->cmd = page_alloc(0);
        a->evt = page_alloc(0);
        if (!a->devtab || !a->cmd || !a->evt)
            return -1;
        for (unsigned d = 0; d < DEVICES; d++)
            a->devtab[DTE_QWORDS * d] = DTE_V | DTE_TV; /* mode 0 without IR/IW: every DMA is blocked */
        for (unsigned i = 0; i < IRT_ENTRIES; i++)
            a->owner[i] = NO_OWNER;
        if (u->has_ioapic)
            interrupts_block(a, u->ioapic_bdf, u->self_bdf);
        dma_space_setup(&io_format, AMDVI_LEVELS, false);
    }
    wr64(u, REG_CONTROL, 0);
    wr64(u, REG_DEVTAB, virt_to_phys(a->devtab) | DEVTAB_SIZE);
    wr64(u, REG_CMDBUF, virt_to_phys(a->cmd) | RING_LEN_4K);
    wr64(u, REG_EVTLOG, virt_to_phys(a->evt) | RING_LEN_4K);
    wr64(u, REG_CMD_HEAD, 0);
    wr64(u, REG_CMD_TAIL, 0);
    wr64(u, REG_EVT_HEAD, 0);
    wr64(u, REG_EVT_TAIL, 0);
    wr64(u, REG_STATUS, STATUS_W1C);
    a->cmd_tail = 0;
    events_route(u);
    wr64(u, REG_CONTROL, CTRL_IOMMU_EN | CTRL_EVTLOG_EN | CTRL_EVTINT_EN | CTRL_CMDBUF_EN);
    flush_domain(u, 0, true);
    u->intremap = u->has_ioapic;
    return a->done == WAIT_DONE ? 0 : -1; /* the command buffer works */
}

/* With interrupt remapping (the IVRS names the IOAPIC), a device no assign_int named gets target
   abort for its MSIs. The IOAPIC's interrupts and the IOMMU's own event MSI stay unmapped (IV
   clear; the kernel programs both): IntCtl "forward unmapped" would say the same, but QEMU 7.2
   turns such a fixed interrupt into vector 0. */
static void interrupts_block(struct amdvi *a, uint16_t ioapic, uint16_t self)
{
    for (unsigned d = 0; d < DEVICES; d++)
        a->devtab[DTE_QWORDS * d + DTE_INT] = DTE_IV | DTE_INTCTL_ABORT;
    a->devtab[DTE_QWORDS * ioapic + DTE_INT] = 0;
    a->devtab[DTE_QWORDS * self + DTE_INT] = 0;
}

/* The requester's interrupt table, created (and its entry switched to remapping) on first use. */
static uint32_t *irt_of(struct iommu_unit *u, uint16_t bdf)
{
    struct amdvi *a = u->drv;
    uint64_t *q = &a->devtab[DTE_QWORDS * bdf + DTE_INT];
    if ((*q & DTE_INTCTL_MASK) == DTE_INTCTL_REMAP)
        return phys_to_virt(*q & DTE_INTTAB_MASK);
    uint32_t *t = page_alloc(0);
    if (!t)
        return NULL;
    __atomic_store_n(q, virt_to_phys(t) | DTE_IV | DTE_INTTABLEN(IRT_LEN_LOG) | DTE_INTCTL_REMAP,
                     __ATOMIC_RELEASE);
    command(u, bdf | CMD_INV_DEVTAB << CMD_OP_SHIFT, 0, false);
    return t;
}

/* Interrupt index leaves the table of the requester that had it. */
static void amdvi_irq_drop(struct iommu_unit *u, unsigned index)
{
    struct amdvi *a = u->drv;
    uint32_t old = index < IRT_ENTRIES ? a->owner[index] : NO_OWNER;
    if (old == NO_OWNER)
        return;
    uint32_t *t = irt_of(u, (uint16_t)old);
    if (t)
        __atomic_store_n(&t[index], 0, __ATOMIC_RELEASE);
    a->owner[index] = NO_OWNER;
    command(u, old | CMD_INV_IRT << CMD_OP_SHIFT, 0, true);
}

/* Entry index of bdf's table: vector on apic_id. The index leaves its previous requester's table
   first, so one index is one requester's at a time. */
static int amdvi_irq_remap(struct iommu_unit *u, unsigned index, uint16_t bdf, uint8_t apic_id, uint8_t vector)
{
    struct amdvi *a = u->drv;
    if (index >= IRT_ENTRIES || bdf == u->ioapic_bdf || bdf == u->self_bdf)
        return -1;
    uint32_t *t = irt_of(u, bdf);
    if (!t)
        return -1;
    if (a->owner[index] != bdf)
        amdvi_irq_drop(u, index);
    a->owner[index] = bdf;
    __atomic_store_n(&t[index], IRTE_REMAP_EN | IRTE_DEST(apic_id) | IRTE_VECTOR(vector), __ATOMIC_RELEASE);
    command(u, bdf | CMD_INV_IRT << CMD_OP_SHIFT, 0, true);
    return a->done == WAIT_DONE ? 0 : -1;
}

static int amdvi_attach(struct iommu_unit *u, uint16_t bdf, struct pd *pd)
{
    struct amdvi *a = u->drv;
    uint64_t *dte = &a->devtab[DTE_QWORDS * bdf];
    uint64_t old = dte[0] & DTE_IR ? dte[1] & DTE_DOMAIN_MASK : 0;
    if (pd) {
        dte[1] = pd->dma_did;
        __atomic_store_n(&dte[0], virt_to_phys(pd->dma) | DTE_V | DTE_TV | (uint64_t)AMDVI_LEVELS << DTE_MODE_SHIFT |
                                      DTE_IR | DTE_IW, __ATOMIC_RELEASE);
    } else {
        __atomic_store_n(&dte[0], DTE_V | DTE_TV, __ATOMIC_RELEASE);
        dte[1] = 0;
    }
    command(u, bdf | CMD_INV_DEVTAB << CMD_OP_SHIFT, 0, false);
    if (old)
        flush_domain(u, (uint16_t)old, false);
    flush_domain(u, pd ? pd->dma_did : 0, true);
    return 0;
}

static unsigned amdvi_detach_domain(struct iommu_unit *u, uint16_t did)
{
    struct amdvi *a = u->drv;
    unsigned n = 0;
    for (unsigned d = 0; d < DEVICES; d++) {
        uint64_t *dte = &a->devtab[DTE_QWORDS * d];
        if ((dte[0] & DTE_IR) && (dte[1] & DTE_DOMAIN_MASK) == did) {
            __atomic_store_n(&dte[0], DTE_V | DTE_TV, __ATOMIC_RELEASE);
            dte[1] = 0;
            command(u, d | CMD_INV_DEVTAB << CMD_OP_SHIFT, 0, false);
            n++;
        }
    }
    flush_domain(u, did, true);
    return n;
}

static void amdvi_flush_domain(struct iommu_unit *u, uint16_t did)
{
    flush_domain(u, did, true);
}

static const char *reason(uint64_t e)
{
    if (EVT_CODE(e) == EVT_ILLEGAL_DTE)
        return "invalid device table entry";
    if (EVT_CODE(e) != EVT_IO_PAGE_FAULT)
        return "other event";
    if (!(e & EVT_PR))
        return "not present";
    return e & EVT_RW ? "read-only" : "write-only";
}

/* Log every event between head and tail; after an overflow the log starts over. (QEMU 7.2's
   AMD-Vi never writes events: its overflow test is always true. Later versions do.) */
static void amdvi_faults(struct iommu_unit *u)
{
    struct amdvi *a = u->drv;
    uint64_t head = rd64(u, REG_EVT_HEAD) % RING_BYTES, tail = rd64(u, REG_EVT_TAIL);
    for (; head != tail % RING_BYTES; head = (head + ENTRY_BYTES) % RING_BYTES) {
        const uint64_t *e = &a->evt[head / 8];
        iommu_log_fault(EVT_DEVID(e[0]), e[0] & EVT_RW, e[1], reason(e[0]));
    }
    wr64(u, REG_EVT_HEAD, head);
    if (!(rd64(u, REG_STATUS) & STATUS_EVT_OVF))
        return;
    kprintf("nova: DMA fault: more faults were lost (event log overflow)\n");
    wr64(u, REG_CONTROL, CTRL_IOMMU_EN | CTRL_EVTINT_EN | CTRL_CMDBUF_EN);
    wr64(u, REG_EVT_HEAD, 0);
    wr64(u, REG_EVT_TAIL, 0);
    wr64(u, REG_STATUS, STATUS_W1C);
    wr64(u, REG_CONTROL, CTRL_IOMMU_EN | CTRL_EVTLOG_EN | CTRL_EVTINT_EN | CTRL_CMDBUF_EN);
}

const struct iommu_ops amdvi_ops = {
    .enable = amdvi_enable,
    .attach = amdvi_attach,
    .detach_domain = amdvi_detach_domain,
    .flush_domain = amdvi_flush_domain,
    .faults = amdvi_faults,
    .irq_remap = amdvi_irq_remap,
    .irq_drop = amdvi_irq_drop,
};
