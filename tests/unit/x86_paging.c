/* SPDX-License-Identifier: MIT */
/* Host test of vmm/cpu/paging.c: page tables built in a fake guest memory, every mode and page size. */

#include "cpu/paging.h"

#include <stdio.h>
#include <string.h>

#include "check.h"

#define PHYS_SIZE 0x100000u /* guest-physical memory backing the tables: 1 MiB */

#define P   0x001ull
#define RW  0x002ull
#define US  0x004ull
#define PS  0x080ull
#define NX  (1ull << 63)

#define CR0_PE 0x1ull

static uint8_t phys[PHYS_SIZE];
static unsigned reads;
static struct x86_paging pg;
static struct x86_fault flt;
static uint64_t gpa;

static int read_phys(void *opaque, uint64_t addr, uint64_t *value, unsigned size)
{
    (void)opaque;
    reads++;
    if (addr + size > PHYS_SIZE || (size != 4 && size != 8))
        return -1;
    uint64_t v = 0;
    memcpy(&v, phys + addr, size);
    *value = v;
    return 0;
}

static void put32(uint64_t addr, uint64_t v)
{
    uint32_t x = (uint32_t)v;
    memcpy(phys + addr, &x, 4);
}

static void put64(uint64_t addr, uint64_t v)
{
    memcpy(phys + addr, &v, 8);
}

static void setup(uint64_t cr0, uint64_t cr3, uint64_t cr4, uint64_t efer)
{
    memset(phys, 0, sizeof(phys));
    memset(&pg, 0, sizeof(pg));
    pg.cr0 = cr0, pg.cr3 = cr3, pg.cr4 = cr4, pg.efer = efer;
    pg.read_phys = read_phys;
}

static int walk(uint64_t lin, unsigned acc)
{
    memset(&flt, 0xee, sizeof(flt));
    gpa = 0xdeadbeef;
    reads = 0;
    return x86_walk(&pg, lin, acc, &gpa, &flt);
}

/* A successful translation to `want`. */
static void ok(const char *name, uint64_t lin, unsigned acc, uint64_t want)
{
    int r = walk(lin, acc);
    char n[160];
    snprintf(n, sizeof(n), "%s: translates", name);
    if (CHECK_EQ(n, r, X86_WALK_OK)) {
        snprintf(n, sizeof(n), "%s: gpa", name);
        CHECK_EQ(n, gpa, want);
    }
}

/* A #PF with error code `ec` at lin. */
static void pf(const char *name, uint64_t lin, unsigned acc, uint32_t ec)
{
    int r = walk(lin, acc);
    char n[160];
    snprintf(n, sizeof(n), "%s: #PF", name);
    if (CHECK_EQ(n, r, X86_WALK_PF)) {
        snprintf(n, sizeof(n), "%s: error code", name);
        CHECK_EQ(n, flt.error_code, ec);
        snprintf(n, sizeof(n), "%s: vector and address", name);
        CHECK(n, flt.vector == X86_VEC_PF && flt.addr == lin);
    }
}

static void test_no_paging(void)
{
    setup(CR0_PE, 0x1000, 0, 0);
    ok("paging off", 0x12345678, X86_ACC_WRITE | X86_ACC_USER | X86_ACC_FETCH, 0x12345678);
    ok("paging off: 32-bit wrap", 0x100001234ull, 0, 0x1234);
    CHECK_EQ("paging off: no table reads", reads, 0);
    setup(0, 0, X86_CR4_PAE, X86_EFER_NXE);
    ok("real mode", 0xffff0, X86_ACC_FETCH, 0xffff0);
}

