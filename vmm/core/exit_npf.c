/* SPDX-License-Identifier: MIT */
/* Nested page faults: the guest touched an address without RAM (a device register). The VMM
   fetches the instruction through the guest's page tables, decodes and emulates it. */

#include "core/guest_access.h"
#include "core/vcpu.h"

#include <nova/mtd.h>
#include <string.h>

#define UD 6

static void regs_from_utcb(struct x86_regs *r, const struct nova_utcb_arch *a)
{
    memcpy(r->gpr, a, sizeof(r->gpr)); /* rax .. r15 open the UTCB, in architectural order */
    r->rip = a->rip;
    r->rflags = a->rflags;
}

static void regs_to_utcb(struct nova_utcb_arch *a, const struct x86_regs *r)
{
    memcpy(a, r->gpr, sizeof(r->gpr));
    a->rip = r->rip;
    a->rflags = r->rflags;
}

/* A failed translation while fetching or emulating becomes the guest's #PF or #GP. */
static uint64_t inject_fault(struct nova_utcb_arch *a, const struct x86_fault *f)
{
    if (f->vector == X86_VEC_PF) {
        a->cr2 = f->addr;
        vcpu_inject_exception(a, X86_VEC_PF, true, f->error_code);
        return NOVA_MTD_CR;
    }
    vcpu_inject_exception(a, X86_VEC_GP, true, 0);
    return 0;
}

uint64_t exit_npf(struct vcpu *v, struct nova_utcb_arch *a, bool *ok)
{
    struct guest_access g;
    guest_access_init(&g, v, a);
    struct x86_emu emu = {.code_bits = guest_code_bits(a), .opaque = &g, .read = guest_read, .write = guest_write};
    emu.seg_base[X86_SEG_ES] = a->es.base;
    emu.seg_base[X86_SEG_CS] = a->cs.base;
    emu.seg_base[X86_SEG_SS] = a->ss.base;
    emu.seg_base[X86_SEG_DS] = a->ds.base;
    emu.seg_base[X86_SEG_FS] = a->fs.base;
    emu.seg_base[X86_SEG_GS] = a->gs.base;
    regs_from_utcb(&emu.regs, a);

    uint8_t code[15];
    uint64_t pc = emu.code_bits == 64 ? a->rip : (a->cs.base + a->rip) & 0xffffffffu;
    unsigned avail = sizeof(code);
    /* Fetch what is there: an instruction near the end of a mapped page may be shorter. */
    while (avail && guest_copy_from(&g, pc, code, avail, X86_ACC_FETCH) != 0)
        avail--, g.faulted = false;
    if (!avail)
        return inject_fault(a, &g.fault);
    struct x86_insn insn;
    int rc = x86_emulate_bytes(&emu, code, avail, &insn);
    if (rc == X86_EMU_OK || rc == X86_EMU_CONTINUE) {
        regs_to_utcb(a, &emu.regs);
        a->intr_state &= ~(NOVA_INTR_STATE_STI | NOVA_INTR_STATE_MOV_SS);
        return 0;
    }
    if (rc == X86_EMU_FAULT && g.faulted)
        return inject_fault(a, &g.fault);
    vdev_log(v->vm, "cannot emulate the access to %#lx at rip %#lx (%02x %02x %02x %02x, error %d)", a->qual[2],
             a->rip, code[0], code[1], code[2], code[3], rc);
    if (rc == X86_DEC_EUNSUP || rc == X86_DEC_ELOCK) {
        vcpu_inject_exception(a, UD, false, 0);
        return 0;
    }
    *ok = false;
    return 0;
}
