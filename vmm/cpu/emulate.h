/* SPDX-License-Identifier: MIT */
/* x86 emulator for decoded MMIO instructions: effective addresses, memory callbacks, results and flags. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "cpu/decode.h"

/* General registers in architectural order. */
enum x86_gpr {
    X86_RAX = 0, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI, X86_RDI,
    X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15,
};

struct x86_regs {
    uint64_t gpr[16];
    uint64_t rip, rflags;
};

/* RFLAGS bits the emulator reads or writes. */
#define X86_FL_CF (1ull << 0)
#define X86_FL_PF (1ull << 2)
#define X86_FL_AF (1ull << 4)
#define X86_FL_ZF (1ull << 6)
#define X86_FL_SF (1ull << 7)
#define X86_FL_DF (1ull << 10)
#define X86_FL_OF (1ull << 11)
#define X86_FL_ARITH (X86_FL_CF | X86_FL_PF | X86_FL_AF | X86_FL_ZF | X86_FL_SF | X86_FL_OF)

/* Results of x86_emulate. */
#define X86_EMU_OK       0    /* done, RIP advanced */
#define X86_EMU_CONTINUE 1    /* REP string op did X86_EMU_REP_CHUNK iterations, RCX != 0: RIP left on
                                 the instruction, so resuming the guest re-executes it (the caller
                                 may also just call x86_emulate again) */
#define X86_EMU_FAULT    (-1) /* a read/write callback failed: see fault_* in struct x86_emu */
#define X86_EMU_EINVAL   (-2) /* the instruction does not fit the emulator (mode mismatch, bad operand) */

#define X86_EMU_REP_CHUNK 4096u

/* Memory callbacks take LINEAR addresses (segment base applied) and sizes 1, 2, 4 or 8; a value
   is in the low bytes. They return 0, or -1 for a fault (page fault, unbacked address...). An
   access may cross a page boundary: the callback translates and splits as needed. */
typedef int (*x86_read_fn)(void *opaque, uint64_t linear, unsigned size, uint64_t *value);
typedef int (*x86_write_fn)(void *opaque, uint64_t linear, unsigned size, uint64_t value);

struct x86_emu {
    struct x86_regs regs;    /* in: the vCPU's registers; out: updated on X86_EMU_OK/CONTINUE */
    unsigned code_bits;      /* 16, 32 or 64 (must match the decode) */
    uint64_t seg_base[6];    /* indexed by enum x86_seg; in 64-bit code only FS and GS are used */
    void *opaque;
    x86_read_fn read;
    x86_write_fn write;
    /* Set when a callback fails: */
    uint64_t fault_linear;
    unsigned fault_size;
    bool fault_write;
};

/* Execute one decoded instruction. On X86_EMU_FAULT no register has changed, except that a REP
   string op keeps the RCX/RSI/RDI updates of the iterations that completed (as the CPU does;
   their memory accesses were done). Memory accesses happen in program order (read-modify-write
   reads, then writes); LOCK is accepted but atomicity is the callbacks' business. CMPXCHG does not
   write the destination back when the comparison fails (an MMIO register sees only the read).
   Segment limits, CPL and alignment checks are not applied. */
int x86_emulate(const struct x86_insn *insn, struct x86_emu *emu);

/* x86_decode(bytes, avail, emu->code_bits) and then x86_emulate. Returns the decode error
   (X86_DEC_E*, -11..-15) or x86_emulate's result; *insn may be NULL. */
int x86_emulate_bytes(struct x86_emu *emu, const uint8_t *bytes, unsigned avail, struct x86_insn *insn);

/* The linear address of the instruction's memory operand (for MOVS/LODS the source) with the
   current registers: effective address wrapped to the address size plus the segment base. */
uint64_t x86_mem_linear(const struct x86_insn *insn, const struct x86_emu *emu);
