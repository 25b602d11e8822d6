/* SPDX-License-Identifier: MIT */
/* x86 instruction decoder: prefixes, REX, ModRM/SIB/displacement, immediates (Intel SDM vol. 2, ch. 2). */

#include "cpu/decode.h"

#include <string.h>

/* Decoder state: the byte cursor and the prefixes seen. */
struct dec {
    const uint8_t *b;
    unsigned avail, pos;
    unsigned code_bits;
    bool opsize_pfx, addr_pfx;
    struct x86_insn *in;
};

/* Take n little-endian bytes; the 15-byte limit is checked before the available count. */
static int take(struct dec *d, unsigned n, uint64_t *v)
{
    if (d->pos + n > X86_MAX_INSN_LEN)
        return X86_DEC_ETOOLONG;
    if (d->pos + n > d->avail)
        return X86_DEC_ETRUNC;
    uint64_t x = 0;
    for (unsigned i = 0; i < n; i++)
        x |= (uint64_t)d->b[d->pos + i] << (8 * i);
    d->pos += n;
    *v = x;
    return 0;
}

static uint64_t sext(uint64_t v, unsigned bytes)
{
    if (bytes >= 8)
        return v;
    unsigned sh = 64 - 8 * bytes;
    return (uint64_t)((int64_t)(v << sh) >> sh);
}

/* Read a sign-extended value of n bytes. */
static int take_s(struct dec *d, unsigned n, uint64_t *v)
{
    int r = take(d, n, v);
    if (r == 0)
        *v = sext(*v, n);
    return r;
}

/* A general register operand; byte registers 4-7 are AH..BH unless a REX prefix is present. */
static struct x86_opnd reg_opnd(const struct dec *d, unsigned num, unsigned size)
{
    struct x86_opnd o = { .kind = X86_OPND_REG, .reg = (uint8_t)num, .high8 = false };
    if (size == 1 && !d->in->rex && num >= 4 && num < 8) {
        o.reg = (uint8_t)(num - 4);
        o.high8 = true;
    }
    return o;
}

static struct x86_opnd mem_opnd(void)
{
    return (struct x86_opnd){ .kind = X86_OPND_MEM };
}

static struct x86_opnd imm_opnd(void)
{
    return (struct x86_opnd){ .kind = X86_OPND_IMM };
}

/* Default segment for a base register: SS for rSP/rBP bases (not r12/r13), DS otherwise; an
   override replaces it later. */
static uint8_t base_seg(int base)
{
    return (base == 4 || base == 5) ? X86_SEG_SS : X86_SEG_DS;
}

/* 16-bit addressing: r/m selects BX+SI, BX+DI, BP+SI, BP+DI, SI, DI, BP (disp16 if mod 0), BX. */
static int modrm16(struct dec *d, unsigned mod, unsigned rm)
{
    static const int8_t base[8] = { 3, 3, 5, 5, -1, -1, 5, 3 };
    static const int8_t index[8] = { 6, 7, 6, 7, 6, 7, -1, -1 };
    struct x86_mem *m = &d->in->mem;
    m->base = base[rm];
    m->index = index[rm];
    if (mod == 0 && rm == 6)
        m->base = -1;
    m->seg = m->base == 5 ? X86_SEG_SS : X86_SEG_DS;
    if (mod == 1)
        return take_s(d, 1, &m->disp);
    if (mod == 2 || (mod == 0 && rm == 6))
        return take_s(d, 2, &m->disp);
    return 0;
}

