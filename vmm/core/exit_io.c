/* SPDX-License-Identifier: MIT */
/* Port I/O exits: IN and OUT through the port bus. */

#include "core/guest_access.h"
#include "core/exit_decode.h"
#include "core/vcpu.h"

#include <nova/mtd.h>
#include <stdio.h>

#define STRING_CHUNK 4096u      /* iterations of a REP INS/OUTS per exit; the rest re-executes */
#define RFLAGS_DF    0x400u
#define SEG_DS       3u

static uint8_t logged[65536 / 8]; /* unclaimed ports already reported */

static void log_unclaimed(struct vm *vm, unsigned port, bool in)
{
    if (logged[port / 8] & (1u << (port % 8)))
        return;
    logged[port / 8] |= (uint8_t)(1u << (port % 8));
    vdev_log(vm, "%s of unclaimed port %#x ignored (reported once)", in ? "read" : "write", port);
}

/* INS/OUTS (with REP): memory at ES:RDI / seg:RSI through the guest's page tables. SVM's
   EXITINFO1 names the address size (bits 9:7) and the OUTS segment (bits 12:10); the VMX
   translation keeps neither, so 64-bit addresses and DS are assumed there. */
static uint64_t string_io(struct vcpu *v, struct nova_utcb_arch *a, unsigned port, unsigned size, bool in,
                          unsigned len)
{
    uint64_t q = a->qual[0];
    uint64_t mask = (q >> 7 & 1) ? 0xffffu : (q >> 8 & 1) ? 0xffffffffu : ~0ull;
    const struct nova_seg *segs[6] = {&a->es, &a->cs, &a->ss, &a->ds, &a->fs, &a->gs};
    unsigned seg = (q >> 10 & 7) < 6 && !exit_is_vmx() ? (unsigned)(q >> 10 & 7) : SEG_DS;
    bool rep = q & 8, long_mode = guest_code_bits(a) == 64;
    uint64_t base = in ? a->es.base : segs[seg]->base;
    if (long_mode && (in || seg < 4))
        base = 0; /* only FS and GS have bases in 64-bit mode */
    uint64_t index = in ? a->rdi : a->rsi; /* the UTCB is packed: no pointers into it */
    int64_t step = (a->rflags & RFLAGS_DF) ? -(int64_t)size : (int64_t)size;
    struct guest_access g;
    guest_access_init(&g, v, a);
    for (unsigned i = 0; i < STRING_CHUNK && (!rep || (a->rcx & mask)); i++) {
        uint64_t lin = base + (index & mask), val;
        if (in) {
            bus_read(&v->vm->pio, port, size, &val);
            if (guest_write(&g, lin, size, val))
                break;
        } else {
            if (guest_read(&g, lin, size, &val))
                break;
            bus_write(&v->vm->pio, port, size, val);
        }
        index = (index & ~mask) | ((index + (uint64_t)step) & mask);
        if (!rep)
            break;
        a->rcx = (a->rcx & ~mask) | ((a->rcx - 1) & mask);
    }
    if (in)
        a->rdi = index;
    else
        a->rsi = index;
    if (g.faulted) {
        if (g.fault.vector == X86_VEC_PF) {
            a->cr2 = g.fault.addr;
            vcpu_inject_exception(a, X86_VEC_PF, true, g.fault.error_code);
            return NOVA_MTD_CR;
        }
        vcpu_inject_exception(a, X86_VEC_GP, true, 0);
        return 0;
    }
    if (!rep || !(a->rcx & mask))
        vcpu_skip(a, len);
    return 0;
}

uint64_t exit_io(struct vcpu *v, struct nova_utcb_arch *a, bool *ok)
{
    (void)ok;
    struct vm *vm = v->vm;
    uint64_t q = a->qual[0];
    unsigned port = q >> 16 & 0xffff, size = (q >> 4 & 7) == 1 ? 1 : (q >> 4 & 7) == 2 ? 2 : 4;
    bool in = q & 1;
    /* VMX gives the length; SVM gives the next RIP in EXITINFO2. */
    unsigned len = a->inst_len ? a->inst_len : a->qual[1] > a->rip && a->qual[1] - a->rip <= 15 ? a->qual[1] - a->rip : 1;
    if (q & 4)
        return string_io(v, a, port, size, in, len);
    if (in) {
        uint64_t val;
        if (!bus_read(&vm->pio, port, size, &val))
            log_unclaimed(vm, port, true);
        if (size == 4)
            a->rax = val & 0xffffffffu; /* a 32-bit destination zero-extends */
        else {
            uint64_t mask = size == 1 ? 0xffu : 0xffffu;
            a->rax = (a->rax & ~mask) | (val & mask);
        }
    } else if (!bus_write(&vm->pio, port, size, a->rax)) {
        log_unclaimed(vm, port, false);
    }
    vcpu_skip(a, len);
    return 0;
}