static void test_32bit(void)
{
    uint64_t cr0 = CR0_PE | X86_CR0_PG;
    setup(cr0, 0x1000 | 0x18 /* PCD/PWT bits ignored */, 0, 0);
    put32(0x1000 + 0x12 * 4, 0x2000 | P | RW | US);
    put32(0x2000 + 0x34 * 4, 0xabcde000 | P | RW | US);
    uint64_t lin = (0x12u << 22) | (0x34u << 12) | 0x567;
    ok("32-bit 4K", lin, 0, 0xabcde567);
    CHECK_EQ("32-bit 4K: two 4-byte reads", reads, 2);
    ok("32-bit 4K user write", lin, X86_ACC_USER | X86_ACC_WRITE, 0xabcde567);
    ok("32-bit: linear above 4 GiB wraps", lin | 0x500000000ull, 0, 0xabcde567);
    ok("32-bit: no NX, fetch allowed", lin, X86_ACC_FETCH | X86_ACC_USER, 0xabcde567);
    pf("32-bit: PDE not present", 0x13u << 22, X86_ACC_WRITE | X86_ACC_USER, X86_PFEC_W | X86_PFEC_U);
    pf("32-bit: PTE not present", (0x12u << 22) | (0x35u << 12), 0, 0);
    pf("32-bit: fetch of not present (no I/D without PAE+NXE or SMEP)", 0x13u << 22, X86_ACC_FETCH, 0);

    /* rights: the PDE is read-only and supervisor-only for entry 0x36 via a second PDE */
    put32(0x1000 + 0x40 * 4, 0x3000 | P);
    put32(0x3000, 0x7000 | P | RW | US);
    uint64_t ro = 0x40u << 22;
    ok("supervisor read of supervisor page", ro + 4, 0, 0x7004);
    pf("user read of supervisor page", ro, X86_ACC_USER, X86_PFEC_P | X86_PFEC_U);
    ok("supervisor write to read-only page, WP=0", ro, X86_ACC_WRITE, 0x7000);
    pg.cr0 |= X86_CR0_WP;
    pf("supervisor write to read-only page, WP=1", ro, X86_ACC_WRITE, X86_PFEC_P | X86_PFEC_W);
    put32(0x1000 + 0x40 * 4, 0x3000 | P | US);
    pf("user write to read-only PDE, RW PTE", ro, X86_ACC_WRITE | X86_ACC_USER, X86_PFEC_P | X86_PFEC_W | X86_PFEC_U);
    ok("user read through user PDE", ro, X86_ACC_USER, 0x7000);
    pg.cr4 |= X86_CR4_SMEP;
    pf("SMEP: supervisor fetch from user page", ro, X86_ACC_FETCH, X86_PFEC_P | X86_PFEC_ID);
    ok("SMEP: user fetch from user page", ro, X86_ACC_FETCH | X86_ACC_USER, 0x7000);
    pf("SMEP: not-present fetch reports I/D", 0x13u << 22, X86_ACC_FETCH, X86_PFEC_ID);
}

static void test_32bit_pse(void)
{
    uint64_t cr0 = CR0_PE | X86_CR0_PG;
    setup(cr0, 0x1000, X86_CR4_PSE, 0);
    put32(0x1000 + 0x20 * 4, 0x40000000 | PS | P | RW);
    ok("4 MiB page", (0x20u << 22) | 0x123456, 0, 0x40123456);
    CHECK_EQ("4 MiB page: one read", reads, 1);
    put32(0x1000 + 0x21 * 4, 0x00c00000 | (0x5u << 13) | PS | P);
    ok("PSE-36: address bits 39:32 from PDE bits 20:13", (0x21u << 22) | 0x10, 0, 0x500c00010ull);
    put32(0x1000 + 0x22 * 4, 0x00c00000 | (1u << 21) | PS | P);
    pf("4 MiB page: bit 21 reserved", 0x22u << 22, 0, X86_PFEC_P | X86_PFEC_RSVD);
    pg.maxphyaddr = 36;
    put32(0x1000 + 0x23 * 4, 0x00c00000 | (0x10u << 13) | PS | P);
    pf("4 MiB page: address bit 36 beyond MAXPHYADDR 36", (0x23u << 22) | 4, X86_ACC_WRITE,
       X86_PFEC_P | X86_PFEC_RSVD | X86_PFEC_W);
    ok("PSE-36 within MAXPHYADDR 36", 0x21u << 22, 0, 0x500c00000ull);
    /* the PS bit without CR4.PSE: the entry points to a page table */
    put32(0x1000 + 0x24 * 4, 0x3000 | PS | P | RW);
    put32(0x3000 + 1 * 4, 0x9000 | P);
    pg.cr4 = 0;
    ok("PS ignored without CR4.PSE", (0x24u << 22) | 0x1abc, 0, 0x9abc);
}