/* 32/64-bit addressing with SIB and RIP-relative forms. */
static int modrm32(struct dec *d, unsigned mod, unsigned rm)
{
    struct x86_mem *m = &d->in->mem;
    uint8_t rex = d->in->rex;
    bool disp32 = mod == 2;
    if (rm == 4) {
        uint64_t sib;
        int r = take(d, 1, &sib);
        if (r)
            return r;
        unsigned idx = ((sib >> 3) & 7) | ((rex & 2u) << 2);
        unsigned base = sib & 7;
        m->scale = (uint8_t)(1u << (sib >> 6));
        m->index = idx == 4 ? -1 : (int8_t)idx;
        if (base == 5 && mod == 0) {
            m->base = -1;
            disp32 = true;
        } else {
            m->base = (int8_t)(base | ((rex & 1u) << 3));
        }
        m->seg = base_seg(m->base);
    } else if (rm == 5 && mod == 0) {
        m->rip_rel = d->code_bits == 64;
        disp32 = true;
        m->seg = X86_SEG_DS;
    } else {
        m->base = (int8_t)(rm | ((rex & 1u) << 3));
        m->seg = base_seg(m->base);
    }
    if (mod == 1)
        return take_s(d, 1, &m->disp);
    if (disp32)
        return take_s(d, 4, &m->disp);
    return 0;
}

/* Read ModRM (and SIB/displacement). Returns the reg field (with REX.R) or a negative error;
   *rm_op becomes the r/m operand (register of `size` or memory). */
static int modrm(struct dec *d, unsigned size, struct x86_opnd *rm_op)
{
    uint64_t b;
    int r = take(d, 1, &b);
    if (r)
        return r;
    struct x86_insn *in = d->in;
    in->modrm = (uint8_t)b;
    in->has_modrm = true;
    unsigned mod = (unsigned)b >> 6, rm = b & 7;
    if (mod == 3) {
        *rm_op = reg_opnd(d, rm | ((in->rex & 1u) << 3), size);
    } else {
        r = in->addr_size == 2 ? modrm16(d, mod, rm) : modrm32(d, mod, rm);
        if (r)
            return r;
        *rm_op = mem_opnd();
    }
    return (int)(((b >> 3) & 7) | ((in->rex & 4u) << 1));
}

/* Immediate of `n` bytes, sign-extended. */
static int imm(struct dec *d, unsigned n)
{
    return take_s(d, n, &d->in->imm);
}

/* The "z" immediate size: 2 for 16-bit operands, 4 otherwise (sign-extended to 64). */
static unsigned imm_z(const struct x86_insn *in)
{
    return in->opsize == 2 ? 2 : 4;
}

/* r/m, reg (dir 0) or reg, r/m (dir 1). */
static int rm_reg(struct dec *d, unsigned op, bool reg_is_dst)
{
    struct x86_insn *in = d->in;
    struct x86_opnd rmo;
    int reg = modrm(d, in->opsize, &rmo);
    if (reg < 0)
        return reg;
    struct x86_opnd rego = reg_opnd(d, (unsigned)reg, in->opsize);
    in->op = (uint8_t)op;
    in->dst = reg_is_dst ? rego : rmo;
    in->src = reg_is_dst ? rmo : rego;
    return 0;
}

/* ALU ops 00-3D: op = (opcode >> 3), form = opcode & 7 (0..5). */
static int alu_legacy(struct dec *d, unsigned opc)
{
    struct x86_insn *in = d->in;
    unsigned form = opc & 7;
    unsigned op = X86_OP_ADD + (opc >> 3);
    if (!(form & 1))
        in->opsize = 1;
    if (form < 4)
        return rm_reg(d, op, form >= 2);
    in->op = (uint8_t)op;
    in->dst = reg_opnd(d, 0, in->opsize);
    in->src = imm_opnd();
    return imm(d, in->opsize == 1 ? 1 : imm_z(in));
}

/* Group 1 (80, 81, 82, 83): op r/m, imm. */
static int group1(struct dec *d, unsigned opc)
{
    struct x86_insn *in = d->in;
    if (opc != 0x81 && opc != 0x83)
        in->opsize = 1;
    int reg = modrm(d, in->opsize, &in->dst);
    if (reg < 0)
        return reg;
    in->op = (uint8_t)(X86_OP_ADD + (reg & 7));
    in->src = imm_opnd();
    return imm(d, opc == 0x81 ? imm_z(in) : 1);
}

