/* SPDX-License-Identifier: MIT */
/* Intel VT-d driver (VT-d 3.x): root and context tables, second-level translation, context and
   IOTLB invalidation (queued when the unit has it, else by register) and fault recording. */

#include "x86/vtd.h"
#include "core/console.h"
#include "core/memory.h"
#include "core/pd.h"
#include "core/pmm.h"
#include "x86/dma_space.h"
#include "x86/lapic.h"

/* Register offsets (VT-d 3.x, chapter 11). */
#define REG_RTADDR  0x20
#define REG_CCMD    0x28
#define REG_FECTL   0x38
#define REG_FEDATA  0x3c
#define REG_FEADDR  0x40
#define REG_FEUADDR 0x44
#define REG_IOTLB   0x08        /* within the IOTLB register block at ECAP.IRO */

#define GCMD_TE     (1u << 31)
#define GCMD_SRTP   (1u << 30)
#define GCMD_WBF    (1u << 27)
#define GSTS_TES    (1u << 31)
#define GSTS_RTPS   (1u << 30)
#define GSTS_WBFS   (1u << 27)

#define CAP_RWBF        (1ull << 4)
#define CAP_SAGAW_SHIFT 8
#define CAP_SAGAW_39    (1ull << (CAP_SAGAW_SHIFT + 1))
#define CAP_SAGAW_48    (1ull << (CAP_SAGAW_SHIFT + 2))
#define CAP_ND_MASK     0x7ull
#define CAP_FRO(c)      ((unsigned)(((c) >> 24) & 0x3ff) * 16)
#define CAP_NFR(c)      ((unsigned)(((c) >> 40) & 0xff) + 1)
#define ECAP_C          (1ull << 0)
#define ECAP_IRO(e)     ((unsigned)(((e) >> 8) & 0x3ff) * 16)

#define CCMD_ICC        (1ull << 63)
#define CCMD_GLOBAL     (1ull << 61)
#define CCMD_DOMAIN     (2ull << 61)
#define CCMD_DID(d)     ((uint64_t)(d) & 0xffff)
#define IOTLB_IVT       (1ull << 63)
#define IOTLB_GLOBAL    (1ull << 60)
#define IOTLB_DOMAIN    (2ull << 60)
#define IOTLB_DR        (1ull << 49)
#define IOTLB_DW        (1ull << 48)
#define IOTLB_DID(d)    ((uint64_t)(d) << 32)
#define CCMD_GRAN_OF(c) ((unsigned)((c) >> 61) & 3)
#define CCMD_DID_OF(c)  ((uint16_t)(c))
#define IOTLB_GRAN_OF(c) ((unsigned)((c) >> 60) & 3)
#define IOTLB_DID_OF(c) ((uint16_t)((c) >> 32))

#define FSTS_PFO        (1u << 0)
#define FSTS_PPF        (1u << 1)
#define FECTL_IM        (1u << 31)
#define FRCD_F          (1ull << 63)
#define FRCD_T_READ     (1ull << 62)
#define FRCD_SID(h)     ((uint16_t)(h))
#define FRCD_FR(h)      ((unsigned)((h) >> 32) & 0xff)
#define FR_ROOT_NP      0x1
#define FR_CTX_NP       0x2
#define FR_WRITE        0x5
#define FR_READ         0x6
#define FR_IR_FIRST     0x20    /* interrupt remapping faults: the record holds the index */
#define FR_IR_SID       0x26    /* source-id validation failed */
#define FR_IR_LAST      0x27

#define ENTRY_P         (1ull << 0)
#define ENTRY_ADDR      0x000ffffffffff000ull
#define CTX_AW_39       1ull
#define CTX_AW_48       2ull
#define CTX_DID(d)      ((uint64_t)(d) << 8)
#define CTX_DID_OF(h)   ((uint16_t)((h) >> 8))
#define SL_R            (1ull << 0)
#define SL_W            (1ull << 1)
#define MSI_ADDR_BASE   0xfee00000u
#define MSI_DEST_SHIFT  12
#define BUSES           256u
#define DEVFNS          256u