static void test_pae(void)
{
    uint64_t cr0 = CR0_PE | X86_CR0_PG;
    setup(cr0, 0x4020, X86_CR4_PAE, X86_EFER_NXE);
    put64(0x4020 + 1 * 8, 0x5000 | P);
    put64(0x5000 + 3 * 8, 0x6000 | P | RW | US);
    put64(0x6000 + 5 * 8, 0x123456000ull | P | RW | US | NX);
    uint64_t lin = (1u << 30) | (3u << 21) | (5u << 12) | 0x789;
    ok("PAE 4K above 4 GiB", lin, X86_ACC_USER | X86_ACC_WRITE, 0x123456789ull);
    CHECK_EQ("PAE: three reads", reads, 3);
    pf("PAE: NX page fetch", lin, X86_ACC_FETCH, X86_PFEC_P | X86_PFEC_ID);
    pf("PAE: NX page user fetch", lin, X86_ACC_FETCH | X86_ACC_USER, X86_PFEC_P | X86_PFEC_U | X86_PFEC_ID);
    pg.efer = 0;
    pf("PAE: bit 63 reserved without NXE", lin, 0, X86_PFEC_P | X86_PFEC_RSVD);
    pf("PAE: no I/D without NXE", lin, X86_ACC_FETCH, X86_PFEC_P | X86_PFEC_RSVD);
    pg.efer = X86_EFER_NXE;
    put64(0x5000 + 4 * 8, 0x80000000ull | PS | P | RW);
    ok("PAE 2 MiB page", (1u << 30) | (4u << 21) | 0x12345, X86_ACC_FETCH, 0x80012345);
    put64(0x5000 + 5 * 8, 0x80000000ull | (1u << 13) | PS | P | RW);
    pf("PAE 2 MiB page: bit 13 reserved", (1u << 30) | (5u << 21), 0, X86_PFEC_P | X86_PFEC_RSVD);
    pf("PAE: PDPTE not present", 2u << 30, X86_ACC_FETCH, X86_PFEC_ID);
    put64(0x4020 + 2 * 8, 0x5000 | P | RW);
    pf("PAE: PDPTE R/W bit is reserved", 2u << 30, 0, X86_PFEC_P | X86_PFEC_RSVD);
    put64(0x4020 + 3 * 8, 0x5000 | P | NX);
    pf("PAE: PDPTE bit 63 is reserved", 3u << 30, 0, X86_PFEC_P | X86_PFEC_RSVD);
    pf("PAE: PDE not present", (1u << 30) | (6u << 21), X86_ACC_WRITE, X86_PFEC_W);
    pg.maxphyaddr = 32;
    pf("PAE: PTE address beyond MAXPHYADDR 32", lin, 0, X86_PFEC_P | X86_PFEC_RSVD);
    put64(0x4020, 0x800000000ull | P);
    pf("PAE: PDPTE address beyond MAXPHYADDR 32", 0, 0, X86_PFEC_P | X86_PFEC_RSVD);
    pg.maxphyaddr = 0;
    put64(0x4020, 0x800000000ull | P);
    CHECK_EQ("PAE: table outside guest memory", walk(0, 0), X86_WALK_EPHYS);
}

#define LM_CR0 (CR0_PE | X86_CR0_PG | X86_CR0_WP)
#define LM_EFER (X86_EFER_LMA | (1ull << 8) | X86_EFER_NXE)