/* C6 /0, C7 /0: MOV r/m, imm. */
static int mov_imm(struct dec *d, unsigned opc)
{
    struct x86_insn *in = d->in;
    if (opc == 0xc6)
        in->opsize = 1;
    int reg = modrm(d, in->opsize, &in->dst);
    if (reg < 0)
        return reg;
    if ((reg & 7) != 0)
        return X86_DEC_EUNSUP;
    in->op = X86_OP_MOV;
    in->src = imm_opnd();
    return imm(d, in->opsize == 1 ? 1 : imm_z(in));
}

/* F6, F7: TEST imm (/0), NOT (/2), NEG (/3); MUL/DIV are not emulated. */
static int group3(struct dec *d, unsigned opc)
{
    struct x86_insn *in = d->in;
    if (opc == 0xf6)
        in->opsize = 1;
    int reg = modrm(d, in->opsize, &in->dst);
    if (reg < 0)
        return reg;
    switch (reg & 7) {
    case 0:
        in->op = X86_OP_TEST;
        in->src = imm_opnd();
        return imm(d, in->opsize == 1 ? 1 : imm_z(in));
    case 2:
        in->op = X86_OP_NOT;
        return 0;
    case 3:
        in->op = X86_OP_NEG;
        return 0;
    default:
        return X86_DEC_EUNSUP;
    }
}

/* FE, FF: INC (/0), DEC (/1). */
static int group45(struct dec *d, unsigned opc)
{
    struct x86_insn *in = d->in;
    if (opc == 0xfe)
        in->opsize = 1;
    int reg = modrm(d, in->opsize, &in->dst);
    if (reg < 0)
        return reg;
    if ((reg & 7) > 1)
        return X86_DEC_EUNSUP;
    in->op = (reg & 7) ? X86_OP_DEC : X86_OP_INC;
    return 0;
}

/* A0-A3: MOV between AL/rAX and an absolute offset of the address size. */
static int mov_moffs(struct dec *d, unsigned opc)
{
    struct x86_insn *in = d->in;
    if (!(opc & 1))
        in->opsize = 1;
    in->op = X86_OP_MOV;
    in->mem.seg = X86_SEG_DS;
    struct x86_opnd acc = reg_opnd(d, 0, in->opsize);
    in->dst = (opc & 2) ? mem_opnd() : acc;
    in->src = (opc & 2) ? acc : mem_opnd();
    return take(d, in->addr_size, &in->mem.disp);
}

/* B0-BF: MOV reg, imm (imm64 with REX.W). */
static int mov_reg_imm(struct dec *d, unsigned opc)
{
    struct x86_insn *in = d->in;
    if (opc < 0xb8)
        in->opsize = 1;
    in->op = X86_OP_MOV;
    in->dst = reg_opnd(d, (opc & 7) | ((in->rex & 1u) << 3), in->opsize);
    in->src = imm_opnd();
    return imm(d, in->opsize == 1 ? 1 : in->opsize);
}

/* A4/A5 MOVS, AA/AB STOS, AC/AD LODS. */
static int string_op(struct dec *d, unsigned opc)
{
    struct x86_insn *in = d->in;
    if (!(opc & 1))
        in->opsize = 1;
    in->op = opc < 0xaa ? X86_OP_MOVS : opc < 0xac ? X86_OP_STOS : X86_OP_LODS;
    if (!in->seg_override)
        in->mem.seg = X86_SEG_DS;
    return 0;
}

/* MOVZX/MOVSX (0F B6/B7/BE/BF) and MOVSXD (63): reg (opsize) <- r/m (src_size). */
static int move_extend(struct dec *d, unsigned op, unsigned src_size)
{
    struct x86_insn *in = d->in;
    int reg = modrm(d, src_size, &in->src);
    if (reg < 0)
        return reg;
    in->op = (uint8_t)op;
    in->src_size = (uint8_t)src_size;
    in->dst = reg_opnd(d, (unsigned)reg, in->opsize);
    return 0;
}

