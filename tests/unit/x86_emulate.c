/* SPDX-License-Identifier: MIT */
/* Host test of vmm/cpu/emulate.c: MMIO instructions emulated against a fake memory (values,
   flags, accesses, faults). */

#include "cpu/decode.h"
#include "cpu/emulate.h"

#include <stdio.h>
#include <string.h>

#include "check.h"
#include "hex_bytes.h"

/* ---- Fake memory ------------------------------------------------------------------------ */

#define MEM_BASE 0x10000ull
#define MEM_SIZE 0x10000ull

struct access {
    uint64_t lin;
    unsigned size;
    bool write;
    uint64_t value;
};

static uint8_t mem[MEM_SIZE];
static struct access acc[64];
static unsigned nacc;
static uint64_t fault_lo = ~0ull, fault_hi; /* accesses touching [lo, hi) fail */
static bool fault_writes_only;
static struct x86_emu emu;
static struct x86_insn last;

static int mem_access(uint64_t lin, unsigned size, bool write, uint64_t *v)
{
    if (nacc < 64)
        acc[nacc] = (struct access){ lin, size, write, write ? *v : 0 };
    nacc++;
    if (lin < fault_hi && lin + size > fault_lo && (write || !fault_writes_only))
        return -1;
    if (lin < MEM_BASE || lin + size > MEM_BASE + MEM_SIZE)
        return -1;
    if (write)
        memcpy(mem + (lin - MEM_BASE), v, size);
    else
        memcpy(v, mem + (lin - MEM_BASE), size);
    return 0;
}

static int fake_read(void *opaque, uint64_t lin, unsigned size, uint64_t *v)
{
    (void)opaque;
    return mem_access(lin, size, false, v);
}

static int fake_write(void *opaque, uint64_t lin, unsigned size, uint64_t v)
{
    (void)opaque;
    return mem_access(lin, size, true, &v);
}

static void setup(unsigned bits)
{
    memset(&emu, 0, sizeof(emu));
    memset(mem, 0, sizeof(mem));
    emu.code_bits = bits;
    emu.read = fake_read;
    emu.write = fake_write;
    emu.regs.rip = 0x1000;
    emu.regs.rflags = 0x2;
    nacc = 0;
    fault_lo = ~0ull, fault_hi = 0;
    fault_writes_only = false;
}

static int run(const char *h)
{
    uint8_t b[16];
    unsigned n = hex_bytes(h, b, sizeof(b));
    nacc = 0;
    return x86_emulate_bytes(&emu, b, n, &last);
}

static uint64_t peek(uint64_t lin, unsigned size)
{
    uint64_t v = 0;
    memcpy(&v, mem + (lin - MEM_BASE), size);
    return v;
}

static void poke(uint64_t lin, unsigned size, uint64_t v)
{
    memcpy(mem + (lin - MEM_BASE), &v, size);
}

#define RAX emu.regs.gpr[X86_RAX]
#define RCX emu.regs.gpr[X86_RCX]
#define RBX emu.regs.gpr[X86_RBX]
#define RSI emu.regs.gpr[X86_RSI]
#define RDI emu.regs.gpr[X86_RDI]
#define FLAGS (emu.regs.rflags & X86_FL_ARITH)

#define CF X86_FL_CF
#define PF X86_FL_PF
#define AF X86_FL_AF
#define ZF X86_FL_ZF
#define SF X86_FL_SF
#define OF X86_FL_OF

/* ---- MOV family ------------------------------------------------------------------------- */

