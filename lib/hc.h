/* SPDX-License-Identifier: MIT */
/* Hypercall stubs for user tasks: one SYSCALL with the register assignment of the ABI. */
#pragma once

#include <nova/caps.h>
#include <nova/descriptors.h>
#include <nova/hypercall.h>
#include <nova/status.h>
#include <stdint.h>

struct hc_out {
    uint64_t rsi, rdx;
};

/* Issue a hypercall; returns the status (RDI[7:0]) and, if out is given, RSI and RDX. */
static inline unsigned hc_raw(uint64_t id, uint64_t rsi, uint64_t rdx, uint64_t rax, uint64_t r8,
                              struct hc_out *out)
{
    register uint64_t r8_ __asm__("r8") = r8;
    __asm__ volatile("syscall"
                     : "+D"(id), "+S"(rsi), "+d"(rdx), "+a"(rax), "+r"(r8_)
                     :
                     : "rcx", "r11", "memory");
    if (out) {
        out->rsi = rsi;
        out->rdx = rdx;
    }
    return (unsigned)(id & 0xff);
}

static inline unsigned hc_ctrl_pd(uint64_t spd, uint64_t dpd, uint64_t src, uint64_t dst, unsigned ord,
                                  unsigned pmm, unsigned spc, unsigned acc, unsigned ca)
{
    return hc_raw(nova_hc_id(NOVA_CTRL_PD, 0, spd), dpd, nova_ctrl_pd_src(src, ord, spc),
                  nova_ctrl_pd_dst(dst, NOVA_SH_UNUSED, ca, pmm, acc), 0, 0);
}

static inline unsigned hc_ctrl_sc(uint64_t sc, uint64_t *consumed)
{
    struct hc_out o;
    unsigned s = hc_raw(nova_hc_id(NOVA_CTRL_SC, 0, sc), 0, 0, 0, 0, &o);
    if (s == NOVA_SUCCESS && consumed)
        *consumed = o.rsi;
    return s;
}

static inline unsigned hc_create_pd(uint64_t sel, uint64_t own)
{
    return hc_raw(nova_hc_id(NOVA_CREATE_PD, 0, sel), own, 0, 0, 0, 0);
}

/* flags: NOVA_CREATE_EC_T (global), _V (vCPU), _F (FPU). */
static inline unsigned hc_create_ec(uint64_t sel, uint64_t own, uint64_t utcb, unsigned cpu, uint64_t sp,
                                    uint64_t evt, unsigned flags)
{
    return hc_raw(nova_hc_id(NOVA_CREATE_EC, flags, sel), own, nova_create_ec_utcb_cpu(utcb, cpu), sp, evt, 0);
}

static inline unsigned hc_create_sc(uint64_t sel, uint64_t own, uint64_t ec, uint64_t scd)
{
    return hc_raw(nova_hc_id(NOVA_CREATE_SC, 0, sel), own, ec, scd, 0, 0);
}

static inline unsigned hc_create_pt(uint64_t sel, uint64_t own, uint64_t ec, uint64_t ip)
{
    return hc_raw(nova_hc_id(NOVA_CREATE_PT, 0, sel), own, ec, ip, 0, 0);
}

static inline unsigned hc_create_sm(uint64_t sel, uint64_t own, uint64_t count)
{
    return hc_raw(nova_hc_id(NOVA_CREATE_SM, 0, sel), own, count, 0, 0, 0);
}

static inline unsigned hc_ctrl_pt(uint64_t pt, uint64_t pid, uint32_t mtd)
{
    return hc_raw(nova_hc_id(NOVA_CTRL_PT, 0, pt), pid, mtd, 0, 0, 0);
}

static inline unsigned hc_ctrl_ec(uint64_t ec, int strong)
{
    return hc_raw(nova_hc_id(NOVA_CTRL_EC, strong ? NOVA_CTRL_EC_S : 0, ec), 0, 0, 0, 0, 0);
}

/* assign_dev (root PD only): the device dad's DMA goes through pd's DMA space, via the IOMMU whose
   register page is at physical smmu; acc = NOVA_ACC_DMA_HST or _DMA_GST. */
static inline unsigned hc_assign_dev(uint64_t pd, uint64_t smmu, unsigned acc, uint64_t dad)
{
    return hc_raw(nova_hc_id(NOVA_ASSIGN_DEV, 0, pd), nova_assign_dev_smmu(smmu, acc), dad, 0, 0, 0);
}

static inline unsigned hc_sm_up(uint64_t sm)
{
    return hc_raw(nova_hc_id(NOVA_CTRL_SM, 0, sm), 0, 0, 0, 0, 0);
}

/* deadline: absolute STC (TSC) value, 0 for none. */
static inline unsigned hc_sm_down(uint64_t sm, int zero, uint64_t deadline)
{
    unsigned f = NOVA_CTRL_SM_DOWN | (zero ? NOVA_CTRL_SM_ZERO : 0);
    return hc_raw(nova_hc_id(NOVA_CTRL_SM, f, sm), deadline, 0, 0, 0, 0);
}

/* ipc_call through portal pt with the regular MTD; *reply_mtd gets the callee's reply MTD. */
static inline unsigned hc_ipc_call(uint64_t pt, uint32_t mtd, int no_help, uint32_t *reply_mtd)
{
    struct hc_out o;
    unsigned s = hc_raw(nova_hc_id(NOVA_IPC_CALL, no_help ? NOVA_IPC_CALL_T : 0, pt), mtd, 0, 0, 0, &o);
    if (reply_mtd)
        *reply_mtd = (uint32_t)o.rsi;
    return s;
}

static inline uint64_t rdtsc_now(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/* Wait for the next message; with no caller and no portal this blocks the EC for good. */
static inline __attribute__((noreturn)) void hc_ipc_reply_wait(void)
{
    for (;;)
        hc_raw(nova_hc_id(NOVA_IPC_REPLY, 0, 0), 0, 0, 0, 0, 0);
}
