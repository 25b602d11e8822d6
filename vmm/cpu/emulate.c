/* SPDX-License-Identifier: MIT */
/* x86 emulator for decoded MMIO instructions: addressing, accesses through callbacks, results and flags. */

#include "cpu/emulate.h"

#include <string.h>

/* One instruction in progress: registers are changed on a copy and committed on success. */
struct ctx {
    const struct x86_insn *in;
    struct x86_emu *e;
    struct x86_regs r;
};

static uint64_t mask(unsigned size)
{
    return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

static uint64_t sext(uint64_t v, unsigned size)
{
    if (size >= 8)
        return v;
    unsigned sh = 64 - 8 * size;
    return (uint64_t)((int64_t)(v << sh) >> sh);
}

static bool size_ok(unsigned size)
{
    return size == 1 || size == 2 || size == 4 || size == 8;
}

static uint64_t reg_get(const struct x86_regs *r, unsigned reg, bool high8, unsigned size)
{
    uint64_t v = r->gpr[reg & 15];
    return high8 ? (v >> 8) & 0xff : v & mask(size);
}

/* Register write: 8/16-bit writes keep the rest; 32-bit writes zero-extend in 64-bit mode. */
static void reg_set(struct x86_regs *r, unsigned reg, bool high8, unsigned size, uint64_t v, bool lm)
{
    uint64_t *g = &r->gpr[reg & 15];
    if (high8)
        *g = (*g & ~0xff00ull) | ((v & 0xff) << 8);
    else if (size == 8 || (size == 4 && lm))
        *g = v & mask(size);
    else
        *g = (*g & ~mask(size)) | (v & mask(size));
}

static bool long_mode(const struct x86_emu *e)
{
    return e->code_bits == 64;
}

static uint64_t linear(const struct x86_emu *e, unsigned seg, uint64_t ea)
{
    if (long_mode(e))
        return (seg == X86_SEG_FS || seg == X86_SEG_GS) ? e->seg_base[seg] + ea : ea;
    return (e->seg_base[seg % 6] + ea) & 0xffffffffull;
}

/* Effective address of the memory operand plus `extra` bytes, wrapped to the address size. */
static uint64_t eff_addr(const struct x86_insn *in, const struct x86_regs *r, uint64_t extra)
{
    const struct x86_mem *m = &in->mem;
    uint64_t ea = m->disp + extra;
    if (m->base >= 0)
        ea += r->gpr[m->base & 15];
    if (m->index >= 0)
        ea += r->gpr[m->index & 15] * m->scale;
    if (m->rip_rel)
        ea += r->rip + in->len;
    return ea & mask(in->addr_size);
}

uint64_t x86_mem_linear(const struct x86_insn *insn, const struct x86_emu *emu)
{
    return linear(emu, insn->mem.seg, eff_addr(insn, &emu->regs, 0));
}

static int mem_read(struct x86_emu *e, uint64_t lin, unsigned size, uint64_t *v)
{
    *v = 0;
    if (e->read(e->opaque, lin, size, v) != 0) {
        e->fault_linear = lin, e->fault_size = size, e->fault_write = false;
        return X86_EMU_FAULT;
    }
    *v &= mask(size);
    return 0;
}

static int mem_write(struct x86_emu *e, uint64_t lin, unsigned size, uint64_t v)
{
    if (e->write(e->opaque, lin, size, v & mask(size)) != 0) {
        e->fault_linear = lin, e->fault_size = size, e->fault_write = true;
        return X86_EMU_FAULT;
    }
    return 0;
}

static int opnd_read(struct ctx *c, const struct x86_opnd *o, unsigned size, uint64_t *v)
{
    switch (o->kind) {
    case X86_OPND_REG:
        *v = reg_get(&c->r, o->reg, o->high8, size);
        return 0;
    case X86_OPND_MEM:
        return mem_read(c->e, linear(c->e, c->in->mem.seg, eff_addr(c->in, &c->r, 0)), size, v);
    case X86_OPND_IMM:
        *v = c->in->imm & mask(size);
        return 0;
    default:
        return X86_EMU_EINVAL;
    }
}

static int opnd_write(struct ctx *c, const struct x86_opnd *o, unsigned size, uint64_t v)
{
    switch (o->kind) {
    case X86_OPND_REG:
        reg_set(&c->r, o->reg, o->high8, size, v, long_mode(c->e));
        return 0;
    case X86_OPND_MEM:
        return mem_write(c->e, linear(c->e, c->in->mem.seg, eff_addr(c->in, &c->r, 0)), size, v);
    default:
        return X86_EMU_EINVAL;
    }
}

/* ZF, SF and PF (parity of the low byte) of a result. */
static uint64_t flags_szp(uint64_t res, unsigned size)
{
    uint64_t f = 0;
    res &= mask(size);
    if (res == 0)
        f |= X86_FL_ZF;
    if (res >> (8 * size - 1))
        f |= X86_FL_SF;
    uint8_t p = (uint8_t)res;
    p ^= p >> 4, p ^= p >> 2, p ^= p >> 1;
    if (!(p & 1))
        f |= X86_FL_PF;
    return f;
}

/* a + b + cin and its arithmetic flags. */
static uint64_t add_flags(uint64_t a, uint64_t b, unsigned cin, unsigned size, uint64_t *flags)
{
    unsigned top = 8 * size - 1;
    uint64_t res = (a + b + cin) & mask(size);
    uint64_t f = flags_szp(res, size);
    if (res < a || (cin && res == a))
        f |= X86_FL_CF;
    if ((((a ^ res) & (b ^ res)) >> top) & 1)
        f |= X86_FL_OF;
    if ((a ^ b ^ res) & 0x10)
        f |= X86_FL_AF;
    *flags = f;
    return res;
}

/* a - b - bin and its arithmetic flags. */
static uint64_t sub_flags(uint64_t a, uint64_t b, unsigned bin, unsigned size, uint64_t *flags)
{
    unsigned top = 8 * size - 1;
    uint64_t res = (a - b - bin) & mask(size);
    uint64_t f = flags_szp(res, size);
    if (a < b || (bin && a == b))
        f |= X86_FL_CF;
    if ((((a ^ b) & (a ^ res)) >> top) & 1)
        f |= X86_FL_OF;
    if ((a ^ b ^ res) & 0x10)
        f |= X86_FL_AF;
    *flags = f;
    return res;
}

static void set_flags(struct ctx *c, uint64_t which, uint64_t value)
{
    c->r.rflags = (c->r.rflags & ~which) | (value & which);
}

/* ADD..CMP and TEST. Logic ops clear CF and OF (AF is undefined; we clear it). */
static int exec_alu(struct ctx *c)
{
    const struct x86_insn *in = c->in;
    unsigned size = in->opsize;
    unsigned cf = (c->r.rflags & X86_FL_CF) ? 1 : 0;
    uint64_t a, b, res, f;
    int r = opnd_read(c, &in->dst, size, &a);
    if (r || (r = opnd_read(c, &in->src, size, &b)) != 0)
        return r;
    switch (in->op) {
    case X86_OP_ADD: res = add_flags(a, b, 0, size, &f); break;
    case X86_OP_ADC: res = add_flags(a, b, cf, size, &f); break;
    case X86_OP_SUB: case X86_OP_CMP: res = sub_flags(a, b, 0, size, &f); break;
    case X86_OP_SBB: res = sub_flags(a, b, cf, size, &f); break;
    case X86_OP_OR: res = a | b; f = flags_szp(res, size); break;
    case X86_OP_XOR: res = a ^ b; f = flags_szp(res, size); break;
    default: res = a & b; f = flags_szp(res, size); break; /* AND, TEST */
    }
    if (in->op != X86_OP_CMP && in->op != X86_OP_TEST && (r = opnd_write(c, &in->dst, size, res)) != 0)
        return r;
    set_flags(c, X86_FL_ARITH, f);
    return 0;
}

/* NOT, NEG, INC, DEC (INC and DEC keep CF; NOT changes no flag). */
static int exec_unary(struct ctx *c)
{
    const struct x86_insn *in = c->in;
    unsigned size = in->opsize;
    uint64_t a, res, f = 0, which = X86_FL_ARITH;
    int r = opnd_read(c, &in->dst, size, &a);
    if (r)
        return r;
    switch (in->op) {
    case X86_OP_NOT: res = ~a; which = 0; break;
    case X86_OP_NEG: res = sub_flags(0, a, 0, size, &f); break;
    case X86_OP_INC: res = add_flags(a, 1, 0, size, &f); which &= ~X86_FL_CF; break;
    default: res = sub_flags(a, 1, 0, size, &f); which &= ~X86_FL_CF; break;
    }
    if ((r = opnd_write(c, &in->dst, size, res)) != 0)
        return r;
    set_flags(c, which, f);
    return 0;
}

/* MOV, MOVZX, MOVSX: dst (opsize) from src (src_size). */
static int exec_mov(struct ctx *c)
{
    const struct x86_insn *in = c->in;
    uint64_t v;
    int r = opnd_read(c, &in->src, in->src_size, &v);
    if (r)
        return r;
    if (in->op == X86_OP_MOVSX)
        v = sext(v, in->src_size);
    return opnd_write(c, &in->dst, in->opsize, v);
}

static int exec_xchg(struct ctx *c)
{
    const struct x86_insn *in = c->in;
    uint64_t a, b;
    int r = opnd_read(c, &in->dst, in->opsize, &a);
    if (r || (r = opnd_read(c, &in->src, in->opsize, &b)) != 0)
        return r;
    if ((r = opnd_write(c, &in->dst, in->opsize, b)) != 0)
        return r;
    return opnd_write(c, &in->src, in->opsize, a);
}

/* BT, BTS, BTR, BTC. A register bit offset on a memory base is signed and may address other
   operand-sized words; an immediate offset is taken modulo the operand width. */
static int exec_bt(struct ctx *c)
{
    const struct x86_insn *in = c->in;
    unsigned size = in->opsize, bits = 8 * size;
    uint64_t off, v;
    int r = opnd_read(c, &in->src, in->src.kind == X86_OPND_IMM ? 1 : size, &off);
    if (r)
        return r;
    uint64_t bit = off & (bits - 1);
    bool mem = in->dst.kind == X86_OPND_MEM;
    uint64_t lin = 0;
    if (mem) {
        uint64_t words = in->src.kind == X86_OPND_IMM ? 0 : (uint64_t)((int64_t)sext(off, size) >> (size == 2 ? 4 : size == 4 ? 5 : 6));
        lin = linear(c->e, in->mem.seg, eff_addr(in, &c->r, words * size));
        r = mem_read(c->e, lin, size, &v);
    } else {
        r = opnd_read(c, &in->dst, size, &v);
    }
    if (r)
        return r;
    uint64_t cf = (v >> bit) & 1;
    if (in->op != X86_OP_BT) {
        uint64_t m = 1ull << bit;
        uint64_t nv = in->op == X86_OP_BTS ? v | m : in->op == X86_OP_BTR ? v & ~m : v ^ m;
        r = mem ? mem_write(c->e, lin, size, nv) : opnd_write(c, &in->dst, size, nv);
        if (r)
            return r;
    }
    set_flags(c, X86_FL_CF, cf ? X86_FL_CF : 0);
    return 0;
}

static int exec_cmpxchg(struct ctx *c)
{
    const struct x86_insn *in = c->in;
    unsigned size = in->opsize;
    uint64_t acc = reg_get(&c->r, X86_RAX, false, size), d, s, f;
    int r = opnd_read(c, &in->dst, size, &d);
    if (r || (r = opnd_read(c, &in->src, size, &s)) != 0)
        return r;
    sub_flags(acc, d, 0, size, &f);
    if (acc == d)
        r = opnd_write(c, &in->dst, size, s);
    else
        reg_set(&c->r, X86_RAX, false, size, d, long_mode(c->e));
    if (r)
        return r;
    set_flags(c, X86_FL_ARITH, f);
    return 0;
}

/* One MOVS/STOS/LODS iteration on r; a fault leaves r partly updated (the caller discards it). */
static int string_once(struct x86_emu *e, const struct x86_insn *in, struct x86_regs *r)
{
    unsigned size = in->opsize, as = in->addr_size;
    uint64_t am = mask(as), step = (r->rflags & X86_FL_DF) ? -(uint64_t)size : size, v;
    bool lm = long_mode(e);
    int err;
    if (in->op != X86_OP_STOS) {
        if ((err = mem_read(e, linear(e, in->mem.seg, r->gpr[X86_RSI] & am), size, &v)) != 0)
            return err;
        reg_set(r, X86_RSI, false, as, r->gpr[X86_RSI] + step, lm);
    } else {
        v = r->gpr[X86_RAX];
    }
    if (in->op == X86_OP_LODS) {
        reg_set(r, X86_RAX, false, size, v, lm);
        return 0;
    }
    if ((err = mem_write(e, linear(e, X86_SEG_ES, r->gpr[X86_RDI] & am), size, v)) != 0)
        return err;
    reg_set(r, X86_RDI, false, as, r->gpr[X86_RDI] + step, lm);
    return 0;
}

/* MOVS/STOS/LODS with optional REP (F2 acts as F3 for these); commits each completed iteration. */
static int exec_string(struct x86_emu *e, const struct x86_insn *in)
{
    bool rep = in->rep != X86_REP_NONE;
    uint64_t am = mask(in->addr_size);
    for (unsigned i = 0;; i++) {
        if (rep && (e->regs.gpr[X86_RCX] & am) == 0)
            return X86_EMU_OK;
        if (i == X86_EMU_REP_CHUNK)
            return X86_EMU_CONTINUE;
        struct x86_regs n = e->regs;
        int err = string_once(e, in, &n);
        if (err)
            return err;
        if (rep)
            reg_set(&n, X86_RCX, false, in->addr_size, n.gpr[X86_RCX] - 1, long_mode(e));
        e->regs = n;
        if (!rep)
            return X86_EMU_OK;
    }
}

static int dispatch(struct ctx *c)
{
    switch (c->in->op) {
    case X86_OP_ADD: case X86_OP_OR: case X86_OP_ADC: case X86_OP_SBB: case X86_OP_AND:
    case X86_OP_SUB: case X86_OP_XOR: case X86_OP_CMP: case X86_OP_TEST:
        return exec_alu(c);
    case X86_OP_NOT: case X86_OP_NEG: case X86_OP_INC: case X86_OP_DEC:
        return exec_unary(c);
    case X86_OP_MOV: case X86_OP_MOVZX: case X86_OP_MOVSX:
        return exec_mov(c);
    case X86_OP_XCHG:
        return exec_xchg(c);
    case X86_OP_BT: case X86_OP_BTS: case X86_OP_BTR: case X86_OP_BTC:
        return exec_bt(c);
    case X86_OP_CMPXCHG:
        return exec_cmpxchg(c);
    default:
        return X86_EMU_EINVAL;
    }
}

static uint64_t ip_mask(unsigned code_bits)
{
    return code_bits == 64 ? ~0ull : code_bits == 32 ? 0xffffffffull : 0xffffull;
}

int x86_emulate(const struct x86_insn *insn, struct x86_emu *emu)
{
    if (insn->code_bits != emu->code_bits || !size_ok(insn->opsize) || !size_ok(insn->src_size) ||
        insn->addr_size < 2 || !size_ok(insn->addr_size) || insn->mem.seg > X86_SEG_GS ||
        !emu->read || !emu->write)
        return X86_EMU_EINVAL;
    int r;
    if (insn->op == X86_OP_MOVS || insn->op == X86_OP_STOS || insn->op == X86_OP_LODS) {
        r = exec_string(emu, insn);
    } else {
        struct ctx c = { .in = insn, .e = emu, .r = emu->regs };
        r = dispatch(&c);
        if (r == 0)
            emu->regs = c.r;
    }
    if (r == X86_EMU_OK)
        emu->regs.rip = (emu->regs.rip + insn->len) & ip_mask(emu->code_bits);
    return r;
}

int x86_emulate_bytes(struct x86_emu *emu, const uint8_t *bytes, unsigned avail, struct x86_insn *insn)
{
    struct x86_insn local;
    if (!insn)
        insn = &local;
    int r = x86_decode(bytes, avail, emu->code_bits, insn);
    return r < 0 ? r : x86_emulate(insn, emu);
}