static struct vtd state[IOMMU_MAX_UNITS];
static unsigned nstate;

bool vtd_poll32(struct iommu_unit *u, unsigned off, uint32_t mask, uint32_t want)
{
    uint64_t end = iommu_deadline();
    while ((vtd_rd32(u, off) & mask) != want)
        if (iommu_expired(end))
            return false;
    return true;
}

static bool poll64_clear(struct iommu_unit *u, unsigned off, uint64_t bit)
{
    uint64_t end = iommu_deadline();
    while (vtd_rd64(u, off) & bit)
        if (iommu_expired(end))
            return false;
    return true;
}

bool vtd_command(struct iommu_unit *u, uint32_t cmd, uint32_t status)
{
    vtd_wr32(u, REG_GCMD, (vtd_rd32(u, REG_GSTS) & GSTS_KEEP) | cmd);
    return vtd_poll32(u, REG_GSTS, status, status);
}

bool vtd_command_off(struct iommu_unit *u, uint32_t cmd, uint32_t status)
{
    vtd_wr32(u, REG_GCMD, vtd_rd32(u, REG_GSTS) & GSTS_KEEP & ~cmd);
    return vtd_poll32(u, REG_GSTS, status, 0);
}

static void flush_write_buffer(struct iommu_unit *u)
{
    struct vtd *v = u->drv;
    if (v->cap & CAP_RWBF) {
        vtd_wr32(u, REG_GCMD, (vtd_rd32(u, REG_GSTS) & GSTS_KEEP) | GCMD_WBF);
        vtd_poll32(u, REG_GSTS, GSTS_WBFS, 0);
    }
}

/* The same invalidation as a context-cache and an IOTLB descriptor (once QI is on the registers
   must not be used): granularity and domain ID move to the descriptors' fields. */
static void invalidate_queued(struct iommu_unit *u, uint64_t ccmd, uint64_t iotlb)
{
    if (ccmd)
        vtd_qi_run(u, QI_CC | QI_GRAN(CCMD_GRAN_OF(ccmd)) | QI_DID(CCMD_DID_OF(ccmd)), 0);
    vtd_qi_run(u, QI_IOTLB | QI_IOTLB_DR | QI_IOTLB_DW | QI_GRAN(IOTLB_GRAN_OF(iotlb)) |
                      QI_DID(IOTLB_DID_OF(iotlb)), 0);
}

static void invalidate(struct iommu_unit *u, uint64_t ccmd, uint64_t iotlb)
{
    struct vtd *v = u->drv;
    flush_write_buffer(u);
    if (v->qi) {
        invalidate_queued(u, ccmd, iotlb);
        return;
    }
    if (ccmd) {
        vtd_wr64(u, REG_CCMD, CCMD_ICC | ccmd);
        poll64_clear(u, REG_CCMD, CCMD_ICC);
    }
    unsigned off = ECAP_IRO(v->ecap) + REG_IOTLB;
    vtd_wr64(u, off, IOTLB_IVT | IOTLB_DR | IOTLB_DW | iotlb);
    poll64_clear(u, off, IOTLB_IVT);
}

static uint64_t sl_table(uint64_t pa, unsigned level)
{
    (void)level;
    return pa | SL_R | SL_W;
}

static uint64_t sl_leaf(uint64_t pa, unsigned perms)
{
    return pa | (perms & DMA_R ? SL_R : 0) | (perms & DMA_W ? SL_W : 0);
}

static unsigned sl_perms(uint64_t e)
{
    return (e & SL_R ? DMA_R : 0) | (e & SL_W ? DMA_W : 0);
}

static const struct dma_format sl_format = {sl_table, sl_leaf, sl_perms};

