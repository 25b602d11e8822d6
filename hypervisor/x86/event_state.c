/* SPDX-License-Identifier: MIT */
/* Thread state <-> UTCB architectural layout for host events (spec 4.3.2, 4.4.2). */

#include "x86/event_state.h"
#include "x86/cpu.h"
#include "x86/utcb_gprs.h"

#include <nova/mtd.h>

/* RFLAGS a thread may not set: VM, VIF, VIP, RF, NT, IOPL (and reserved bits). */
#define RFLAGS_CF  (1ull << 0)
#define RFLAGS_PF  (1ull << 2)
#define RFLAGS_AF  (1ull << 4)
#define RFLAGS_ZF  (1ull << 6)
#define RFLAGS_SF  (1ull << 7)
#define RFLAGS_TF  (1ull << 8)
#define RFLAGS_DF  (1ull << 10)
#define RFLAGS_OF  (1ull << 11)
#define RFLAGS_AC  (1ull << 18)
#define RFLAGS_ID  (1ull << 21)
#define RFLAGS_WRITABLE (RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF | RFLAGS_SF | RFLAGS_TF | RFLAGS_DF | \
                         RFLAGS_OF | RFLAGS_ID)
/* Forced on when a handler writes RFLAGS (facts section 5): AC, IF and the reserved bit 1. */
#define RFLAGS_FORCED   (RFLAGS_AC | RFLAGS_IF | RFLAGS_RSVD1)

void event_state_save(const struct cpu_regs *r, uint64_t fault_addr, uint32_t mtd, struct nova_utcb_arch *u)
{
    gprs_to_utcb(r, r->rax, r->rsp, mtd, u);
    if (mtd & NOVA_MTD_RFLAGS)
        u->rflags = r->rflags;
    if (mtd & NOVA_MTD_RIP)
        u->rip = r->rip;
    if (mtd & NOVA_MTD_QUAL) {
        u->qual[0] = r->error;
        u->qual[1] = fault_addr;
    }
}

void event_state_load(struct cpu_regs *r, uint32_t mtd, const struct nova_utcb_arch *u)
{
    gprs_from_utcb(r, &r->rax, &r->rsp, mtd, u);
    if (mtd & NOVA_MTD_RFLAGS)
        r->rflags = (u->rflags & RFLAGS_WRITABLE) | RFLAGS_FORCED;
    if (mtd & NOVA_MTD_RIP)
        r->rip = u->rip;
}
