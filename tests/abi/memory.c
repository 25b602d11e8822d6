/* SPDX-License-Identifier: MIT */
/* Cases: memory delegation in 2 MiB pages, splitting, unmapping, protected memory, and isolation
   between PDs, observed by probe threads whose page faults come back as events. */

#include "cases.h"
#include <suite.h>

#include <hc.h>
#include <nova/descriptors.h>
#include <nova/events.h>
#include <nova/mtd.h>
#include <nova/selectors.h>
#include <portal.h>
#include <res.h>
#include <thread.h>

#define ROOT        NOVA_SEL_PD_ROOT
#define NOVA        NOVA_SEL_PD_NOVA
#define EV_PF       14
#define BIG_PHYS    0x4000000ull        /* 64 MiB: RAM that no module or kernel part uses */
#define BIG_VA      0x220000000000ull
#define PAGE(x)     ((uint64_t)(x) >> 12)
#define CHILD_UTCB  0x510000000000ull
#define CHILD_EVT   0x40

/* What a probe thread found; it lives in a page shared with the child PD. */
#define PROBE_STACKS 8
#define PROBE_STACK_WORDS 60

static struct probe_page {
    uint64_t stack[PROBE_STACKS][PROBE_STACK_WORDS]; /* one per recent probe: an old one may still run */
    uint64_t addr, reached, fault_addr, faults, done_sm; /* the thread may touch only this page */
} probe __attribute__((aligned(4096)));
_Static_assert(sizeof(struct probe_page) <= 4096, "one page");

extern char probe_insn[], probe_after[];
static uint64_t probe_done, probe_evt;
static struct portal_ctx pf_ctx;

static uint64_t on_probe_fault(struct portal_ctx *ctx, uint64_t mtd)
{
    (void)mtd;
    probe.faults++;
    probe.fault_addr = ctx->utcb->arch.qual[1];
    ctx->utcb->arch.rip = (uint64_t)probe_after;
    return NOVA_MTD_RIP;
}

static void probe_thread(void *arg)
{
    struct probe_page *p = arg;
    __asm__ volatile(".global probe_insn, probe_after\n"
                     "probe_insn: movb (%0), %%al\n"
                     "probe_after:" ::"r"(p->addr)
                     : "rax", "memory");
    p->reached = 1;
    hc_sm_up(p->done_sm);
}

int readable(uint64_t pd, uint64_t va)
{
    probe.addr = va;
    probe.faults = probe.reached = 0;
    static unsigned count;
    uint64_t ec = sel_alloc(1), sc = sel_alloc(1);
    uint64_t *sp = probe.stack[count++ % PROBE_STACKS] + PROBE_STACK_WORDS - 2;
    sp[0] = (uint64_t)probe_thread;
    sp[1] = (uint64_t)&probe;
    uint64_t utcb = pd == ROOT ? utcb_alloc() : CHILD_UTCB + (ec << 12);
    hc_create_ec(ec, pd, utcb, 0, (uint64_t)sp, pd == ROOT ? probe_evt : CHILD_EVT, NOVA_CREATE_EC_T);
    hc_create_sc(sc, ROOT, ec, nova_scd(10, 60, 0));
    hc_sm_down(probe_done, 0, deadline_ms(3000));
    return probe.reached && !probe.faults;
}

static void setup(void)
{
    probe_done = probe.done_sm = sel_alloc(1);
    hc_create_sm(probe_done, ROOT, 0);
    probe_evt = sel_alloc(0x40);
    pf_ctx.stack_top = stack_alloc();
    pf_ctx.fn = on_probe_fault;
    portal_create(sel_alloc(1), probe_evt + EV_PF, 0, utcb_alloc(), 0, &pf_ctx);
    hc_ctrl_pt(probe_evt + EV_PF, (uint64_t)&pf_ctx, NOVA_MTD_RIP | NOVA_MTD_QUAL);
    hc_ctrl_pd(ROOT, ROOT, thread_evt(0) + NOVA_EV_HST_STARTUP, probe_evt + NOVA_EV_HST_STARTUP, 0, 0x1f,
               NOVA_SPC_OBJ, 0, 0);
}

static unsigned take(uint64_t phys_page, uint64_t va, unsigned ord, unsigned pmm)
{
    return hc_ctrl_pd(NOVA, ROOT, phys_page, PAGE(va), ord, pmm, NOVA_SPC_MEM, NOVA_ACC_CPU_HST, NOVA_CA_WB);
}