static void test_mov(void)
{
    setup(64);
    RDI = 0x10100, RAX = 0x1122334455667788;
    CHECK_EQ("mov [rdi],eax: result", run("89 07"), X86_EMU_OK);
    CHECK_EQ("mov [rdi],eax: stores 4 bytes", peek(0x10100, 8), 0x55667788);
    CHECK("mov [rdi],eax: one write of 4 at rdi", nacc == 1 && acc[0].write && acc[0].size == 4 && acc[0].lin == 0x10100);
    CHECK_EQ("mov: rip advanced by the length", emu.regs.rip, 0x1002);
    CHECK_EQ("mov: flags untouched", emu.regs.rflags, 0x2);

    RAX = ~0ull;
    poke(0x10100, 4, 0x12345678);
    run("8b 07");
    CHECK_EQ("mov eax,[rdi] zero-extends in 64-bit mode", RAX, 0x12345678);
    RAX = ~0ull;
    run("66 8b 07");
    CHECK_EQ("mov ax,[rdi] keeps bits 63:16", RAX, 0xffffffffffff5678ull);
    RAX = 0x1111111111111111ull;
    run("8a 27");
    CHECK_EQ("mov ah,[rdi] changes only bits 15:8", RAX, 0x1111111111117811ull);
    RAX = 0x1111111111111111ull;
    run("8a 07");
    CHECK_EQ("mov al,[rdi] changes only bits 7:0", RAX, 0x1111111111111178ull);
    RAX = ~0ull;
    run("48 8b 07");
    CHECK_EQ("mov rax,[rdi] reads 8 bytes", RAX, 0x12345678);
    CHECK_EQ("mov rax,[rdi] access size", acc[0].size, 8);

    RSI = 0xabcd, RDI = 0x10200;
    run("40 88 37");
    CHECK_EQ("mov [rdi],sil stores rsi's low byte", peek(0x10200, 2), 0xcd);
    RBX = 0x1234;
    run("88 3f");
    CHECK_EQ("mov [rdi],bh stores rbx bits 15:8", peek(0x10200, 2), 0x12);
    emu.regs.gpr[X86_R12] = 0x10300, emu.regs.gpr[X86_R8] = 0xfeedface;
    run("45 89 04 24");
    CHECK_EQ("mov [r12],r8d", peek(0x10300, 4), 0xfeedface);

    emu.regs.rip = 0x10000;
    poke(0x10016, 4, 0xcafe);
    RAX = 0;
    run("8b 05 10 00 00 00");
    CHECK_EQ("rip-relative: next rip + disp", acc[0].lin, 0x10016);
    CHECK_EQ("rip-relative load", RAX, 0xcafe);

    RDI = 0x10400;
    run("c7 07 78 56 34 12");
    CHECK_EQ("mov dword [rdi],imm32", peek(0x10400, 8), 0x12345678);
    run("48 c7 07 ff ff ff ff");
    CHECK_EQ("mov qword [rdi],imm32 sign-extends", peek(0x10400, 8), ~0ull);
    run("66 c7 07 34 12");
    CHECK_EQ("mov word [rdi],imm16", peek(0x10400, 8), 0xffffffffffff1234ull);
    run("c6 47 07 00");
    CHECK_EQ("mov byte [rdi+7],0", peek(0x10400, 8), 0x00ffffffffff1234ull);

    poke(0x10100, 8, 0x8877665544332211ull);
    RAX = 0;
    run("48 a1 00 01 01 00 00 00 00 00");
    CHECK_EQ("mov rax,moffs64", RAX, 0x8877665544332211ull);
    RAX = 0xaa;
    run("a2 08 01 01 00 00 00 00 00");
    CHECK_EQ("mov moffs64,al", peek(0x10108, 1), 0xaa);

    run("48 b8 88 77 66 55 44 33 22 11");
    CHECK_EQ("mov rax,imm64", RAX, 0x1122334455667788ull);
    run("b4 99");
    CHECK_EQ("mov ah,imm8", RAX, 0x1122334455669988ull);
}

static void test_extend(void)
{
    setup(64);
    RDI = 0x10100;
    poke(0x10100, 4, 0x80008080);
    RAX = ~0ull;
    run("0f b6 07");
    CHECK_EQ("movzx eax,byte", RAX, 0x80);
    CHECK_EQ("movzx eax,byte reads 1 byte", acc[0].size, 1);
    RAX = ~0ull;
    run("66 0f b6 07");
    CHECK_EQ("movzx ax,byte keeps bits 63:16", RAX, 0xffffffffffff0080ull);
    run("0f b7 07");
    CHECK_EQ("movzx eax,word", RAX, 0x8080);
    run("48 0f be 07");
    CHECK_EQ("movsx rax,byte", RAX, 0xffffffffffffff80ull);
    run("0f bf 07");
    CHECK_EQ("movsx eax,word zero-extends the dword result", RAX, 0xffff8080ull);
    run("48 63 07");
    CHECK_EQ("movsxd rax,dword", RAX, 0xffffffff80008080ull);
    CHECK_EQ("movsxd reads 4 bytes", acc[0].size, 4);
    poke(0x10100, 4, 0x7fffffff);
    run("48 63 07");
    CHECK_EQ("movsxd positive", RAX, 0x7fffffff);
}