static void test_4level(void)
{
    setup(LM_CR0, 0x7000, X86_CR4_PAE, LM_EFER);
    put64(0x7000 + 0x1ff * 8, 0x8000 | P | RW);
    put64(0x8000 + 0x1fe * 8, 0x9000 | P | RW);
    put64(0x9000 + 0 * 8, 0xa000 | P | RW);
    put64(0xa000 + 1 * 8, 0xfee00000ull | P | RW | NX);
    ok("4-level 4K (kernel address to the LAPIC)", 0xffffffff80001abcull, X86_ACC_WRITE, 0xfee00abc);
    CHECK_EQ("4-level: four reads", reads, 4);
    pf("4-level: NX fetch", 0xffffffff80001abcull, X86_ACC_FETCH, X86_PFEC_P | X86_PFEC_ID);
    pf("4-level: user access to supervisor tables", 0xffffffff80001abcull, X86_ACC_USER, X86_PFEC_P | X86_PFEC_U);
    put64(0x9000 + 1 * 8, (5ull << 21) | PS | P | RW);
    ok("4-level 2 MiB", 0xffffffff80201234ull, X86_ACC_FETCH, 0xa01234);
    CHECK_EQ("4-level 2 MiB: three reads", reads, 3);
    put64(0x8000 + 0x1ff * 8, 0x40000000ull | PS | P | RW);
    ok("4-level 1 GiB", 0xffffffffd2345678ull, 0, 0x52345678);
    put64(0x8000 + 0x1ff * 8, 0x40000000ull | (1u << 20) | PS | P | RW);
    pf("1 GiB page: bit 20 reserved", 0xffffffffc0000000ull, 0, X86_PFEC_P | X86_PFEC_RSVD);
    put64(0x7000 + 0x1fe * 8, 0x8000 | PS | P | RW);
    pf("PML4E: PS reserved", 0xffffff0000000000ull, 0, X86_PFEC_P | X86_PFEC_RSVD);
    pf("PML4E not present", 0x0000000000001000ull, X86_ACC_WRITE | X86_ACC_USER, X86_PFEC_W | X86_PFEC_U);
    pf("not-present fetch with NXE reports I/D", 0x1000, X86_ACC_FETCH, X86_PFEC_ID);

    /* user mapping at 0x400000: all levels user; a read-only PTE and an NX PDPTE */
    put64(0x7000, 0xb000 | P | RW | US);
    put64(0xb000, 0xc000 | P | RW | US);
    put64(0xc000 + 2 * 8, 0xd000 | P | RW | US);
    put64(0xd000, 0x123000 | P | US);
    put64(0xd000 + 8, 0x124000 | P | RW | US);
    ok("user read", 0x400010, X86_ACC_USER, 0x123010);
    pf("user write to read-only PTE", 0x400010, X86_ACC_USER | X86_ACC_WRITE, X86_PFEC_P | X86_PFEC_W | X86_PFEC_U);
    pf("supervisor write to read-only PTE with WP", 0x400010, X86_ACC_WRITE, X86_PFEC_P | X86_PFEC_W);
    pg.cr0 &= ~X86_CR0_WP;
    ok("supervisor write to read-only PTE without WP", 0x400010, X86_ACC_WRITE, 0x123010);
    ok("user write to writable PTE", 0x401ff8, X86_ACC_USER | X86_ACC_WRITE, 0x124ff8);
    ok("supervisor fetch of user page without SMEP", 0x401000, X86_ACC_FETCH, 0x124000);
    pg.cr4 |= X86_CR4_SMEP;
    pf("SMEP", 0x401000, X86_ACC_FETCH, X86_PFEC_P | X86_PFEC_ID);
    ok("SMEP does not stop supervisor data reads", 0x401000, 0, 0x124000);
    put64(0xb000, 0xc000 | P | RW | US | NX);
    pf("NX in the PDPTE applies to the whole range", 0x401000, X86_ACC_FETCH | X86_ACC_USER,
       X86_PFEC_P | X86_PFEC_U | X86_PFEC_ID);
    pg.efer &= ~X86_EFER_NXE;
    pf("NX bit reserved without NXE (4-level)", 0x401000, X86_ACC_USER, X86_PFEC_P | X86_PFEC_RSVD | X86_PFEC_U);
    pg.efer |= X86_EFER_NXE;

    /* physical-address width */
    put64(0xb000, 0xc000 | P | RW | US);
    put64(0xd000 + 2 * 8, (1ull << 45) | 0x5000 | P | US);
    ok("MAXPHYADDR 52: bit 45 is an address bit", 0x402004, X86_ACC_USER, (1ull << 45) | 0x5004);
    pg.maxphyaddr = 40;
    pf("MAXPHYADDR 40: bit 45 reserved", 0x402004, X86_ACC_USER, X86_PFEC_P | X86_PFEC_RSVD | X86_PFEC_U);
    pg.maxphyaddr = 0;
    put64(0xd000 + 3 * 8, (0x7ffull << 52) | 0x6000 | P); /* bits 62:52 are ignored */
    ok("bits 62:52 ignored", 0x403000, 0, 0x6000);
    put64(0xc000 + 3 * 8, 0x200000 | P);
    CHECK_EQ("page table outside guest memory", walk(0x600000, 0), X86_WALK_EPHYS);

    /* canonical addresses */
    CHECK_EQ("non-canonical 0x0000800000000000", walk(0x0000800000000000ull, 0), X86_WALK_GP);
    CHECK("non-canonical: #GP(0) with the address", flt.vector == X86_VEC_GP && flt.error_code == 0 &&
          flt.addr == 0x0000800000000000ull);
    CHECK_EQ("non-canonical 0xffff7fffffffffff", walk(0xffff7fffffffffffull, 0), X86_WALK_GP);
    CHECK_EQ("non-canonical: no table read", reads, 0);
    put64(0x7000 + 0x100 * 8, 0);
    pf("canonical 0xffff800000000000", 0xffff800000000000ull, 0, 0);
}