/* Fault events go to the BSP as an MSI on IOMMU_VEC_FAULT. */
static void faults_route(struct iommu_unit *u)
{
    vtd_wr32(u, REG_FECTL, FECTL_IM);
    vtd_wr32(u, REG_FEDATA, IOMMU_VEC_FAULT);
    vtd_wr32(u, REG_FEADDR, MSI_ADDR_BASE | lapic_id() << MSI_DEST_SHIFT);
    vtd_wr32(u, REG_FEUADDR, 0);
    vtd_wr32(u, REG_FECTL, 0);
}

static int vtd_enable(struct iommu_unit *u)
{
    struct vtd *v = u->drv;
    if (!v) {
        if (nstate >= IOMMU_MAX_UNITS)
            return -1;
        v = u->drv = &state[nstate++];
        v->cap = vtd_rd64(u, REG_CAP);
        v->ecap = vtd_rd64(u, REG_ECAP);
        unsigned levels = v->cap & CAP_SAGAW_39 ? 3 : v->cap & CAP_SAGAW_48 ? 4 : 0;
        if (!levels || (v->cap & CAP_ND_MASK) < 2)
            return -1; /* no 3- or 4-level tables, or fewer than 256 domains */
        if (dma_space_ready() && dma_space_pages() != 1ull << (9 * levels))
            return -1; /* the units must share one table format */
        v->ctx_aw = levels == 3 ? CTX_AW_39 : CTX_AW_48;
        if (!(v->root = page_alloc(0)))
            return -1;
        dma_space_setup(&sl_format, levels, !(v->ecap & ECAP_C));
        uint64_t regs_end = ECAP_IRO(v->ecap) + 16;
        uint64_t frcd_end = CAP_FRO(v->cap) + 16ull * CAP_NFR(v->cap);
        uint64_t end = regs_end > frcd_end ? regs_end : frcd_end;
        uint64_t pages = (end + PAGE_SIZE - 1) >> PAGE_SHIFT;
        if (pages > u->mmio_pages)
            u->mmio_pages = pages;
    }
    vtd_command_off(u, GCMD_TE | GCMD_IRE, GSTS_TES | GSTS_IRES);
    vtd_wr64(u, REG_RTADDR, virt_to_phys(v->root));
    if (!vtd_command(u, GCMD_SRTP, GSTS_RTPS))
        return -1;
    v->qi = vtd_qi_enable(u);
    invalidate(u, CCMD_GLOBAL, IOTLB_GLOBAL);
    faults_route(u);
    u->intremap = vtd_irt_enable(u);
    if (!vtd_command(u, GCMD_TE, GSTS_TES))
        return -1;
    return 0;
}

/* The context entry of bdf; its context table is created when alloc is set. */
static struct vtd_entry *context(struct vtd *v, uint16_t bdf, bool alloc)
{
    struct vtd_entry *r = &v->root[bdf >> 8];
    if (!(r->lo & ENTRY_P)) {
        struct vtd_entry *t = alloc ? page_alloc(0) : NULL;
        if (!t)
            return NULL;
        for (unsigned i = 0; i < DEVFNS; i += 4)
            vtd_sync(&t[i]);
        r->lo = virt_to_phys(t) | ENTRY_P;
        vtd_sync(r);
    }
    struct vtd_entry *t = phys_to_virt(r->lo & ENTRY_ADDR);
    return &t[bdf & 0xff];
}

static int vtd_attach(struct iommu_unit *u, uint16_t bdf, struct pd *pd)
{
    struct vtd *v = u->drv;
    struct vtd_entry *c = context(v, bdf, true);
    if (!c)
        return -1;
    uint16_t old = c->lo & ENTRY_P ? CTX_DID_OF(c->hi) : 0;
    c->lo = 0; /* not present while it changes */
    vtd_sync(c);
    if (pd) {
        c->hi = v->ctx_aw | CTX_DID(pd->dma_did);
        c->lo = virt_to_phys(pd->dma) | ENTRY_P;
        vtd_sync(c);
    }
    invalidate(u, CCMD_GLOBAL, old ? IOTLB_DOMAIN | IOTLB_DID(old) : IOTLB_GLOBAL);
    return 0;
}