/* ---- Addressing: modes, segments, wrap ---------------------------------------------------- */

static void test_addressing(void)
{
    setup(32);
    emu.seg_base[X86_SEG_DS] = 0x10000;
    emu.seg_base[X86_SEG_ES] = 0x18000;
    emu.seg_base[X86_SEG_SS] = 0x14000;
    RDI = 0xffffffff00000100ull, RAX = 0xdead00000000beefull;
    run("89 07");
    CHECK_EQ("32-bit: DS base + edi (upper rdi bits ignored)", acc[0].lin, 0x10100);
    poke(0x10100, 4, 7);
    run("8b 07");
    CHECK_EQ("32-bit: mov eax keeps bits 63:32 outside 64-bit mode", RAX, 0xdead000000000007ull);
    run("26 8b 07");
    CHECK_EQ("32-bit: ES override", acc[0].lin, 0x18100);
    emu.regs.gpr[X86_RBP] = 0x20;
    run("8b 45 04");
    CHECK_EQ("32-bit: [ebp+4] uses SS", acc[0].lin, 0x14024);
    RBX = 0x100, RSI = 0x10;
    run("67 8b 00");
    CHECK_EQ("32-bit code, 16-bit address: [bx+si]", acc[0].lin, 0x10110);
    emu.seg_base[X86_SEG_DS] = 0xfffff000;
    RDI = 0x11100;
    run("8b 07");
    CHECK_EQ("32-bit: linear wraps at 4 GiB", acc[0].lin, 0x10100);
    emu.regs.rip = 0xfffffffe;
    run("8b 07");
    CHECK_EQ("32-bit: eip wraps", emu.regs.rip, 0);

    setup(16);
    emu.seg_base[X86_SEG_DS] = 0x10000;
    emu.seg_base[X86_SEG_SS] = 0x18000;
    RBX = 0xfff0, RSI = 0x20;
    poke(0x10010, 2, 0x4321);
    RAX = 0xffff0000;
    run("8b 00");
    CHECK_EQ("16-bit: [bx+si] wraps at 64 KiB", acc[0].lin, 0x10010);
    CHECK_EQ("16-bit: mov ax keeps the rest", RAX, 0xffff4321);
    emu.regs.gpr[X86_RBP] = 0x100;
    run("8b 46 fe");
    CHECK_EQ("16-bit: [bp-2] uses SS", acc[0].lin, 0x180fe);
    run("8b 87 00 80");
    CHECK_EQ("16-bit: disp16 sign-extended then wrapped", acc[0].lin, 0x10000 + ((0xfff0 + 0x8000) & 0xffff));
    emu.regs.rip = 0xffff;
    run("8b 06 00 10");
    CHECK_EQ("16-bit: absolute disp16", acc[0].lin, 0x11000);
    CHECK_EQ("16-bit: ip wraps", emu.regs.rip, 3);

    setup(64);
    emu.seg_base[X86_SEG_DS] = 0x5000;
    emu.seg_base[X86_SEG_ES] = 0x5000;
    emu.seg_base[X86_SEG_FS] = 0x10000;
    emu.seg_base[X86_SEG_GS] = 0x18000;
    RDI = 0x10100;
    run("8b 07");
    CHECK_EQ("64-bit: DS base ignored", acc[0].lin, 0x10100);
    RDI = 0x100;
    run("64 8b 07");
    CHECK_EQ("64-bit: FS base applies", acc[0].lin, 0x10100);
    run("65 48 8b 04 25 28 00 00 00");
    CHECK_EQ("64-bit: gs:[0x28]", acc[0].lin, 0x18028);
    RDI = 0xffffffff00010100ull;
    run("67 8b 07");
    CHECK_EQ("64-bit: 32-bit address size wraps", acc[0].lin, 0x10100);
    RCX = 0x40, RBX = 0x10000;
    run("8b 44 8b 08");
    CHECK_EQ("64-bit: [rbx+rcx*4+8]", acc[0].lin, 0x10108);
    emu.regs.gpr[X86_R13] = 0x10200, emu.regs.gpr[X86_R9] = 3;
    run("43 8b 44 cd f8");
    CHECK_EQ("64-bit: [r13+r9*8-8]", acc[0].lin, 0x10210);
    uint64_t rip = emu.regs.rip;
    run("67 8b 05 00 00 00 00");
    CHECK_EQ("64-bit: eip-relative with 67", acc[0].lin, (rip + 7) & 0xffffffff);
}