/* 0F BA /4-/7: BT/BTS/BTR/BTC r/m, imm8. */
static int bt_imm(struct dec *d)
{
    struct x86_insn *in = d->in;
    int reg = modrm(d, in->opsize, &in->dst);
    if (reg < 0)
        return reg;
    if ((reg & 7) < 4)
        return X86_DEC_EUNSUP;
    in->op = (uint8_t)(X86_OP_BT + ((reg & 7) - 4));
    in->src = imm_opnd();
    in->src_size = 1;
    return take(d, 1, &in->imm);
}

static int two_byte(struct dec *d, unsigned opc)
{
    struct x86_insn *in = d->in;
    switch (opc) {
    case 0xa3: return rm_reg(d, X86_OP_BT, false);
    case 0xab: return rm_reg(d, X86_OP_BTS, false);
    case 0xb3: return rm_reg(d, X86_OP_BTR, false);
    case 0xbb: return rm_reg(d, X86_OP_BTC, false);
    case 0xba: return bt_imm(d);
    case 0xb0:
        in->opsize = 1;
        return rm_reg(d, X86_OP_CMPXCHG, false);
    case 0xb1: return rm_reg(d, X86_OP_CMPXCHG, false);
    case 0xb6: return move_extend(d, X86_OP_MOVZX, 1);
    case 0xb7: return move_extend(d, X86_OP_MOVZX, 2);
    case 0xbe: return move_extend(d, X86_OP_MOVSX, 1);
    case 0xbf: return move_extend(d, X86_OP_MOVSX, 2);
    default: return X86_DEC_EUNSUP;
    }
}

static int one_byte(struct dec *d, unsigned opc)
{
    struct x86_insn *in = d->in;
    if (opc < 0x40 && (opc & 7) < 6)
        return alu_legacy(d, opc);
    switch (opc) {
    case 0x63:
        if (d->code_bits != 64)
            return X86_DEC_EUNSUP; /* ARPL */
        return move_extend(d, X86_OP_MOVSX, in->opsize == 8 ? 4 : in->opsize);
    case 0x80: case 0x81: case 0x83:
        return group1(d, opc);
    case 0x82:
        return d->code_bits == 64 ? X86_DEC_EUNSUP : group1(d, opc);
    case 0x84: case 0x85: case 0x86: case 0x87: case 0x88: case 0x89: case 0x8a: case 0x8b:
        if (!(opc & 1))
            in->opsize = 1;
        return rm_reg(d, opc < 0x86 ? X86_OP_TEST : opc < 0x88 ? X86_OP_XCHG : X86_OP_MOV, opc >= 0x8a);
    case 0xa0: case 0xa1: case 0xa2: case 0xa3:
        return mov_moffs(d, opc);
    case 0xa4: case 0xa5: case 0xaa: case 0xab: case 0xac: case 0xad:
        return string_op(d, opc);
    case 0xa8: case 0xa9:
        if (opc == 0xa8)
            in->opsize = 1;
        in->op = X86_OP_TEST;
        in->dst = reg_opnd(d, 0, in->opsize);
        in->src = imm_opnd();
        return imm(d, in->opsize == 1 ? 1 : imm_z(in));
    case 0xc6: case 0xc7:
        return mov_imm(d, opc);
    case 0xf6: case 0xf7:
        return group3(d, opc);
    case 0xfe: case 0xff:
        return group45(d, opc);
    default:
        if (opc >= 0xb0 && opc <= 0xbf)
            return mov_reg_imm(d, opc);
        return X86_DEC_EUNSUP;
    }
}

