/* SPDX-License-Identifier: MIT */
/* Intel RDT allocation for ctrl_hw OP 4-7: per-CPU QOS configuration, CAT masks, MBA delays. */

#include "x86/qos.h"
#include "x86/cpu.h"
#include "x86/percpu.h"
#include "x86/qos_check.h"
#include "x86/smp_layout.h"

#include <nova/descriptors.h>
#include <nova/status.h>

/* Intel SDM: CPUID leaf 0x10 and the RDT allocation MSRs. */
#define CPUID7_EBX_PQE      (1u << 15)
#define CPUID10_CAT_L3      (1u << 1)
#define CPUID10_CAT_L2      (1u << 2)
#define CPUID10_MBA         (1u << 3)
#define CPUID10_CDP         (1u << 2)   /* ECX of sub-leaves 1 (L3) and 2 (L2) */
#define CPUID10_SUB_MBA     3
#define MSR_MBA_DELAY0      0xd50
#define QOS_CFG_CDP_ENABLE  1u
#define QOS_MAX_MSRS        128         /* shadowed per CPU for the return from a sleep state */

static const uint32_t msr_cfg[2] = {0xc81, 0xc82};     /* IA32_L3_QOS_CFG, IA32_L2_QOS_CFG */
static const uint32_t msr_mask0[2] = {0xc90, 0xd10};   /* IA32_L3_MASK_0, IA32_L2_MASK_0 */

static struct qos_cpu {
    bool configured, cdp[2];
    uint32_t mask[2][QOS_MAX_MSRS];
    uint16_t delay[QOS_MAX_MSRS];
} qos[MAX_CPUS];

static unsigned clamp(unsigned n)
{
    return n < QOS_MAX_MSRS ? n : QOS_MAX_MSRS;
}

/* The calling CPU's RDT allocation features (CPUs of one machine may differ). */
static void caps_read(struct qos_caps *c)
{
    uint32_t r[4];
    *c = (struct qos_caps){0};
    cpuid(0, 0, r);
    if (r[0] < 0x10)
        return;
    cpuid(7, 0, r);
    c->rdt = r[1] & CPUID7_EBX_PQE;
    if (!c->rdt)
        return;
    cpuid(0x10, 0, r);
    uint32_t res = r[1];
    for (unsigned l = 0; l < 2; l++) {
        if (!(res & (l == QOS_L3 ? CPUID10_CAT_L3 : CPUID10_CAT_L2)))
            continue;
        cpuid(0x10, 1 + l, r);
        c->cat[l] = true;
        c->cbm_len[l] = (r[0] & 0x1f) + 1;
        c->cdp[l] = r[2] & CPUID10_CDP;
        c->masks[l] = clamp((r[3] & 0xffff) + 1);
    }
    if (res & CPUID10_MBA) {
        cpuid(0x10, CPUID10_SUB_MBA, r);
        c->mba = true;
        c->mb_max = (r[0] & 0xfff) + 1;
        c->mb_cos = clamp((r[3] & 0xffff) + 1);
    }
}

static uint32_t full_mask(unsigned len)
{
    return len >= 32 ? ~0u : (1u << len) - 1;
}

/* The masks hold all ones before CDP changes (Intel SDM), and every delay starts at 0. */
static void configure(struct qos_cpu *q, const struct qos_caps *c, const bool cdp[2])
{
    for (unsigned l = 0; l < 2; l++) {
        if (!c->cat[l])
            continue;
        for (unsigned n = 0; n < c->masks[l]; n++)
            wrmsr(msr_mask0[l] + n, q->mask[l][n] = full_mask(c->cbm_len[l]));
        q->cdp[l] = cdp[l];
        if (c->cdp[l])
            wrmsr(msr_cfg[l], cdp[l] ? QOS_CFG_CDP_ENABLE : 0);
    }
    for (unsigned n = 0; n < (c->mba ? c->mb_cos : 0); n++)
        wrmsr(MSR_MBA_DELAY0 + n, q->delay[n] = 0);
    q->configured = true;
}

unsigned qos_ctrl(unsigned op, uint64_t desc)
{
    struct qos_caps c;
    caps_read(&c);
    struct qos_cpu *q = &qos[this_cpu()->id];
    unsigned st, n, delay;
    uint32_t cbm;
    bool cdp[2];
    switch (op) {
    case NOVA_CTRL_HW_QOS_CFG:
        if ((st = qos_check_cfg(&c, q->configured, desc, cdp)) == NOVA_SUCCESS)
            configure(q, &c, cdp);
        return st;
    case NOVA_CTRL_HW_CAT_L3:
    case NOVA_CTRL_HW_CAT_L2: {
        enum qos_level l = op == NOVA_CTRL_HW_CAT_L3 ? QOS_L3 : QOS_L2;
        if ((st = qos_check_cat(&c, l, q->configured, desc, &n, &cbm)) == NOVA_SUCCESS)
            wrmsr(msr_mask0[l] + n, q->mask[l][n] = cbm);
        return st;
    }
    default: /* NOVA_CTRL_HW_MBA */
        if ((st = qos_check_mba(&c, q->configured, desc, &n, &delay)) == NOVA_SUCCESS)
            wrmsr(MSR_MBA_DELAY0 + n, q->delay[n] = (uint16_t)delay);
        return st;
    }
}

void qos_resume_cpu(void)
{
    struct qos_cpu *q = &qos[this_cpu()->id];
    if (!q->configured)
        return;
    struct qos_caps c;
    caps_read(&c);
    for (unsigned l = 0; l < 2; l++) {
        if (!c.cat[l])
            continue;
        if (c.cdp[l]) /* the masks hold all ones after a reset, as a CDP change wants */
            wrmsr(msr_cfg[l], q->cdp[l] ? QOS_CFG_CDP_ENABLE : 0);
        for (unsigned n = 0; n < c.masks[l]; n++)
            wrmsr(msr_mask0[l] + n, q->mask[l][n]);
    }
    for (unsigned n = 0; n < (c.mba ? c.mb_cos : 0); n++)
        wrmsr(MSR_MBA_DELAY0 + n, q->delay[n]);
}