/* ---- Arithmetic and logic ---------------------------------------------------------------- */

/* Run `h` with [rdi] = m (size 4 unless h says otherwise), eax = a and flags f; return the new dword. */
static uint64_t alu(const char *h, uint64_t m, uint64_t a, uint64_t f)
{
    RDI = 0x10100, RAX = a;
    poke(0x10100, 8, m);
    emu.regs.rflags = 0x2 | f;
    run(h);
    return peek(0x10100, 8);
}

static void test_alu(void)
{
    setup(64);
    CHECK_EQ("add: 0x7fffffff + 1", alu("01 07", 0x7fffffff, 1, 0), 0x80000000);
    CHECK_EQ("add: flags OF SF AF PF", FLAGS, OF | SF | AF | PF);
    CHECK_EQ("add: 0xffffffff + 1", alu("01 07", 0xffffffff, 1, 0), 0);
    CHECK_EQ("add: flags CF ZF AF PF", FLAGS, CF | ZF | AF | PF);
    CHECK_EQ("add: 1 + 2 (odd parity)", alu("01 07", 1, 2, CF | OF), 3);
    CHECK_EQ("add: flags PF for 0x03, old CF/OF cleared", FLAGS, PF);
    CHECK("add: one read and one write of 4", nacc == 2 && !acc[0].write && acc[1].write && acc[1].size == 4);
    alu("03 07", 5, 0xffffffff00000001ull, 0);
    CHECK_EQ("add eax,[rdi] zero-extends", RAX, 6);
    CHECK_EQ("add reg dst leaves memory", peek(0x10100, 4), 5);
    CHECK_EQ("adc: with CF=1", alu("11 07", 0xffffffff, 0, CF), 0);
    CHECK_EQ("adc: flags", FLAGS, CF | ZF | AF | PF);
    CHECK_EQ("adc: with CF=0", alu("11 07", 0xffffffff, 0, 0), 0xffffffff);
    CHECK_EQ("adc: flags without carry", FLAGS, SF | PF);
    CHECK_EQ("sub: 0 - 1", alu("29 07", 0, 1, 0), 0xffffffff);
    CHECK_EQ("sub: flags CF SF AF PF", FLAGS, CF | SF | AF | PF);
    CHECK_EQ("sub: 0x80000000 - 1", alu("29 07", 0x80000000, 1, 0), 0x7fffffff);
    CHECK_EQ("sub: flags OF AF PF", FLAGS, OF | AF | PF);
    CHECK_EQ("sbb: 5 - 5 - CF", alu("19 07", 5, 5, CF), 0xffffffff);
    CHECK_EQ("sbb: flags", FLAGS, CF | SF | AF | PF);
    CHECK_EQ("sbb: 5 - 5 without CF", alu("19 07", 5, 5, 0), 0);
    CHECK_EQ("sbb: flags ZF PF", FLAGS, ZF | PF);
    CHECK_EQ("cmp [rdi],eax keeps memory", alu("39 07", 5, 5, CF), 5);
    CHECK_EQ("cmp: equal flags", FLAGS, ZF | PF);
    CHECK("cmp: no write", nacc == 1 && !acc[0].write);
    alu("3b 07", 5, 3, 0);
    CHECK_EQ("cmp eax,[rdi]: 3 - 5 flags", FLAGS, CF | SF | AF);
    CHECK_EQ("cmp keeps eax", RAX, 3);
    CHECK_EQ("and: result", alu("21 07", 0xf0f0, 0xff00ff00, CF | OF | AF), 0xf000);
    CHECK_EQ("and: CF OF cleared, PF for 0x00", FLAGS, PF);
    CHECK_EQ("or: result", alu("09 07", 0x80000000, 1, CF | OF), 0x80000001);
    CHECK_EQ("or: SF", FLAGS, SF);
    CHECK_EQ("xor: same", alu("31 07", 0x1234, 0x1234, 0), 0);
    CHECK_EQ("xor: ZF PF", FLAGS, ZF | PF);
    CHECK_EQ("add [rdi],-1 (83)", alu("83 07 ff", 1, 0, 0), 0);
    CHECK_EQ("add imm8 flags", FLAGS, CF | ZF | AF | PF);
    CHECK_EQ("or byte [rdi],0x80 (80)", alu("80 0f 80", 0xff00, 0, 0), 0xff80);
    CHECK_EQ("or byte flags", FLAGS, SF);
    CHECK_EQ("or byte: one-byte write", acc[1].size, 1);
    CHECK_EQ("and dword,imm32 (81)", alu("81 27 ff ff fe ff", 0xffffffffffffffffull, 0, 0), 0xfffffffffffeffffull);
    CHECK_EQ("sub word (66 29): 0 - 1 in 16 bits", alu("66 29 07", 0x55550000, 1, 0), 0x5555ffff);
    CHECK_EQ("sub word flags", FLAGS, CF | SF | AF | PF);
    CHECK_EQ("add qword overflow", alu("48 01 07", 0x7fffffffffffffffull, 1, 0), 0x8000000000000000ull);
    CHECK_EQ("add qword flags", FLAGS, OF | SF | AF | PF);
    CHECK_EQ("add [rdi],ah", alu("00 27", 0x01, 0xff00, 0), 0x00);
    CHECK_EQ("add byte flags", FLAGS, CF | ZF | AF | PF);
    CHECK_EQ("cmp qword,imm32 sign-extended", alu("48 81 3f 00 00 00 80", 0xffffffff80000000ull, 0, 0),
             0xffffffff80000000ull);
    CHECK_EQ("cmp qword flags", FLAGS, ZF | PF);
    alu("04 10", 0, 0xf0, 0);
    CHECK_EQ("add al,imm8", RAX, 0);
    CHECK_EQ("add al flags", FLAGS, CF | ZF | PF);

    alu("85 07", 0xf0, 0x0f, CF | OF);
    CHECK_EQ("test: ZF, CF OF cleared", FLAGS, ZF | PF);
    CHECK("test: no write", nacc == 1);
    alu("f6 07 80", 0x80, 0, 0);
    CHECK_EQ("test byte,imm8 SF", FLAGS, SF);
    alu("a9 00 00 00 80", 0, 0x80000000, 0);
    CHECK_EQ("test eax,imm32", FLAGS, SF | PF);
}