static unsigned vtd_detach_domain(struct iommu_unit *u, uint16_t did)
{
    struct vtd *v = u->drv;
    unsigned n = 0;
    for (unsigned bus = 0; bus < BUSES; bus++) {
        if (!(v->root[bus].lo & ENTRY_P))
            continue;
        struct vtd_entry *t = phys_to_virt(v->root[bus].lo & ENTRY_ADDR);
        for (unsigned i = 0; i < DEVFNS; i++)
            if ((t[i].lo & ENTRY_P) && CTX_DID_OF(t[i].hi) == did) {
                t[i].lo = 0;
                vtd_sync(&t[i]);
                n++;
            }
    }
    invalidate(u, CCMD_DOMAIN | CCMD_DID(did), IOTLB_DOMAIN | IOTLB_DID(did));
    return n;
}

static void vtd_flush_domain(struct iommu_unit *u, uint16_t did)
{
    invalidate(u, 0, IOTLB_DOMAIN | IOTLB_DID(did));
}

/* Why a request failed; for a page-level fault the owner's table tells absent from read-only. */
static const char *reason(struct vtd *v, uint64_t hi, uint64_t addr)
{
    unsigned fr = FRCD_FR(hi);
    if (fr == FR_ROOT_NP || fr == FR_CTX_NP)
        return "device not assigned";
    if (fr == FR_IR_SID)
        return "interrupt from a requester its entry does not name";
    if (fr >= FR_IR_FIRST && fr <= FR_IR_LAST)
        return "interrupt remapping fault";
    if (fr != FR_WRITE && fr != FR_READ)
        return "invalid translation";
    const struct vtd_entry *c = context(v, FRCD_SID(hi), false);
    unsigned perms = 0;
    if (c && (c->lo & ENTRY_P)) /* tables of a dead PD are freed only after a grace period */
        dma_space_lookup(phys_to_virt(c->lo & ENTRY_ADDR), addr >> PAGE_SHIFT, &perms);
    if (!perms)
        return "not present";
    return fr == FR_WRITE ? "read-only" : "write-only";
}

static void vtd_faults(struct iommu_unit *u)
{
    struct vtd *v = u->drv;
    uint32_t fsts = vtd_rd32(u, REG_FSTS);
    if (!(fsts & (FSTS_PPF | FSTS_PFO)))
        return;
    unsigned nfr = CAP_NFR(v->cap), fro = CAP_FRO(v->cap);
    for (unsigned i = 0; i < nfr; i++) {
        unsigned off = fro + 16 * i;
        uint64_t hi = vtd_rd64(u, off + 8);
        if (!(hi & FRCD_F))
            continue;
        uint64_t addr = vtd_rd64(u, off) & ENTRY_ADDR;
        iommu_log_fault(FRCD_SID(hi), !(hi & FRCD_T_READ), addr, reason(v, hi, addr));
        vtd_wr64(u, off + 8, FRCD_F); /* write 1 to clear */
    }
    if (fsts & FSTS_PFO) {
        kprintf("nova: DMA fault: more faults were lost (fault recording overflow)\n");
        vtd_wr32(u, REG_FSTS, FSTS_PFO);
    }
}

static int vtd_irq_remap(struct iommu_unit *u, unsigned index, uint16_t bdf, uint8_t apic_id, uint8_t vector)
{
    return vtd_irt_set(u, index, bdf, apic_id, vector);
}

const struct iommu_ops vtd_ops = {
    .irq_remap = vtd_irq_remap,
    .irq_drop = vtd_irt_clear,
    .enable = vtd_enable,
    .attach = vtd_attach,
    .detach_domain = vtd_detach_domain,
    .flush_domain = vtd_flush_domain,
    .faults = vtd_faults,
};
