/* SPDX-License-Identifier: MIT */
/* ctrl_pd (spec 5.4.1): take capabilities from one PD and grant them to another. */

#include "core/ctrl_pd.h"
#include "core/pd.h"
#include "core/space_dma.h"
#include "core/space_gst.h"
#include "core/space_mem.h"
#include "x86/vcpu.h"
#include "core/space_pio.h"
#include "x86/dma_space.h"
#include "x86/iommu.h"

#include <nova/caps.h>
#include <nova/hip.h>
#include <nova/hypercall.h>
#include <nova/selectors.h>
#include <nova/status.h>


/* Number of selectors in a space; memory of PD_NOVA is addressed by physical page number, a
   DMA destination by I/O virtual page number. */
static uint64_t space_size(unsigned spc, const struct pd *pd, bool dma)
{
    switch (spc) {
    case NOVA_SPC_OBJ: return NOVA_SEL_NUM;
    case NOVA_SPC_MEM:
        if (dma)
            return dma_space_pages();
        return pd->is_nova ? space_mem_phys_pages() : NOVA_USER_VA_END >> NOVA_PAGE_SHIFT;
    case NOVA_SPC_PIO: return 1u << 16;
    default: return 1ull << 32; /* MSR */
    }
}

static int range_ok(uint64_t base, unsigned ord, uint64_t size)
{
    uint64_t n = 1ull << ord;
    return (base & (n - 1)) == 0 && n <= size && base <= size - n;
}

unsigned ctrl_pd(struct pd *cur, uint64_t spd_sel, uint64_t dpd_sel, uint64_t src_op, uint64_t dst_op,
                 uint64_t *progress)
{
    struct pd *spd = (struct pd *)cap_check(space_obj_lookup(&cur->objs, spd_sel), KOBJ_PD, NOVA_PERM_PD_CTRL);
    struct pd *dpd = (struct pd *)cap_check(space_obj_lookup(&cur->objs, dpd_sel), KOBJ_PD, NOVA_PERM_PD_CTRL);
    if (!spd || !dpd || dpd->is_nova)
        return NOVA_BAD_CAP;

    uint64_t src = nova_ctrl_pd_sel(src_op), dst = nova_ctrl_pd_sel(dst_op);
    unsigned ord = nova_ctrl_pd_ord(src_op), spc = nova_ctrl_pd_spc(src_op);
    unsigned pmm = nova_ctrl_pd_pmm(dst_op), acc = nova_ctrl_pd_acc(dst_op);
    unsigned ca = nova_ctrl_pd_ca(dst_op), sh = nova_ctrl_pd_sh(dst_op);

    bool dma = spc == NOVA_SPC_MEM && (acc == NOVA_ACC_DMA_HST || acc == NOVA_ACC_DMA_GST);
    if (dma && !iommu_active())
        return NOVA_BAD_FTR; /* no IOMMU, no DMA page tables */
    if (!range_ok(src, ord, space_size(spc, spd, false)) || !range_ok(dst, ord, space_size(spc, dpd, dma)))
        return NOVA_BAD_PAR;
    if (ca > NOVA_CA_WP || sh != NOVA_SH_UNUSED)
        return NOVA_BAD_PAR;

    switch (spc) {
    case NOVA_SPC_OBJ:
        return space_obj_delegate(&spd->objs, &dpd->objs, src, dst, ord, pmm, progress);
    case NOVA_SPC_MEM:
        if (dma)
            return space_dma_delegate(spd, dpd, src, dst, ord, pmm, progress);
        if (acc == NOVA_ACC_CPU_GST && (!vcpu_available() || space_gst_init(dpd) < 0))
            return vcpu_available() ? NOVA_INS_MEM : NOVA_BAD_FTR;
        return space_mem_delegate(spd, dpd, src, dst, ord, pmm, ca, acc == NOVA_ACC_CPU_GST, progress);
    case NOVA_SPC_PIO:
        if (src != dst || acc > NOVA_ACC_CPU_GST)
            return NOVA_BAD_PAR;
        if (acc == NOVA_ACC_CPU_GST)
            return vcpu_available() ? space_gst_pio(spd, dpd, src, ord, pmm) : NOVA_BAD_FTR;
        return space_pio_delegate(spd, dpd, src, ord, pmm, progress);
    default: /* NOVA_SPC_MSR: only the guest MSR map exists */
        if (src != dst || acc != NOVA_ACC_CPU_GST)
            return NOVA_BAD_PAR;
        return vcpu_available() ? space_gst_msr(spd, dpd, src, ord, pmm) : NOVA_BAD_FTR;
    }
}
