/* SPDX-License-Identifier: MIT */
/* Host test of vmm/cpu/decode.c: a table of encodings with their lengths, operands and errors. */

#include "cpu/decode.h"

#include <stdio.h>
#include <string.h>

#include "check.h"
#include "hex_bytes.h"

/* ---- Decoder table ---------------------------------------------------------------------- */

#define NONE (-1)
#define AH 16 /* expected high-byte registers: 16 + (0..3) */
#define CH 17
#define BH 19

/* One row: bytes, mode, expected length or error, and optional operand details
   (dk/sk: 'r' register, 'm' memory, 'i' immediate, 0 unchecked; mem: check base..rip). */
struct row {
    unsigned bits;
    const char *hex;
    int len;
    uint8_t op, os, as;
    char dk, sk;
    int dreg, sreg;
    bool mem;
    int base, index, scale;
    uint64_t disp;
    int seg;
    bool rip;
    bool chk_imm;
    uint64_t imm;
    int src_size, rep;
    unsigned avail; /* 0: all bytes */
};

/* Rows name only the fields they check; the rest default to zero. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define MEM(b, i, sc, d, sg) .mem = true, .base = (b), .index = (i), .scale = (sc), .disp = (uint64_t)(d), .seg = (sg)
#define IMM(v) .chk_imm = true, .imm = (uint64_t)(v)

static const struct row rows[] = {
    /* MOV in every direction and width, 64-bit code */
    { 64, "89 07", 2, X86_OP_MOV, 4, 8, 'm', 'r', 0, 0, MEM(7, NONE, 1, 0, X86_SEG_DS) },
    { 64, "8b 05 10 00 00 00", 6, X86_OP_MOV, 4, 8, 'r', 'm', 0, 0, MEM(NONE, NONE, 1, 0x10, X86_SEG_DS), .rip = true },
    { 64, "48 8b 05 f0 ff ff ff", 7, X86_OP_MOV, 8, 8, 'r', 'm', 0, 0, MEM(NONE, NONE, 1, -16, X86_SEG_DS), .rip = true },
    { 64, "89 04 8d 00 10 00 00", 7, X86_OP_MOV, 4, 8, 'm', 'r', 0, 0, MEM(NONE, 1, 4, 0x1000, X86_SEG_DS) },
    { 64, "42 89 04 a0", 4, X86_OP_MOV, 4, 8, 'm', 'r', 0, 0, MEM(0, 12, 4, 0, X86_SEG_DS) },
    { 64, "41 89 04 24", 4, X86_OP_MOV, 4, 8, 'm', 'r', 0, 0, MEM(12, NONE, 1, 0, X86_SEG_DS) },
    { 64, "89 44 24 08", 4, X86_OP_MOV, 4, 8, 'm', 'r', 0, 0, MEM(4, NONE, 1, 8, X86_SEG_SS) },
    { 64, "89 45 fc", 3, X86_OP_MOV, 4, 8, 'm', 'r', 0, 0, MEM(5, NONE, 1, -4, X86_SEG_SS) },
    { 64, "41 89 45 00", 4, X86_OP_MOV, 4, 8, 'm', 'r', 0, 0, MEM(13, NONE, 1, 0, X86_SEG_DS) },
    { 64, "8b 04 24", 3, X86_OP_MOV, 4, 8, 'r', 'm', 0, 0, MEM(4, NONE, 1, 0, X86_SEG_SS) },
    { 64, "8b 04 65 00 00 00 00", 7, X86_OP_MOV, 4, 8, 'r', 'm', 0, 0, MEM(NONE, NONE, 2, 0, X86_SEG_DS) },
    { 64, "42 8b 04 25 00 20 00 00", 8, X86_OP_MOV, 4, 8, 'r', 'm', 0, 0, MEM(NONE, 12, 1, 0x2000, X86_SEG_DS) },
    { 64, "8b 87 00 03 00 00", 6, X86_OP_MOV, 4, 8, 'r', 'm', 0, 0, MEM(7, NONE, 1, 0x300, X86_SEG_DS) },
    { 64, "88 27", 2, X86_OP_MOV, 1, 8, 'm', 'r', 0, AH },
    { 64, "88 3f", 2, X86_OP_MOV, 1, 8, 'm', 'r', 0, BH },
    { 64, "40 88 37", 3, X86_OP_MOV, 1, 8, 'm', 'r', 0, 6 },
    { 64, "40 8a 24 24", 4, X86_OP_MOV, 1, 8, 'r', 'm', 4, 0, MEM(4, NONE, 1, 0, X86_SEG_SS) },
    { 64, "8a 07", 2, X86_OP_MOV, 1, 8, 'r', 'm', 0 },
    { 64, "44 8b 07", 3, X86_OP_MOV, 4, 8, 'r', 'm', 8 },
    { 64, "4c 8b 3c 24", 4, X86_OP_MOV, 8, 8, 'r', 'm', 15 },
    { 64, "66 89 07", 3, X86_OP_MOV, 2, 8, 'm', 'r', 0, 0 },
    { 64, "48 89 07", 3, X86_OP_MOV, 8, 8, 'm', 'r' },
    { 64, "66 48 89 07", 4, X86_OP_MOV, 8, 8, 'm', 'r' },
    { 64, "48 66 89 07", 4, X86_OP_MOV, 2, 8, 'm', 'r' }, /* REX not last: ignored */
    { 64, "c7 07 78 56 34 12", 6, X86_OP_MOV, 4, 8, 'm', 'i', IMM(0x12345678) },
    { 64, "48 c7 07 ff ff ff ff", 7, X86_OP_MOV, 8, 8, 'm', 'i', IMM(-1) },
    { 64, "66 c7 07 34 12", 5, X86_OP_MOV, 2, 8, 'm', 'i', IMM(0x1234) },
    { 64, "c6 07 80", 3, X86_OP_MOV, 1, 8, 'm', 'i', IMM(-128) },
    { 64, "c6 44 24 10 01", 5, X86_OP_MOV, 1, 8, 'm', 'i', IMM(1), MEM(4, NONE, 1, 0x10, X86_SEG_SS) },
    { 64, "a1 00 00 e0 fe 00 00 00 00", 9, X86_OP_MOV, 4, 8, 'r', 'm', 0, 0, MEM(NONE, NONE, 1, 0xfee00000, X86_SEG_DS) },
    { 64, "a3 f0 00 e0 fe 00 00 00 00", 9, X86_OP_MOV, 4, 8, 'm', 'r', 0, 0, MEM(NONE, NONE, 1, 0xfee000f0, X86_SEG_DS) },
    { 64, "67 a1 00 00 e0 fe", 6, X86_OP_MOV, 4, 4, 'r', 'm', 0, 0, MEM(NONE, NONE, 1, 0xfee00000, X86_SEG_DS) },
    { 64, "a2 00 00 00 00 01 00 00 00", 9, X86_OP_MOV, 1, 8, 'm', 'r', 0, 0, MEM(NONE, NONE, 1, 0x100000000ull, X86_SEG_DS) },
    { 64, "67 8b 05 10 00 00 00", 7, X86_OP_MOV, 4, 4, 'r', 'm', 0, 0, MEM(NONE, NONE, 1, 0x10, X86_SEG_DS), .rip = true },
    { 64, "65 48 8b 04 25 28 00 00 00", 9, X86_OP_MOV, 8, 8, 'r', 'm', 0, 0, MEM(NONE, NONE, 1, 0x28, X86_SEG_GS) },
    { 64, "b8 78 56 34 12", 5, X86_OP_MOV, 4, 8, 'r', 'i', 0, 0, IMM(0x12345678) },
    { 64, "48 b8 88 77 66 55 44 33 22 11", 10, X86_OP_MOV, 8, 8, 'r', 'i', 0, 0, IMM(0x1122334455667788) },
    { 64, "41 b0 05", 3, X86_OP_MOV, 1, 8, 'r', 'i', 8, 0, IMM(5) },
    { 64, "b5 05", 2, X86_OP_MOV, 1, 8, 'r', 'i', CH, 0, IMM(5) },
    /* MOVZX, MOVSX, MOVSXD */
    { 64, "0f b6 07", 3, X86_OP_MOVZX, 4, 8, 'r', 'm', .src_size = 1 },
    { 64, "0f b7 47 04", 4, X86_OP_MOVZX, 4, 8, 'r', 'm', 0, 0, MEM(7, NONE, 1, 4, X86_SEG_DS), .src_size = 2 },
    { 64, "66 0f b6 07", 4, X86_OP_MOVZX, 2, 8, 'r', 'm', .src_size = 1 },
    { 64, "48 0f be 07", 4, X86_OP_MOVSX, 8, 8, 'r', 'm', .src_size = 1 },
    { 64, "0f bf 07", 3, X86_OP_MOVSX, 4, 8, 'r', 'm', .src_size = 2 },
    { 64, "48 63 07", 3, X86_OP_MOVSX, 8, 8, 'r', 'm', .src_size = 4 },
    { 64, "48 63 c1", 3, X86_OP_MOVSX, 8, 8, 'r', 'r', 0, 1, .src_size = 4 },
    /* string operations */
    { 64, "f3 a4", 2, X86_OP_MOVS, 1, 8, .rep = X86_REP_REPE },
    { 64, "f3 48 a5", 3, X86_OP_MOVS, 8, 8, .rep = X86_REP_REPE },
    { 64, "f2 a5", 2, X86_OP_MOVS, 4, 8, .rep = X86_REP_REPNE },
    { 64, "f3 ab", 2, X86_OP_STOS, 4, 8, .rep = X86_REP_REPE },
    { 64, "ac", 1, X86_OP_LODS, 1, 8 },
    { 64, "66 ad", 2, X86_OP_LODS, 2, 8 },
    { 64, "64 a4", 2, X86_OP_MOVS, 1, 8, 0, 0, 0, 0, MEM(NONE, NONE, 1, 0, X86_SEG_FS) },
    { 32, "67 f3 a4", 3, X86_OP_MOVS, 1, 2, .rep = X86_REP_REPE },
    /* ALU in all ModRM forms and group 1 */
    { 64, "01 07", 2, X86_OP_ADD, 4, 8, 'm', 'r' },
    { 64, "03 07", 2, X86_OP_ADD, 4, 8, 'r', 'm' },
    { 64, "08 07", 2, X86_OP_OR, 1, 8, 'm', 'r' },
    { 64, "0a 07", 2, X86_OP_OR, 1, 8, 'r', 'm' },
    { 64, "11 07", 2, X86_OP_ADC, 4, 8, 'm', 'r' },
    { 64, "1b 07", 2, X86_OP_SBB, 4, 8, 'r', 'm' },
    { 64, "21 07", 2, X86_OP_AND, 4, 8, 'm', 'r' },
    { 64, "29 07", 2, X86_OP_SUB, 4, 8, 'm', 'r' },
    { 64, "31 07", 2, X86_OP_XOR, 4, 8, 'm', 'r' },
    { 64, "39 07", 2, X86_OP_CMP, 4, 8, 'm', 'r' },
    { 64, "3a 07", 2, X86_OP_CMP, 1, 8, 'r', 'm' },
    { 64, "04 05", 2, X86_OP_ADD, 1, 8, 'r', 'i', 0, 0, IMM(5) },
    { 64, "0d 00 01 00 00", 5, X86_OP_OR, 4, 8, 'r', 'i', 0, 0, IMM(0x100) },
    { 64, "83 07 01", 3, X86_OP_ADD, 4, 8, 'm', 'i', IMM(1) },
    { 64, "83 0f ff", 3, X86_OP_OR, 4, 8, 'm', 'i', IMM(-1) },
    { 64, "81 27 ff ff fe ff", 6, X86_OP_AND, 4, 8, 'm', 'i', IMM(0xfffffffffffeffffull) },
    { 64, "80 4f 04 01", 4, X86_OP_OR, 1, 8, 'm', 'i', IMM(1), MEM(7, NONE, 1, 4, X86_SEG_DS) },
    { 64, "48 81 3f 00 00 00 80", 7, X86_OP_CMP, 8, 8, 'm', 'i', IMM(0xffffffff80000000ull) },
    { 64, "66 81 37 34 12", 5, X86_OP_XOR, 2, 8, 'm', 'i', IMM(0x1234) },
    { 64, "83 5f 08 00", 4, X86_OP_SBB, 4, 8, 'm', 'i', IMM(0) },
    /* TEST, NOT, NEG, INC, DEC, XCHG */
    { 64, "85 07", 2, X86_OP_TEST, 4, 8, 'm', 'r' },
    { 64, "84 07", 2, X86_OP_TEST, 1, 8, 'm', 'r' },
    { 64, "f6 07 01", 3, X86_OP_TEST, 1, 8, 'm', 'i', IMM(1) },
    { 64, "f7 07 00 01 00 00", 6, X86_OP_TEST, 4, 8, 'm', 'i', IMM(0x100) },
    { 64, "a8 01", 2, X86_OP_TEST, 1, 8, 'r', 'i', 0, 0, IMM(1) },
    { 64, "f7 17", 2, X86_OP_NOT, 4, 8, 'm' },
    { 64, "f6 1f", 2, X86_OP_NEG, 1, 8, 'm' },
    { 64, "fe 07", 2, X86_OP_INC, 1, 8, 'm' },
    { 64, "ff 0f", 2, X86_OP_DEC, 4, 8, 'm' },
    { 64, "87 07", 2, X86_OP_XCHG, 4, 8, 'm', 'r' },
    { 64, "86 27", 2, X86_OP_XCHG, 1, 8, 'm', 'r', 0, AH },
    /* bit tests and CMPXCHG */
    { 64, "0f a3 07", 3, X86_OP_BT, 4, 8, 'm', 'r' },
    { 64, "0f ab 07", 3, X86_OP_BTS, 4, 8, 'm', 'r' },
    { 64, "0f b3 07", 3, X86_OP_BTR, 4, 8, 'm', 'r' },
    { 64, "48 0f bb 07", 4, X86_OP_BTC, 8, 8, 'm', 'r' },
    { 64, "0f ba 27 05", 4, X86_OP_BT, 4, 8, 'm', 'i', IMM(5), .src_size = 1 },
    { 64, "0f ba 2f 05", 4, X86_OP_BTS, 4, 8, 'm', 'i', IMM(5) },
    { 64, "0f ba 37 ff", 4, X86_OP_BTR, 4, 8, 'm', 'i', IMM(0xff) },
    { 64, "0f ba 3f 05", 4, X86_OP_BTC, 4, 8, 'm', 'i', IMM(5) },
    { 64, "f0 0f b1 0f", 4, X86_OP_CMPXCHG, 4, 8, 'm', 'r', 0, 1 },
    { 64, "0f b0 0f", 3, X86_OP_CMPXCHG, 1, 8, 'm', 'r', 0, 1 },
    /* LOCK where allowed and where not */
    { 64, "f0 01 07", 3, X86_OP_ADD, 4, 8 },
    { 64, "f0 ff 07", 3, X86_OP_INC, 4, 8 },
    { 64, "f0 87 07", 3, X86_OP_XCHG, 4, 8 },
    { 64, "f0 0f ab 07", 4, X86_OP_BTS, 4, 8 },
    { 64, "f0 8b 07", X86_DEC_ELOCK },
    { 64, "f0 01 c0", X86_DEC_ELOCK },
    { 64, "f0 39 07", X86_DEC_ELOCK },
    { 64, "f0 0f a3 07", X86_DEC_ELOCK },
    /* 16-bit code and addressing */
    { 16, "8b 00", 2, X86_OP_MOV, 2, 2, 'r', 'm', 0, 0, MEM(3, 6, 1, 0, X86_SEG_DS) },
    { 16, "8b 42 02", 3, X86_OP_MOV, 2, 2, 'r', 'm', 0, 0, MEM(5, 6, 1, 2, X86_SEG_SS) },
    { 16, "89 1d", 2, X86_OP_MOV, 2, 2, 'm', 'r', 0, 3, MEM(NONE, 7, 1, 0, X86_SEG_DS) },
    { 16, "8b 06 00 10", 4, X86_OP_MOV, 2, 2, 'r', 'm', 0, 0, MEM(NONE, NONE, 1, 0x1000, X86_SEG_DS) },
    { 16, "8b 46 fe", 3, X86_OP_MOV, 2, 2, 'r', 'm', 0, 0, MEM(5, NONE, 1, -2, X86_SEG_SS) },
    { 16, "8b 87 00 80", 4, X86_OP_MOV, 2, 2, 'r', 'm', 0, 0, MEM(3, NONE, 1, 0xffffffffffff8000ull, X86_SEG_DS) },
    { 16, "66 8b 05", 3, X86_OP_MOV, 4, 2, 'r', 'm', 0, 0, MEM(NONE, 7, 1, 0, X86_SEG_DS) },
    { 16, "67 8b 04 8d 00 10 00 00", 8, X86_OP_MOV, 2, 4, 'r', 'm', 0, 0, MEM(NONE, 1, 4, 0x1000, X86_SEG_DS) },
    { 16, "a0 34 12", 3, X86_OP_MOV, 1, 2, 'r', 'm', 0, 0, MEM(NONE, NONE, 1, 0x1234, X86_SEG_DS) },
    { 16, "c7 07 34 12", 4, X86_OP_MOV, 2, 2, 'm', 'i', IMM(0x1234) },
    /* 32-bit code */
    { 32, "8b 05 00 00 e0 fe", 6, X86_OP_MOV, 4, 4, 'r', 'm', 0, 0, MEM(NONE, NONE, 1, 0xfffffffffee00000ull, X86_SEG_DS) },
    { 32, "67 8b 07", 3, X86_OP_MOV, 4, 2, 'r', 'm', 0, 0, MEM(3, NONE, 1, 0, X86_SEG_DS) },
    { 32, "66 89 07", 3, X86_OP_MOV, 2, 4, 'm', 'r' },
    { 32, "a1 20 00 e0 fe", 5, X86_OP_MOV, 4, 4, 'r', 'm', 0, 0, MEM(NONE, NONE, 1, 0xfee00020, X86_SEG_DS) },
    { 32, "26 8b 07", 3, X86_OP_MOV, 4, 4, 'r', 'm', 0, 0, MEM(7, NONE, 1, 0, X86_SEG_ES) },
    { 32, "2e 3e 8b 45 00", 5, X86_OP_MOV, 4, 4, 'r', 'm', 0, 0, MEM(5, NONE, 1, 0, X86_SEG_DS) },
    { 32, "36 8b 07", 3, X86_OP_MOV, 4, 4, 'r', 'm', 0, 0, MEM(7, NONE, 1, 0, X86_SEG_SS) },
    { 32, "82 07 01", 3, X86_OP_ADD, 1, 4, 'm', 'i', IMM(1) },
    { 32, "8a 27", 2, X86_OP_MOV, 1, 4, 'r', 'm', AH },
    /* rejected and truncated encodings */
    { 32, "40", X86_DEC_EUNSUP },          /* INC eax in 32-bit code */
    { 64, "40", X86_DEC_ETRUNC },          /* a lone REX */
    { 32, "63 07", X86_DEC_EUNSUP },       /* ARPL */
    { 64, "82 07 01", X86_DEC_EUNSUP },
    { 64, "0f 0b", X86_DEC_EUNSUP },       /* UD2 */
    { 64, "f7 27", X86_DEC_EUNSUP },       /* MUL */
    { 64, "ff 17", X86_DEC_EUNSUP },       /* CALL */
    { 64, "c6 4f 00 00", X86_DEC_EUNSUP }, /* C6 /1 */
    { 64, "0f ba 17 01", X86_DEC_EUNSUP }, /* 0F BA /2 */
    { 64, "0f ba 27", X86_DEC_ETRUNC },
    { 64, "8b", X86_DEC_ETRUNC },
    { 64, "8b 04", X86_DEC_ETRUNC },
    { 64, "8b 80 00 00", X86_DEC_ETRUNC },
    { 64, "0f", X86_DEC_ETRUNC },
    { 64, "66 66 66", X86_DEC_ETRUNC },
    { 64, "c7 07 78 56 34 12", X86_DEC_ETRUNC, .avail = 5 },
    { 64, "66 66 66 66 66 66 66 66 66 66 66 66 66 89 07", 15, X86_OP_MOV, 2, 8, 'm', 'r' },
    { 64, "66 66 66 66 66 66 66 66 66 66 66 66 66 66 89 07", X86_DEC_ETOOLONG },
    { 64, "67 67 67 67 67 67 67 67 67 67 67 c7 07 78 56", X86_DEC_ETOOLONG }, /* needs 17 */
    { 64, "66 66 66 66 66 66 66 66 66 66 66 66 66 66 66", X86_DEC_ETOOLONG },
};