static void test_5level(void)
{
    setup(LM_CR0, 0xb000, X86_CR4_PAE | X86_CR4_LA57, LM_EFER);
    put64(0xb000 + 1 * 8, 0xc000 | P | RW);
    put64(0xc000 + 2 * 8, 0xd000 | P | RW);
    put64(0xd000 + 3 * 8, 0xc0000000ull | PS | P | RW);
    uint64_t lin = (1ull << 48) | (2ull << 39) | (3ull << 30) | 0x1234;
    ok("5-level 1 GiB", lin, X86_ACC_WRITE, 0xc0001234);
    CHECK_EQ("5-level 1 GiB: three reads", reads, 3);
    put64(0xd000 + 4 * 8, 0xe000 | P | RW);
    put64(0xe000 + 5 * 8, 0xf000 | P | RW);
    put64(0xf000 + 6 * 8, 0x777000 | P | RW);
    uint64_t lin4 = (1ull << 48) | (2ull << 39) | (4ull << 30) | (5ull << 21) | (6ull << 12) | 0x321;
    ok("5-level 4K", lin4, 0, 0x777321);
    CHECK_EQ("5-level 4K: five reads", reads, 5);
    put64(0xe000 + 7 * 8, 0x400000 | PS | P);
    ok("5-level 2 MiB", (1ull << 48) | (2ull << 39) | (4ull << 30) | (7ull << 21) | 0x5, 0, 0x400005);
    put64(0xb000 + 2 * 8, 0xc000 | PS | P | RW);
    pf("PML5E: PS reserved", 2ull << 48, 0, X86_PFEC_P | X86_PFEC_RSVD);
    pf("PML5E not present", 3ull << 48, X86_ACC_WRITE, X86_PFEC_W);
    CHECK_EQ("5-level: 0x0100000000000000 non-canonical", walk(0x0100000000000000ull, 0), X86_WALK_GP);
    pf("5-level: 0xff00000000000000 canonical, not mapped", 0xff00000000000000ull, 0, 0);
    pg.cr4 &= ~X86_CR4_LA57;
    CHECK_EQ("the same address without LA57 is non-canonical", walk(lin, 0), X86_WALK_GP);
}

int main(void)
{
    test_no_paging();
    test_32bit();
    test_32bit_pse();
    test_pae();
    test_4level();
    test_5level();
    return check_summary();
}
