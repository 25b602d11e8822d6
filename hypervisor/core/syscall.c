/* SPDX-License-Identifier: MIT */
/* Hypercall entry: decode the identifier in RDI and dispatch through a 16-entry table. */

#include "core/console.h"
#include "core/ctrl_pd.h"
#include "core/ec.h"
#include "core/kobject.h"
#include "core/pd.h"
#include "core/sc.h"
#include "core/sched.h"
#include "x86/percpu.h"

#include <nova/hypercall.h>
#include <nova/status.h>

typedef __attribute__((noreturn)) void (*hypercall_fn)(struct ec *ec);

/* ipc_reply with nobody to reply to: the EC waits for its next message (none can arrive yet,
   as portals come with the full IPC path), and its SC leaves the run queue. */
static __attribute__((noreturn)) void sys_ipc_reply(struct ec *ec)
{
    ec->state = EC_BLOCKED;
    if (ec->sc)
        sched_remove(ec->sc);
    schedule();
}

static __attribute__((noreturn)) void sys_ctrl_pd(struct ec *ec)
{
    ec_sys_finish(ec, ctrl_pd(ec->pd, nova_hc_sel(ec->regs.rdi), ec->regs.rsi, ec->regs.rdx, ec->regs.rax));
}

static __attribute__((noreturn)) void sys_ctrl_sc(struct ec *ec)
{
    struct sc *sc = (struct sc *)cap_check(space_obj_lookup(&ec->pd->objs, nova_hc_sel(ec->regs.rdi)), KOBJ_SC,
                                           NOVA_PERM_SC_CTRL);
    if (!sc)
        ec_sys_finish(ec, NOVA_BAD_CAP);
    ec->regs.rsi = sc_consumed(sc);
    ec_sys_finish(ec, NOVA_SUCCESS);
}

/* Hypercalls whose kernel side is not built yet answer BAD_FTR, and say so once. */
static __attribute__((noreturn)) void sys_not_yet(struct ec *ec)
{
    static unsigned short warned;
    unsigned nr = (unsigned)nova_hc_nr(ec->regs.rdi);
    if (!(warned & (1u << nr))) {
        warned |= (unsigned short)(1u << nr);
        kprintf("nova: hypercall %#x is not implemented yet (BAD_FTR)\n", nr);
    }
    ec_sys_finish(ec, NOVA_BAD_FTR);
}

static __attribute__((noreturn)) void sys_reserved(struct ec *ec)
{
    ec_sys_finish(ec, NOVA_BAD_HYP);
}

static const hypercall_fn hypercalls[NOVA_HC_COUNT] = {
    [NOVA_IPC_CALL] = sys_not_yet,
    [NOVA_IPC_REPLY] = sys_ipc_reply,
    [NOVA_CREATE_PD] = sys_not_yet,
    [NOVA_CREATE_EC] = sys_not_yet,
    [NOVA_CREATE_SC] = sys_not_yet,
    [NOVA_CREATE_PT] = sys_not_yet,
    [NOVA_CREATE_SM] = sys_not_yet,
    [NOVA_CTRL_PD] = sys_ctrl_pd,
    [NOVA_CTRL_EC] = sys_not_yet,
    [NOVA_CTRL_SC] = sys_ctrl_sc,
    [NOVA_CTRL_PT] = sys_not_yet,
    [NOVA_CTRL_SM] = sys_not_yet,
    [NOVA_CTRL_HW] = sys_not_yet,
    [NOVA_ASSIGN_INT] = sys_not_yet,
    [NOVA_ASSIGN_DEV] = sys_not_yet,
    [NOVA_HC_RESERVED] = sys_reserved,
};

/* Called from entry.S on the kernel stack with the caller's saved registers. */
__attribute__((noreturn)) void syscall_handler(struct cpu_regs *regs);
void syscall_handler(struct cpu_regs *regs)
{
    struct ec *ec = this_cpu()->current;
    (void)regs; /* regs is &ec->regs */
    hypercalls[nova_hc_nr(ec->regs.rdi)](ec);
}