/* Legacy prefixes and REX. A REX prefix only counts immediately before the opcode. */
static int prefixes(struct dec *d)
{
    struct x86_insn *in = d->in;
    for (;;) {
        uint64_t b;
        int r = take(d, 1, &b);
        if (r)
            return r;
        switch (b) {
        case 0x66: d->opsize_pfx = true; break;
        case 0x67: d->addr_pfx = true; break;
        case 0xf0: in->lock = true; break;
        case 0xf2: in->rep = X86_REP_REPNE; break;
        case 0xf3: in->rep = X86_REP_REPE; break;
        case 0x26: case 0x2e: case 0x36: case 0x3e:
            in->mem.seg = (uint8_t)((b >> 3) & 3);
            in->seg_override = true;
            break;
        case 0x64: case 0x65:
            in->mem.seg = (uint8_t)(X86_SEG_FS + (b & 1));
            in->seg_override = true;
            break;
        default:
            if (d->code_bits == 64 && (b & 0xf0) == 0x40) {
                in->rex = (uint8_t)b;
                continue; /* skip the REX reset below */
            }
            d->pos--; /* the opcode */
            return 0;
        }
        in->rex = 0; /* a legacy prefix after REX voids the REX */
    }
}

/* Operand and address sizes from the mode, 66/67 and REX.W. */
static void sizes(struct dec *d)
{
    struct x86_insn *in = d->in;
    if (d->code_bits == 64) {
        in->opsize = (in->rex & 8) ? 8 : d->opsize_pfx ? 2 : 4;
        in->addr_size = d->addr_pfx ? 4 : 8;
    } else {
        bool big = d->code_bits == 32;
        in->opsize = (big != d->opsize_pfx) ? 4 : 2;
        in->addr_size = (big != d->addr_pfx) ? 4 : 2;
    }
}

/* Which operations accept LOCK (with a memory destination only). */
static bool lockable(const struct x86_insn *in)
{
    if (in->dst.kind != X86_OPND_MEM)
        return false;
    switch (in->op) {
    case X86_OP_ADD: case X86_OP_OR: case X86_OP_ADC: case X86_OP_SBB: case X86_OP_AND:
    case X86_OP_SUB: case X86_OP_XOR: case X86_OP_NOT: case X86_OP_NEG: case X86_OP_INC:
    case X86_OP_DEC: case X86_OP_XCHG: case X86_OP_BTS: case X86_OP_BTR: case X86_OP_BTC:
    case X86_OP_CMPXCHG:
        return true;
    default:
        return false;
    }
}

int x86_decode(const uint8_t *bytes, unsigned avail, unsigned code_bits, struct x86_insn *out)
{
    if (code_bits != 16 && code_bits != 32 && code_bits != 64)
        return X86_DEC_EINVAL;
    memset(out, 0, sizeof(*out));
    out->code_bits = (uint8_t)code_bits;
    out->mem.base = out->mem.index = -1;
    out->mem.scale = 1;
    out->mem.seg = X86_SEG_DS;
    struct dec d = { .b = bytes, .avail = avail, .code_bits = code_bits, .in = out };

    int r = prefixes(&d);
    if (r)
        return r;
    uint8_t seg_pfx = out->mem.seg;
    sizes(&d);
    uint64_t opc;
    if ((r = take(&d, 1, &opc)) != 0)
        return r;
    if (opc == 0x0f) {
        out->two_byte = true;
        if ((r = take(&d, 1, &opc)) != 0)
            return r;
    }
    out->opcode = (uint8_t)opc;
    r = out->two_byte ? two_byte(&d, (unsigned)opc) : one_byte(&d, (unsigned)opc);
    if (r)
        return r;
    if (out->seg_override)
        out->mem.seg = seg_pfx;
    if (!out->src_size)
        out->src_size = out->opsize;
    if (out->lock && !lockable(out))
        return X86_DEC_ELOCK;
    out->len = (uint8_t)d.pos;
    return (int)d.pos;
}