static void check_row(const struct row *t)
{
    uint8_t b[32];
    unsigned n = hex_bytes(t->hex, b, sizeof(b));
    struct x86_insn in;
    char name[160];
    int r = x86_decode(b, t->avail ? t->avail : n, t->bits, &in);
    snprintf(name, sizeof(name), "decode%u [%s] length", t->bits, t->hex);
    if (!CHECK_EQ(name, r, t->len) || r < 0)
        return;
    bool ok = in.len == r && in.op == t->op && in.opsize == t->os && in.addr_size == t->as;
    if (t->dk)
        ok = ok && in.dst.kind == (t->dk == 'r' ? X86_OPND_REG : t->dk == 'm' ? X86_OPND_MEM : X86_OPND_IMM);
    if (t->sk)
        ok = ok && in.src.kind == (t->sk == 'r' ? X86_OPND_REG : t->sk == 'm' ? X86_OPND_MEM : X86_OPND_IMM);
    if (t->dk == 'r')
        ok = ok && in.dst.reg + (in.dst.high8 ? 16 : 0) == t->dreg;
    if (t->sk == 'r')
        ok = ok && in.src.reg + (in.src.high8 ? 16 : 0) == t->sreg;
    if (t->mem)
        ok = ok && in.mem.base == t->base && in.mem.index == t->index && in.mem.disp == t->disp &&
             in.mem.seg == t->seg && in.mem.rip_rel == t->rip && (t->index == NONE || in.mem.scale == t->scale);
    if (t->chk_imm)
        ok = ok && in.imm == t->imm;
    if (t->src_size)
        ok = ok && in.src_size == t->src_size;
    ok = ok && in.rep == t->rep;
    snprintf(name, sizeof(name), "decode%u [%s] fields", t->bits, t->hex);
    if (!CHECK(name, ok))
        printf("  op %u os %u as %u dst %u/%u%s src %u/%u%s base %d index %d scale %u disp %#llx seg %u rip %d "
               "imm %#llx src_size %u rep %u\n", in.op, in.opsize, in.addr_size, in.dst.kind, in.dst.reg,
               in.dst.high8 ? "h" : "", in.src.kind, in.src.reg, in.src.high8 ? "h" : "", in.mem.base,
               in.mem.index, in.mem.scale, (unsigned long long)in.mem.disp, in.mem.seg, in.mem.rip_rel,
               (unsigned long long)in.imm, in.src_size, in.rep);
}

static void test_decode_table(void)
{
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        check_row(&rows[i]);
    struct x86_insn in;
    uint8_t b[2] = { 0x89, 0x07 };
    CHECK_EQ("decode rejects code_bits 8", x86_decode(b, 2, 8, &in), X86_DEC_EINVAL);
    CHECK_EQ("decode with 0 bytes is truncated", x86_decode(b, 0, 64, &in), X86_DEC_ETRUNC);
}

int main(void)
{
    test_decode_table();
    return check_summary();
}