static void cases_big_pages(void)
{
    unsigned rw = NOVA_PERM_MEM_R | NOVA_PERM_MEM_W;
    EXPECT_STATUS("mem_2m_delegation", take(PAGE(BIG_PHYS), BIG_VA, 9, rw), NOVA_SUCCESS);
    volatile uint64_t *big = (volatile uint64_t *)BIG_VA;
    big[0] = 0x1111;
    big[0x1ff000 / 8] = 0x2222;
    /* A 4 KiB view of a frame inside the 2 MiB page shows the same memory. */
    uint64_t alias = BIG_VA + 0x400000;
    take(PAGE(BIG_PHYS) + 0x1ff, alias, 0, rw);
    suite_case("mem_2m_contents_match_4k_view", *(volatile uint64_t *)alias == 0x2222, "alias reads %#lx",
               *(volatile uint64_t *)alias);
    /* Mapping one 4 KiB page into the middle splits the 2 MiB page and keeps the rest. */
    big[0x5000 / 8] = 0x5555;
    big[0x6000 / 8] = 0x6666;
    take(PAGE(BIG_PHYS) + 0x1ff, BIG_VA + 0x5000, 0, rw);
    suite_case("mem_split_new_page", big[0x5000 / 8] == 0x2222, "reads %#lx", big[0x5000 / 8]);
    suite_case("mem_split_keeps_neighbours", big[0x6000 / 8] == 0x6666 && big[0] == 0x1111, "reads %#lx %#lx",
               big[0x6000 / 8], big[0]);
    EXPECT_STATUS("mem_unmap_one_page", take(PAGE(BIG_PHYS) + 7, BIG_VA + 0x7000, 0, 0), NOVA_SUCCESS);
    suite_case("mem_unmapped_page_faults", !readable(ROOT, BIG_VA + 0x7000), "still readable");
    suite_case("mem_neighbour_of_unmapped_readable", readable(ROOT, BIG_VA + 0x8000), "faults");
    suite_case("mem_probe_fault_address", probe.fault_addr == BIG_VA + 0x7000, "fault at %#lx", probe.fault_addr);
    /* A whole GiB in one step (a 1 GiB page where the CPU has them), here of unbacked address space. */
    EXPECT_STATUS("mem_1g_delegation", take(PAGE(1ull << 30), BIG_VA + (1ull << 30), 18, NOVA_PERM_MEM_R),
                  NOVA_SUCCESS);
    suite_case("mem_1g_mapped", readable(ROOT, BIG_VA + (1ull << 30) + 0x12345000), "faults");
    /* Reducing permissions to read-only: writes fault, reads work. */
    take(PAGE(BIG_PHYS) + 0x10, BIG_VA + 0x10000, 0, NOVA_PERM_MEM_R);
    suite_case("mem_read_only_readable", readable(ROOT, BIG_VA + 0x10000), "faults");
}

static void cases_protected(const struct nova_hip *hip)
{
    uint64_t va = BIG_VA + 0x40000000;
    EXPECT_STATUS("mem_take_hypervisor_image_succeeds", take(PAGE(hip->nova_start), va, 0, NOVA_PERM_MEM_R),
                  NOVA_SUCCESS);
    suite_case("mem_hypervisor_image_not_mapped", !readable(ROOT, va), "the hypervisor's memory is readable");
    take(PAGE(hip->nova_start) & ~0x1ffull, va + 0x200000, 9, NOVA_PERM_MEM_R);
    suite_case("mem_2m_over_image_skips_it", !readable(ROOT, va + 0x200000 + (hip->nova_start & 0x1fffff)),
               "image readable through a 2 MiB delegation");
    take(PAGE(0xfee00000), va + 0x400000, 0, NOVA_PERM_MEM_R);
    suite_case("mem_lapic_not_mapped", !readable(ROOT, va + 0x400000), "LAPIC MMIO readable");
    take(PAGE(0xfec00000), va + 0x600000, 0, NOVA_PERM_MEM_R);
    suite_case("mem_ioapic_not_mapped", !readable(ROOT, va + 0x600000), "IOAPIC MMIO readable");
    take(PAGE(hip->mbuf_start), va + 0x800000, 0, NOVA_PERM_MEM_R);
    suite_case("mem_mbuf_can_be_taken", readable(ROOT, va + 0x800000), "faults");
    /* The HIP (kernel-owned) is not delegated onward. */
    hc_ctrl_pd(ROOT, ROOT, PAGE(NOVA_HIP_VADDR), PAGE(va + 0xa00000), 0, NOVA_PERM_MEM_R, NOVA_SPC_MEM,
               NOVA_ACC_CPU_HST, 0);
    suite_case("mem_hip_not_delegable", !readable(ROOT, va + 0xa00000), "HIP readable at another address");
}

/* A thread in another PD sees only what it was given. */
static void cases_isolation(void)
{
    uint64_t child = sel_alloc(1);
    hc_create_pd(child, ROOT);
    extern char __text_start[], __text_end[];
    for (uint64_t p = PAGE(__text_start); p < PAGE(__text_end); p++)
        hc_ctrl_pd(ROOT, child, p, p, 0, NOVA_PERM_MEM_R | NOVA_PERM_MEM_XU, NOVA_SPC_MEM, NOVA_ACC_CPU_HST, 0);
    hc_ctrl_pd(ROOT, child, PAGE(&probe), PAGE(&probe), 0, NOVA_PERM_MEM_R | NOVA_PERM_MEM_W, NOVA_SPC_MEM,
               NOVA_ACC_CPU_HST, 0);
    hc_ctrl_pd(ROOT, child, probe_done, probe_done, 0, NOVA_PERM_SM_CTRL_UP, NOVA_SPC_OBJ, 0, 0);
    hc_ctrl_pd(ROOT, child, probe_evt + EV_PF, CHILD_EVT + EV_PF, 0, NOVA_PERM_PT_EVENT, NOVA_SPC_OBJ, 0, 0);
    hc_ctrl_pd(ROOT, child, thread_evt(0) + NOVA_EV_HST_STARTUP, CHILD_EVT + NOVA_EV_HST_STARTUP, 0,
               NOVA_PERM_PT_EVENT, NOVA_SPC_OBJ, 0, 0);
    static uint64_t root_secret = 0x5ec7e7;
    suite_case("isolation_child_reads_its_page", readable(child, (uint64_t)&probe.stack[0][0]), "faults");
    suite_case("isolation_child_cannot_read_root_data", !readable(child, (uint64_t)&root_secret),
               "root data readable from the child");
    suite_case("isolation_fault_reported_to_root", probe.fault_addr == (uint64_t)&root_secret, "fault at %#lx",
               probe.fault_addr);
    suite_case("isolation_child_cannot_read_big_page", !readable(child, BIG_VA), "root's 2 MiB page readable");
    (void)root_secret;
}

void cases_memory(const struct nova_hip *hip)
{
    setup();
    cases_big_pages();
    cases_protected(hip);
    cases_isolation();
}
