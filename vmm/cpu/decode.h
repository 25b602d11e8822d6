/* SPDX-License-Identifier: MIT */
/* x86 instruction decoder for MMIO emulation: the integer memory forms Linux uses on device registers. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define X86_MAX_INSN_LEN 15u

/* Decoder errors (negative return values of x86_decode; distinct from the X86_EMU_* results). */
#define X86_DEC_EUNSUP   (-11) /* opcode or form not supported here (or undefined: the CPU raises #UD) */
#define X86_DEC_ETRUNC   (-12) /* the instruction continues past the `avail` bytes given */
#define X86_DEC_ETOOLONG (-13) /* longer than 15 bytes (the CPU raises #GP) */
#define X86_DEC_ELOCK    (-14) /* LOCK on an instruction or register form that does not allow it (#UD) */
#define X86_DEC_EINVAL   (-15) /* code_bits is not 16, 32 or 64 */

/* Operations. ADD..CMP are in the order of the group-1 ModRM reg field (ADD = 0 ... CMP = 7). */
enum x86_op {
    X86_OP_INVALID = 0,
    X86_OP_ADD, X86_OP_OR, X86_OP_ADC, X86_OP_SBB, X86_OP_AND, X86_OP_SUB, X86_OP_XOR, X86_OP_CMP,
    X86_OP_MOV,
    X86_OP_MOVZX,   /* dst (opsize) = zero-extended src (src_size) */
    X86_OP_MOVSX,   /* dst (opsize) = sign-extended src (src_size); also MOVSXD (63) */
    X86_OP_TEST,
    X86_OP_NOT, X86_OP_NEG, X86_OP_INC, X86_OP_DEC, /* unary on dst */
    X86_OP_XCHG,
    X86_OP_BT, X86_OP_BTS, X86_OP_BTR, X86_OP_BTC, /* dst = bit base, src = bit offset (reg or imm) */
    X86_OP_CMPXCHG, /* dst = r/m, src = reg, accumulator implicit */
    X86_OP_MOVS, X86_OP_STOS, X86_OP_LODS, /* implicit operands; see x86_insn.mem.seg and rep */
};

/* Segment registers in their architectural encoding (also the index into x86_emu.seg_base). */
enum x86_seg { X86_SEG_ES = 0, X86_SEG_CS, X86_SEG_SS, X86_SEG_DS, X86_SEG_FS, X86_SEG_GS };

enum x86_rep { X86_REP_NONE = 0, X86_REP_REPE /* F3 */, X86_REP_REPNE /* F2 */ };

enum x86_opnd_kind { X86_OPND_NONE = 0, X86_OPND_REG, X86_OPND_MEM, X86_OPND_IMM };

/* A register operand: reg is 0-15 in architectural order (rax, rcx, ...). high8 selects AH, CH,
   DH or BH (reg is then 0-3): byte registers 4-7 without any REX prefix. */
struct x86_opnd {
    uint8_t kind; /* enum x86_opnd_kind; MEM refers to x86_insn.mem, IMM to x86_insn.imm */
    uint8_t reg;
    bool high8;
};

/* The memory operand: linear = segment base + ((base + index * scale + disp [+ next RIP]) mod 2^asize). */
struct x86_mem {
    int8_t base;    /* register 0-15, or -1 for none */
    int8_t index;   /* register 0-15, or -1 for none */
    uint8_t scale;  /* 1, 2, 4 or 8 */
    bool rip_rel;   /* 64-bit mode disp32 form: relative to the next instruction */
    uint8_t seg;    /* enum x86_seg after defaults (SS for rBP/rSP bases) and overrides; the
                       source segment of MOVS/LODS (their destination is always ES) */
    uint64_t disp;  /* sign-extended displacement, or the moffs absolute offset */
};

struct x86_insn {
    uint8_t op;          /* enum x86_op */
    uint8_t len;         /* 1..15 */
    uint8_t code_bits;   /* 16, 32 or 64, as given to x86_decode */
    uint8_t opsize;      /* operation / destination size in bytes: 1, 2, 4 or 8 */
    uint8_t src_size;    /* source size: MOVZX/MOVSX 1, 2 or 4; BT imm 1; otherwise opsize */
    uint8_t addr_size;   /* 2, 4 or 8 */
    uint8_t rep;         /* enum x86_rep, as prefixed (only string operations use it) */
    bool lock;
    bool seg_override;
    uint8_t rex;         /* the REX byte in effect (0x40-0x4f), or 0 */
    uint8_t opcode;      /* last opcode byte */
    bool two_byte;       /* opcode was preceded by 0F */
    uint8_t modrm;       /* valid if has_modrm */
    bool has_modrm;
    struct x86_opnd dst, src;
    struct x86_mem mem;
    uint64_t imm;        /* sign-extended to 64 bits (BT's imm8 and MOV imm64 are taken as is) */
};

/* Decode one instruction from bytes[0..avail) executing in 16-, 32- or 64-bit code. Returns the
   length (1..15) or an X86_DEC_E* error. avail may exceed 15; fewer bytes (e.g. a fetch that
   stopped at an unmapped page) give X86_DEC_ETRUNC if the instruction needs more. */
int x86_decode(const uint8_t *bytes, unsigned avail, unsigned code_bits, struct x86_insn *out);