static void test_unary(void)
{
    setup(64);
    CHECK_EQ("not dword", alu("f7 17", 0x0f0f0f0f, 0, CF | ZF), 0xf0f0f0f0);
    CHECK_EQ("not keeps flags", FLAGS, CF | ZF);
    CHECK_EQ("not byte", alu("f6 17", 0x1200, 0, 0), 0x12ff);
    CHECK_EQ("neg 1", alu("f7 1f", 1, 0, 0), 0xffffffff);
    CHECK_EQ("neg 1 flags", FLAGS, CF | SF | AF | PF);
    CHECK_EQ("neg 0", alu("f7 1f", 0, 0, CF), 0);
    CHECK_EQ("neg 0 flags (CF = 0)", FLAGS, ZF | PF);
    CHECK_EQ("neg 0x80000000", alu("f7 1f", 0x80000000, 0, 0), 0x80000000);
    CHECK_EQ("neg 0x80000000 flags", FLAGS, CF | OF | SF | PF);
    CHECK_EQ("inc 0xffffffff", alu("ff 07", 0xffffffff, 0, CF), 0);
    CHECK_EQ("inc keeps CF=1", FLAGS, CF | ZF | AF | PF);
    CHECK_EQ("inc 0xffffffff with CF=0", alu("ff 07", 0xffffffff, 0, 0), 0);
    CHECK_EQ("inc does not set CF", FLAGS, ZF | AF | PF);
    CHECK_EQ("inc byte 0x7f", alu("fe 07", 0x7f, 0, 0), 0x80);
    CHECK_EQ("inc byte flags", FLAGS, OF | SF | AF);
    CHECK_EQ("dec 0", alu("ff 0f", 0, 0, 0), 0xffffffff);
    CHECK_EQ("dec 0 flags (no CF)", FLAGS, SF | AF | PF);
    CHECK_EQ("dec 0x80000000", alu("ff 0f", 0x80000000, 0, CF), 0x7fffffff);
    CHECK_EQ("dec flags OF, CF kept", FLAGS, CF | OF | AF | PF);
    CHECK_EQ("dec word", alu("66 ff 0f", 0x10000, 0, 0), 0x1ffff);
}

