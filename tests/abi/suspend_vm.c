/* SPDX-License-Identifier: MIT */
/* For the S3 cases: a vCPU (SVM) whose real-mode guest counts in a loop and leaves by VMMCALL
   every 65536 rounds, so that its exits show whether it still runs after a sleep. */

#include "suspend_vm.h"
#include <res.h>

#include <hc.h>
#include <nova/descriptors.h>
#include <nova/events.h>
#include <nova/hip.h>
#include <nova/mtd.h>
#include <nova/selectors.h>
#include <physmap.h>
#include <portal.h>

#define ROOT        NOVA_SEL_PD_ROOT
#define NOVA        NOVA_SEL_PD_NOVA
#define GUEST_PHYS  0x7000000ull    /* 112 MiB: RAM no other case or module uses */
#define CODE        0x1000          /* guest-physical page of the code */
#define VMMCALL_LEN 3               /* QEMU's SVM has no next-RIP save: the VMM steps over it */

static const uint8_t guest[] = {
    0x41,               /* 1000: inc cx */
    0x75, 0xfd,         /* 1001: jnz 1000 */
    0x0f, 0x01, 0xd9,   /* 1003: vmmcall */
    0xeb, 0xf8,         /* 1006: jmp 1000 */
};

struct handler {
    struct portal_ctx ctx;  /* first: the portal's PID points here */
    unsigned ev;
};

static struct handler handlers[2];
static uint8_t stack[4096] __attribute__((aligned(16))); /* not from the suite's pool (res.h) */
static volatile uint64_t exits;
static volatile int stop;

static uint64_t on_exit(struct portal_ctx *ctx, uint64_t mtd)
{
    (void)mtd;
    struct nova_utcb_arch *a = &ctx->utcb->arch;
    if (((struct handler *)ctx)->ev == NOVA_EV_GST_STARTUP) {
        a->cs = (struct nova_seg){0, 0x9b, 0xffff, 0};
        a->ss = a->ds = a->es = (struct nova_seg){0, 0x93, 0xffff, 0};
        a->rip = CODE;
        a->rflags = 0x2;
        return NOVA_MTD_RIP | NOVA_MTD_RFLAGS | NOVA_MTD_CS_SS | NOVA_MTD_DS_ES;
    }
    if (stop)
        return NOVA_MTD_POISON;
    exits++;
    a->rip += VMMCALL_LEN;
    return NOVA_MTD_RIP;
}

bool suspend_vm_start(unsigned cpu, unsigned prio)
{
    const struct nova_hip *hip = (const struct nova_hip *)NOVA_HIP_VADDR;
    if (!(hip->features & NOVA_HIP_FEAT_SVM))
        return false;
    uint64_t pd = sel_alloc(1), evt = sel_alloc(0x200), ec = sel_alloc(1), vcpu = sel_alloc(1), sc = sel_alloc(1);
    uint8_t *mem = phys_map(GUEST_PHYS, 0x1000, 1);
    unsigned st = hc_create_pd(pd, ROOT);
    st |= hc_ctrl_pd(NOVA, pd, GUEST_PHYS >> 12, CODE >> 12, 0, NOVA_PERM_MEM_ALL, NOVA_SPC_MEM, NOVA_ACC_CPU_GST,
                     NOVA_CA_WB);
    if (st != NOVA_SUCCESS || !mem)
        return false;
    for (unsigned i = 0; i < sizeof(guest); i++)
        mem[i] = guest[i];

    uint64_t stack_top = (uint64_t)stack + sizeof(stack), utcb = utcb_alloc();
    st = hc_create_ec(ec, ROOT, utcb, cpu, stack_top, 0, 0);
    static const unsigned evs[2] = {NOVA_EV_SVM_VMMCALL, NOVA_EV_GST_STARTUP};
    for (unsigned i = 0; i < 2; i++) {
        struct handler *h = &handlers[i];
        h->ctx = (struct portal_ctx){.stack_top = stack_top, .fn = on_exit, .utcb = (union nova_utcb *)utcb};
        h->ev = evs[i];
        uint64_t pt = sel_alloc(1);
        st |= hc_create_pt(pt, ROOT, ec, (uint64_t)portal_entry);
        st |= hc_ctrl_pt(pt, (uint64_t)h, NOVA_MTD_RIP);
        st |= hc_ctrl_pd(ROOT, pd, pt, evt + evs[i], 0, NOVA_PERM_PT_EVENT, NOVA_SPC_OBJ, 0, 0);
    }
    st |= hc_create_ec(vcpu, pd, 0, cpu, 0, evt, NOVA_CREATE_EC_V);
    st |= hc_create_sc(sc, ROOT, vcpu, nova_scd(1, prio, 0));
    return st == NOVA_SUCCESS;
}

uint64_t suspend_vm_exits(void)
{
    return exits;
}

void suspend_vm_stop(void)
{
    stop = 1;
}
