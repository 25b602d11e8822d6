/* SPDX-License-Identifier: MIT */
/* Hypercall stubs for user tasks: one SYSCALL with the register assignment of the ABI. */
#pragma once

#include <nova/caps.h>
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

/* Wait for the next message; with no caller and no portal this blocks the EC for good. */
static inline __attribute__((noreturn)) void hc_ipc_reply_wait(void)
{
    for (;;)
        hc_raw(nova_hc_id(NOVA_IPC_REPLY, 0, 0), 0, 0, 0, 0, 0);
}