static void test_xchg_cmpxchg(void)
{
    setup(64);
    CHECK_EQ("xchg [rdi],eax: memory", alu("87 07", 0x11111111, 0xffffffff22222222ull, 0), 0x22222222);
    CHECK_EQ("xchg: eax zero-extended", RAX, 0x11111111);
    CHECK_EQ("xchg [rdi],ah: memory", alu("86 27", 0x33, 0x4455, 0), 0x44);
    CHECK_EQ("xchg: ah", RAX, 0x3355);
    emu.regs.gpr[X86_RCX] = 0x99;
    CHECK_EQ("cmpxchg equal: stores ecx", alu("0f b1 0f", 7, 7, 0), 0x99);
    CHECK_EQ("cmpxchg equal: ZF", FLAGS, ZF | PF);
    CHECK_EQ("cmpxchg equal: eax unchanged", RAX, 7);
    CHECK_EQ("cmpxchg unequal: memory kept", alu("0f b1 0f", 8, 0xffffffff00000007ull, 0), 8);
    CHECK_EQ("cmpxchg unequal: eax loaded", RAX, 8);
    CHECK_EQ("cmpxchg unequal: flags of 7 - 8", FLAGS, CF | SF | AF | PF);
    CHECK("cmpxchg unequal: no write", nacc == 1);
    CHECK_EQ("cmpxchg byte", alu("f0 0f b0 0f", 0x1107, 0x07, 0), 0x1199);
}

static void test_bt(void)
{
    setup(64);
    RDI = 0x10100;
    poke(0x10104, 4, 2);
    RAX = 33;
    emu.regs.rflags = 0x2;
    run("0f a3 07");
    CHECK_EQ("bt [rdi],eax=33 reads the next dword", acc[0].lin, 0x10104);
    CHECK_EQ("bt: CF = bit 1 of it", FLAGS, CF);
    RAX = 0xffffffff; /* -1 */
    poke(0x100fc, 4, 0x80000000);
    emu.regs.rflags = 0x2 | ZF;
    run("0f a3 07");
    CHECK_EQ("bt with -1 reads the dword below", acc[0].lin, 0x100fc);
    CHECK_EQ("bt -1: CF = bit 31, ZF kept", FLAGS, CF | ZF);
    RAX = 0xffffffffffffffbfull; /* -65 */
    poke(0x100f0, 8, 0x8000000000000000ull);
    run("48 0f a3 07");
    CHECK_EQ("bt qword -65: address rdi-16", acc[0].lin, 0x100f0);
    CHECK_EQ("bt qword -65: bit 63", FLAGS & CF, CF);
    RAX = 0x10;
    poke(0x10102, 2, 1);
    run("66 0f a3 07");
    CHECK_EQ("bt word 16: next word", acc[0].lin, 0x10102);
    CHECK_EQ("bt word 16: CF", FLAGS & CF, CF);

    poke(0x10100, 4, 0x1);
    RAX = 3;
    run("0f ab 07");
    CHECK_EQ("bts: sets the bit", peek(0x10100, 4), 0x9);
    CHECK_EQ("bts: CF = old bit 0", FLAGS & CF, 0);
    run("0f ab 07");
    CHECK_EQ("bts again: CF = 1", FLAGS & CF, CF);
    run("0f b3 07");
    CHECK_EQ("btr: clears", peek(0x10100, 4), 0x1);
    CHECK_EQ("btr: CF = 1", FLAGS & CF, CF);
    run("0f bb 07");
    CHECK_EQ("btc: toggles", peek(0x10100, 4), 0x9);
    CHECK_EQ("btc: CF = 0", FLAGS & CF, 0);
    run("0f ba 27 20");
    CHECK_EQ("bt imm 32 = bit 0 of the same dword", acc[0].lin, 0x10100);
    CHECK_EQ("bt imm: CF", FLAGS & CF, CF);
    CHECK("bt imm: no write", nacc == 1);
    run("0f ba 2f 1f");
    CHECK_EQ("bts imm 31", peek(0x10100, 4), 0x80000009);
    run("0f ba 37 00");
    CHECK_EQ("btr imm 0", peek(0x10100, 4), 0x80000008);
    run("0f ba 3f 21");
    CHECK_EQ("btc imm 33 toggles bit 1", peek(0x10100, 4), 0x8000000a);
    RBX = 0x8, RAX = 35;
    run("0f a3 c3");
    CHECK_EQ("bt ebx,eax: offset mod 32 for registers", FLAGS & CF, CF);
    run("0f ab c3");
    CHECK_EQ("bts ebx: register", RBX, 0x8);
}

/* ---- Strings ----------------------------------------------------------------------------- */

static void test_strings(void)
{
    setup(64);
    for (unsigned i = 0; i < 16; i++)
        poke(0x10000 + i, 1, 0x10 + i);
    RSI = 0x10000, RDI = 0x10100, RCX = 5;
    CHECK_EQ("rep movsb: ok", run("f3 a4"), X86_EMU_OK);
    CHECK_EQ("rep movsb: bytes", peek(0x10100, 8), 0x1413121110ull);
    CHECK("rep movsb: rsi rdi rcx", RSI == 0x10005 && RDI == 0x10105 && RCX == 0);
    CHECK_EQ("rep movsb: rip", emu.regs.rip, 0x1002);
    CHECK("rep movsb: accesses alternate read/write of 1", nacc == 10 && !acc[0].write && acc[1].write &&
          acc[9].lin == 0x10104 && acc[9].size == 1);

    RSI = 0x10008, RDI = 0x10208, RCX = 3;
    emu.regs.rflags = 0x2 | X86_FL_DF;
    run("f3 a5");
    CHECK("rep movsd DF=1: addresses go down", acc[0].lin == 0x10008 && acc[2].lin == 0x10004 && acc[5].lin == 0x10200);
    CHECK_EQ("rep movsd DF=1: data", peek(0x10200, 8), peek(0x10000, 8));
    CHECK("rep movsd DF=1: rsi rdi", RSI == 0xfffc && RDI == 0x101fc && RCX == 0);
    emu.regs.rflags = 0x2;

    RSI = 0x1234567800010000ull, RDI = 0xffffffff00010300ull, RCX = 0xffffffff00000003ull;
    run("67 f3 a4");
    CHECK("a32 rep movsb in 64-bit: esi/edi used", acc[0].lin == 0x10000 && acc[1].lin == 0x10300);
    CHECK("a32: registers written as 32-bit (zero-extended)", RSI == 0x10003 && RDI == 0x10303 && RCX == 0);

    RAX = 0x0807060504030201ull, RDI = 0x10400, RCX = 4;
    run("f3 48 ab");
    CHECK("rep stosq", peek(0x10400, 8) == RAX && peek(0x10418, 8) == RAX && RDI == 0x10420 && nacc == 4);
    RAX = 0xaa, RDI = 0x10500, RCX = 0;
    uint64_t rip = emu.regs.rip;
    CHECK_EQ("rep stosb with rcx 0: ok", run("f3 aa"), X86_EMU_OK);
    CHECK("rep with rcx 0: nothing, rip advanced", nacc == 0 && RDI == 0x10500 && emu.regs.rip == rip + 2);
    RCX = 7;
    run("aa");
    CHECK("stosb without rep: one store, rcx kept", nacc == 1 && RCX == 7 && RDI == 0x10501 && peek(0x10500, 1) == 0xaa);
    RDI = 0x10600, RCX = 2;
    run("f2 aa");
    CHECK("F2 acts as REP for stos", RCX == 0 && RDI == 0x10602);

    RSI = 0x10000, RAX = ~0ull;
    run("ac");
    CHECK("lodsb", RAX == 0xffffffffffffff10ull && RSI == 0x10001);
    run("66 ad");
    CHECK("lodsw keeps bits 63:16", RAX == 0xffffffffffff1211ull && RSI == 0x10003);
    run("ad");
    CHECK("lodsd zero-extends", RAX == 0x16151413ull && RSI == 0x10007);

    /* chunking: 5000 iterations = 4096 now, the rest on the next call */
    RDI = 0x11000, RCX = 5000, RAX = 0x5a;
    rip = emu.regs.rip;
    CHECK_EQ("rep stosb 5000: first call continues", run("f3 aa"), X86_EMU_CONTINUE);
    CHECK("rep chunk: rip kept, rcx and rdi advanced", emu.regs.rip == rip && RCX == 5000 - 4096 && RDI == 0x12000);
    CHECK_EQ("rep stosb 5000: second call ends", x86_emulate(&last, &emu), X86_EMU_OK);
    CHECK("rep chunk: done", RCX == 0 && RDI == 0x11000 + 5000 && emu.regs.rip == rip + 2 &&
          peek(0x11000 + 4999, 1) == 0x5a && peek(0x11000 + 5000, 1) == 0);

    /* 32-bit code, 16-bit addressing: SI wraps, DS and ES bases differ */
    setup(32);
    emu.seg_base[X86_SEG_DS] = 0x10000;
    emu.seg_base[X86_SEG_ES] = 0x18000;
    RSI = 0xabcdfffe, RDI = 0x20, RCX = 0x50004;
    run("67 f3 a4");
    CHECK("a16 movsb: si wraps within DS", acc[0].lin == 0x1fffe && acc[2].lin == 0x1ffff && acc[4].lin == 0x10000);
    CHECK_EQ("a16 movsb: destination in ES", acc[1].lin, 0x18020);
    CHECK("a16: only cx counted, upper halves kept", RCX == 0x50000 && RSI == 0xabcd0002 && RDI == 0x24);
    RSI = 0x100, RDI = 0x200, RCX = 1;
    emu.seg_base[X86_SEG_FS] = 0x14000;
    run("64 a4");
    CHECK("fs: movsb source override, destination ES", acc[0].lin == 0x14100 && acc[1].lin == 0x18200);
}

/* ---- Faults ------------------------------------------------------------------------------ */

static void test_faults(void)
{
    setup(64);
    RDI = 0x10100, RAX = 0x1234;
    emu.regs.rflags = 0x2 | CF;
    fault_lo = 0x10100, fault_hi = 0x10101;
    struct x86_regs before = emu.regs;
    CHECK_EQ("load fault: result", run("8b 07"), X86_EMU_FAULT);
    CHECK("load fault: registers unchanged", memcmp(&before, &emu.regs, sizeof(before)) == 0);
    CHECK("load fault: address recorded", emu.fault_linear == 0x10100 && emu.fault_size == 4 && !emu.fault_write);
    CHECK_EQ("alu fault", run("03 07"), X86_EMU_FAULT);
    CHECK("alu fault: registers and flags unchanged", memcmp(&before, &emu.regs, sizeof(before)) == 0);
    CHECK_EQ("read of the second byte faults too", run("8b 47 ff"), X86_EMU_FAULT);

    /* writes fail, reads work: xchg reads then fails to write */
    fault_lo = 0x10000, fault_hi = 0x20000, fault_writes_only = true;
    RDI = 0x10100;
    before = emu.regs;
    CHECK_EQ("xchg write fault", run("48 87 07"), X86_EMU_FAULT);
    CHECK("xchg fault: rax unchanged", memcmp(&before, &emu.regs, sizeof(before)) == 0);
    CHECK("xchg fault: write recorded", emu.fault_write && emu.fault_linear == 0x10100 && emu.fault_size == 8 && nacc == 2);

    /* REP: the iterations before the fault stay done */
    setup(64);
    RSI = 0x10000, RDI = 0x10100, RCX = 5;
    fault_lo = 0x10102, fault_hi = 0x10103;
    CHECK_EQ("rep movsb fault", run("f3 a4"), X86_EMU_FAULT);
    CHECK("rep fault: two iterations done, rip kept", RCX == 3 && RSI == 0x10002 && RDI == 0x10102 && emu.regs.rip == 0x1000);
    CHECK_EQ("rep fault: address", emu.fault_linear, 0x10102);

    setup(64);
    struct x86_insn in;
    uint8_t b[2] = { 0x89, 0x07 };
    x86_decode(b, 2, 32, &in);
    CHECK_EQ("emulate rejects a mode mismatch", x86_emulate(&in, &emu), X86_EMU_EINVAL);
    CHECK_EQ("emulate_bytes passes decode errors", x86_emulate_bytes(&emu, (const uint8_t *)"\x0f\x0b", 2, NULL),
             X86_DEC_EUNSUP);
    CHECK_EQ("emulate_bytes: nothing changed", emu.regs.rip, 0x1000);
}

int main(void)
{
    test_mov();
    test_extend();
    test_addressing();
    test_alu();
    test_unary();
    test_xchg_cmpxchg();
    test_bt();
    test_strings();
    test_faults();
    return check_summary();
}
