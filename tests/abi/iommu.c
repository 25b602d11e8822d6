/* SPDX-License-Identifier: MIT */
/* Cases: assign_dev (spec 5.5.3) and DMA spaces, observed through QEMU's edu device, whose DMA
   engine copies between RAM and its 4 KiB buffer. Without an IOMMU: the HIP bit is clear,
   assign_dev answers BAD_DEV and DMA delegations BAD_FTR. */

#include "cases.h"
#include "kernel_log.h"
#include "pci.h"
#include <suite.h>

#include <acpi_iommu.h>
#include <hc.h>
#include <nova/events.h>
#include <nova/descriptors.h>
#include <nova/hip.h>
#include <nova/selectors.h>
#include <physmap.h>
#include <res.h>
#include <stdio.h>
#include <thread.h>

#define ROOT            NOVA_SEL_PD_ROOT
#define NOVA            NOVA_SEL_PD_NOVA
#define PAGE_SIZE       4096u
#define PAGE(x)         ((uint64_t)(x) >> 12)
#define RW              (NOVA_PERM_MEM_R | NOVA_PERM_MEM_W)
#define EDU_DMA_SRC     0x80
#define EDU_DMA_DST     0x88
#define EDU_DMA_COUNT   0x90
#define EDU_DMA_CMD     0x98
#define EDU_CMD_RUN     0x1u
#define EDU_CMD_TO_RAM  0x2u    /* direction: edu buffer to RAM */
#define EDU_BUFFER      0x40000u
#define EDU_DMA_MS      2000u
#define DMA_PHYS        0x6000000ull    /* RAM no other case uses (below edu's 28-bit DMA mask) */
#define IOVA_A          0x100000ull     /* I/O virtual addresses the cases map */
#define IOVA_B          0x101000ull
#define IOVA_RO         0x102000ull
#define IOVA_GST        0x103000ull
#define IOVA_ROOT       0x104000ull
#define IOVA_2M         0x200000ull
#define IOVA_KERNEL     0x105000ull
#define UNMAPPED        0x5000000ull    /* never mapped; RAM at the same physical address */
#define DMA_LEN         64u
#define PATTERN         0xd1a5u
#define PATTERN2        0x7e57u

static volatile uint32_t *edu;
static unsigned edu_bdf;
static uint64_t regs;           /* IOMMU register page (physical) */
static const struct nova_hip *hip_page;
static int amd;
static uint8_t root_buf[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

/* What a thread in a child PD needs to call assign_dev, and what it got; one shared page. */
#define CHILD_SEL_PD    1
#define CHILD_SEL_DONE  2
#define CHILD_EVT       0x40
#define CHILD_UTCB      0x520000000000ull
static struct child_page {
    uint64_t stack[480];
    uint64_t regs, bdf, status;
} child_page __attribute__((aligned(PAGE_SIZE)));
_Static_assert(sizeof(struct child_page) <= PAGE_SIZE, "one shared page");

static unsigned assign_dev(uint64_t pd, uint64_t smmu, unsigned acc, uint64_t dad)
{
    return hc_assign_dev(pd, smmu, acc, dad);
}

static unsigned dma_map(uint64_t spd, uint64_t dpd, uint64_t src_page, uint64_t iova, unsigned pmm, unsigned acc)
{
    return hc_ctrl_pd(spd, dpd, src_page, PAGE(iova), 0, pmm, NOVA_SPC_MEM, acc, 0);
}

/* One DMA transfer of DMA_LEN bytes; false if the engine did not finish. */
static bool edu_dma(uint64_t iova, bool to_ram)
{
    edu[EDU_DMA_SRC / 4] = (uint32_t)(to_ram ? EDU_BUFFER : iova);
    edu[EDU_DMA_SRC / 4 + 1] = 0;
    edu[EDU_DMA_DST / 4] = (uint32_t)(to_ram ? iova : EDU_BUFFER);
    edu[EDU_DMA_DST / 4 + 1] = 0;
    edu[EDU_DMA_COUNT / 4] = DMA_LEN;
    edu[EDU_DMA_COUNT / 4 + 1] = 0;
    edu[EDU_DMA_CMD / 4] = EDU_CMD_RUN | (to_ram ? EDU_CMD_TO_RAM : 0);
    WAIT_UNTIL(!(edu[EDU_DMA_CMD / 4] & EDU_CMD_RUN), EDU_DMA_MS);
    return !(edu[EDU_DMA_CMD / 4] & EDU_CMD_RUN);
}

/* The kernel logs the fault of a DMA write to iova (from its interrupt: no hypercall of ours
   polls the IOMMU meanwhile). QEMU 7.2's AMD-Vi drops every event (fixed in later QEMU): when
   an AMD-Vi logs nothing at all, the case cannot run there. */
static void fault_case(const char *name, uint64_t iova)
{
    char want[80];
    snprintf(want, sizeof(want), "nova: DMA fault: %02x:%02x.%x write %#lx", edu_bdf >> 8, (edu_bdf >> 3) & 0x1f,
             edu_bdf & 7, iova);
    unsigned n = 0, any = 0;
    WAIT_UNTIL((n += kernel_log_relay(hip_page, "nova: DMA fault", want, &any)) > 0, EDU_DMA_MS);
    if (amd && !any)
        suite_skip(name, "this AMD-Vi logged no event (QEMU 7.2 never writes its event log)");
    else
        suite_case(name, n > 0, "no fault line for %#lx", iova);
}

static volatile uint32_t *ram(uint64_t phys)
{
    return phys_map(phys, PAGE_SIZE, 1);
}

static void fill(volatile uint32_t *p, uint32_t v)
{
    for (unsigned i = 0; i < DMA_LEN / 4; i++)
        p[i] = v + i;
}

static bool holds(volatile uint32_t *p, uint32_t v)
{
    for (unsigned i = 0; i < DMA_LEN / 4; i++)
        if (p[i] != v + i)
            return false;
    return true;
}

static void cases_absent(const struct nova_hip *hip, uint64_t acpi_base)
{
    printf("abi: iommu: HIP bit clear (ACPI unit at %#lx)\n", acpi_base);
    suite_case("iommu_hip_bit_clear", !(hip->features & NOVA_HIP_FEAT_IOMMU), "features %#lx", hip->features);
    uint64_t child = sel_alloc(1);
    hc_create_pd(child, ROOT);
    EXPECT_STATUS("assign_dev_without_iommu_bad_dev",
                  assign_dev(child, acpi_base ? acpi_base : 0xfed90000, NOVA_ACC_DMA_HST, edu_bdf), NOVA_BAD_DEV);
    EXPECT_STATUS("ctrl_pd_dma_without_iommu_bad_ftr", dma_map(NOVA, child, PAGE(DMA_PHYS), IOVA_A, RW,
                                                               NOVA_ACC_DMA_HST), NOVA_BAD_FTR);
}

/* Runs in the child PD, which holds a PD capability with ASSIGN: still not PD_ROOT. */
static void child_assign(void *arg)
{
    struct child_page *p = arg;
    p->status = hc_raw(nova_hc_id(NOVA_ASSIGN_DEV, 0, CHILD_SEL_PD), nova_assign_dev_smmu(p->regs, NOVA_ACC_DMA_HST),
                       p->bdf, 0, 0, 0);
    hc_sm_up(CHILD_SEL_DONE);
    hc_sm_down(CHILD_SEL_DONE, 0, 0); /* and stays blocked */
}

static unsigned assign_from_child(void)
{
    extern char __text_start[], __text_end[];
    uint64_t pd = sel_alloc(1), done = sel_alloc(1), ec = sel_alloc(1), sc = sel_alloc(1);
    hc_create_pd(pd, ROOT);
    hc_create_sm(done, ROOT, 0);
    for (uint64_t p = PAGE(__text_start); p < PAGE(__text_end); p++)
        hc_ctrl_pd(ROOT, pd, p, p, 0, NOVA_PERM_MEM_R | NOVA_PERM_MEM_XU, NOVA_SPC_MEM, NOVA_ACC_CPU_HST, 0);
    hc_ctrl_pd(ROOT, pd, PAGE(&child_page), PAGE(&child_page), 0, RW, NOVA_SPC_MEM, NOVA_ACC_CPU_HST, 0);
    hc_ctrl_pd(ROOT, pd, pd, CHILD_SEL_PD, 0, 0x1f, NOVA_SPC_OBJ, 0, 0);
    hc_ctrl_pd(ROOT, pd, done, CHILD_SEL_DONE, 0, NOVA_PERM_SM_CTRL_UP | NOVA_PERM_SM_CTRL_DN, NOVA_SPC_OBJ, 0, 0);
    hc_ctrl_pd(ROOT, pd, thread_evt(0) + NOVA_EV_HST_STARTUP, CHILD_EVT + NOVA_EV_HST_STARTUP, 0, NOVA_PERM_PT_EVENT,
               NOVA_SPC_OBJ, 0, 0);
    child_page = (struct child_page){.regs = regs, .bdf = edu_bdf, .status = ~0ull};
    uint64_t *sp = child_page.stack + sizeof(child_page.stack) / sizeof(uint64_t) - 2;
    sp[0] = (uint64_t)child_assign;
    sp[1] = (uint64_t)&child_page;
    hc_create_ec(ec, pd, CHILD_UTCB, 0, (uint64_t)sp, CHILD_EVT, NOVA_CREATE_EC_T);
    hc_create_sc(sc, ROOT, ec, nova_scd(10, 20, 0));
    hc_sm_down(done, 0, deadline_ms(EDU_DMA_MS));
    return (unsigned)child_page.status;
}

static void cases_status(uint64_t child)
{
    EXPECT_STATUS("assign_dev_not_root_bad_hyp", assign_from_child(), NOVA_BAD_HYP);
    uint64_t no_assign = sel_alloc(1);
    hc_ctrl_pd(ROOT, ROOT, child, no_assign, 0, NOVA_PERM_PD_CTRL, NOVA_SPC_OBJ, 0, 0);
    EXPECT_STATUS("assign_dev_null_pd_bad_cap", assign_dev(sel_alloc(1), regs, NOVA_ACC_DMA_HST, edu_bdf),
                  NOVA_BAD_CAP);
    EXPECT_STATUS("assign_dev_without_assign_perm_bad_cap", assign_dev(no_assign, regs, NOVA_ACC_DMA_HST, edu_bdf),
                  NOVA_BAD_CAP);
    EXPECT_STATUS("assign_dev_nova_pd_bad_cap", assign_dev(NOVA, regs, NOVA_ACC_DMA_HST, edu_bdf), NOVA_BAD_CAP);
    EXPECT_STATUS("assign_dev_wrong_page_bad_dev", assign_dev(child, regs + PAGE_SIZE * 64, NOVA_ACC_DMA_HST, edu_bdf),
                  NOVA_BAD_DEV);
    EXPECT_STATUS("assign_dev_ram_page_bad_dev", assign_dev(child, DMA_PHYS, NOVA_ACC_DMA_HST, edu_bdf), NOVA_BAD_DEV);
    EXPECT_STATUS("assign_dev_acc_cpu_hst_bad_par", assign_dev(child, regs, NOVA_ACC_CPU_HST, edu_bdf), NOVA_BAD_PAR);
    EXPECT_STATUS("assign_dev_acc_cpu_gst_bad_par", assign_dev(child, regs, NOVA_ACC_CPU_GST, edu_bdf), NOVA_BAD_PAR);
    EXPECT_STATUS("assign_dev_dad_reserved_bad_par", assign_dev(child, regs, NOVA_ACC_DMA_HST, edu_bdf | 1u << 16),
                  NOVA_BAD_PAR);
    EXPECT_STATUS("assign_dev_out_of_scope_bad_par", assign_dev(child, regs, NOVA_ACC_DMA_HST, nova_dad(0xfe, 0, 0)),
                  NOVA_BAD_PAR);
    EXPECT_STATUS("ctrl_pd_dma_beyond_space_bad_par",
                  hc_ctrl_pd(NOVA, child, PAGE(DMA_PHYS), 1ull << 40, 0, RW, NOVA_SPC_MEM, NOVA_ACC_DMA_HST, 0),
                  NOVA_BAD_PAR);
    hc_ctrl_pd(ROOT, ROOT, sel_alloc(1), no_assign, 0, 0x1f, NOVA_SPC_OBJ, 0, 0); /* keep child the last one */
}

/* The device's view: what it may read and write through the child's DMA table. */
static void cases_dma(uint64_t child)
{
    volatile uint32_t *a = ram(DMA_PHYS), *b = ram(DMA_PHYS + PAGE_SIZE), *ro = ram(DMA_PHYS + 2 * PAGE_SIZE);
    volatile uint32_t *gst = ram(DMA_PHYS + 3 * PAGE_SIZE), *unmapped = ram(UNMAPPED);
    fill(a, PATTERN);
    fill(b, 0);
    fill(ro, 0);
    fill(gst, 0);
    fill(unmapped, 0);
    EXPECT_STATUS("ctrl_pd_dma_hst_map", dma_map(NOVA, child, PAGE(DMA_PHYS), IOVA_A, RW, NOVA_ACC_DMA_HST),
                  NOVA_SUCCESS);
    dma_map(NOVA, child, PAGE(DMA_PHYS) + 1, IOVA_B, RW | NOVA_PERM_MEM_XU, NOVA_ACC_DMA_HST);
    dma_map(NOVA, child, PAGE(DMA_PHYS) + 2, IOVA_RO, NOVA_PERM_MEM_R, NOVA_ACC_DMA_HST);
    EXPECT_STATUS("ctrl_pd_dma_gst_map", dma_map(NOVA, child, PAGE(DMA_PHYS) + 3, IOVA_GST, RW, NOVA_ACC_DMA_GST),
                  NOVA_SUCCESS);
    /* Nobody assigned the device yet: its DMA goes nowhere. */
    edu_dma(UNMAPPED, true);
    suite_case("iommu_unassigned_device_blocked", holds(unmapped, 0), "RAM at %#llx written", UNMAPPED);
    EXPECT_STATUS("assign_dev_success", assign_dev(child, regs, NOVA_ACC_DMA_HST, edu_bdf), NOVA_SUCCESS);

    bool done = edu_dma(IOVA_A, false) && edu_dma(IOVA_B, true);
    suite_case("iommu_dma_through_table", done && holds(b, PATTERN), "done %d, b[0] %#x", done, b[0]);
    edu_dma(IOVA_GST, true);
    suite_case("iommu_dma_gst_same_table", holds(gst, PATTERN), "gst[0] %#x", gst[0]);
    edu_dma(IOVA_RO, true);
    suite_case("iommu_dma_read_only_not_written", holds(ro, 0), "ro[0] %#x", ro[0]);
    fault_case("iommu_fault_logged_read_only", IOVA_RO);
    edu_dma(UNMAPPED, true);
    suite_case("iommu_dma_unmapped_blocked", holds(unmapped, 0), "RAM at %#llx written", UNMAPPED);
    fault_case("iommu_fault_logged_unmapped", UNMAPPED);

    /* Memory of the root PD (not PD_NOVA) as the source, by virtual page number. */
    for (unsigned i = 0; i < DMA_LEN; i++)
        root_buf[i] = 0;
    dma_map(ROOT, child, PAGE(root_buf), IOVA_ROOT, RW, NOVA_ACC_DMA_HST);
    edu_dma(IOVA_ROOT, true);
    suite_case("iommu_dma_from_root_memory", holds((volatile uint32_t *)root_buf, PATTERN), "root_buf[0] %#x",
               root_buf[0]);

    /* The hypervisor's image is protected: delegated into a DMA space, it is not mapped. The edu
       buffer holds PATTERN2 before the attempt to read the image; afterwards it holds that, or
       what a blocked read gives (QEMU: zeros), never the image's first bytes (its header). */
    fill(a, PATTERN2);
    edu_dma(IOVA_A, false);
    dma_map(NOVA, child, PAGE(hip_page->nova_start), IOVA_KERNEL, NOVA_PERM_MEM_R, NOVA_ACC_DMA_HST);
    edu_dma(IOVA_KERNEL, false);
    edu_dma(IOVA_B, true);
    bool zeros = true;
    for (unsigned i = 0; i < DMA_LEN / 4; i++)
        zeros &= b[i] == 0;
    suite_case("iommu_dma_kernel_image_not_delegable", zeros || holds(b, PATTERN2), "b[0] %#x", b[0]);
    fill(a, PATTERN);
    edu_dma(IOVA_A, false); /* the buffer holds PATTERN again */

    /* Revoked (pmm 0 over the same destination): blocked again. */
    fill(b, 0);
    EXPECT_STATUS("ctrl_pd_dma_revoke", dma_map(NOVA, child, PAGE(DMA_PHYS) + 1, IOVA_B, 0, NOVA_ACC_DMA_HST),
                  NOVA_SUCCESS);
    edu_dma(IOVA_B, true);
    suite_case("iommu_dma_revoked_blocked", holds(b, 0), "b[0] %#x", b[0]);
}

/* Another owner takes the device; a destroyed owner leaves it blocked. */
static void cases_owner(uint64_t child)
{
    volatile uint32_t *a = ram(DMA_PHYS);
    uint64_t other = sel_alloc(1);
    hc_create_pd(other, ROOT);
    EXPECT_STATUS("assign_dev_to_other_pd", assign_dev(other, regs, NOVA_ACC_DMA_GST, edu_bdf), NOVA_SUCCESS);
    fill(a, 0);
    edu_dma(IOVA_A, true);
    suite_case("iommu_reassigned_device_loses_old_table", holds(a, 0), "a[0] %#x", a[0]);
    assign_dev(child, regs, NOVA_ACC_DMA_HST, edu_bdf);
    edu_dma(IOVA_A, true);
    suite_case("iommu_assigned_back", holds(a, PATTERN), "a[0] %#x", a[0]);
    hc_ctrl_pd(ROOT, ROOT, sel_alloc(1), child, 0, 0x1f, NOVA_SPC_OBJ, 0, 0); /* the last capability */
    nap_ms(5);
    fill(a, 0);
    edu_dma(IOVA_A, true);
    suite_case("iommu_destroyed_pd_device_blocked", holds(a, 0), "a[0] %#x", a[0]);
}

/* DMA tables are charged to the PD and come back when it dies. */
static void cases_dma_quota(void)
{
    uint64_t pd = sel_alloc(1), owner = ROOT;
    for (int level = 0; level < 3; level++, owner = pd) /* a PD with a small quota */
        hc_create_pd(pd = sel_alloc(1), owner);
    unsigned before = sm_capacity(pd);
    uint64_t child = sel_alloc(1);
    hc_create_pd(child, pd);
    unsigned empty = sm_capacity(child);
    for (uint64_t gib = 8; gib < 12; gib++) /* four 1 GiB regions: two new tables each */
        dma_map(NOVA, child, PAGE(DMA_PHYS), gib << 30, RW, NOVA_ACC_DMA_HST);
    unsigned mapped = sm_capacity(child);
    suite_case("iommu_dma_tables_charged", mapped < empty, "capacity %u before, %u after mapping", empty, mapped);
    hc_ctrl_pd(ROOT, ROOT, sel_alloc(1), child, 0, 0x1f, NOVA_SPC_OBJ, 0, 0);
    nap_ms(5);
    unsigned after = sm_capacity(pd);
    suite_case("iommu_dma_tables_freed_with_pd", after == before, "owner capacity %u after, %u before", after,
               before);
}

/* Not a check: what a DMA delegation and an assignment cost here (TSC cycles). */
static void report_cost(void)
{
    uint64_t pd = sel_alloc(1);
    hc_create_pd(pd, ROOT);
    uint64_t t0 = rdtsc_now();
    unsigned st = hc_ctrl_pd(NOVA, pd, PAGE(DMA_PHYS), PAGE(IOVA_2M), 9, RW, NOVA_SPC_MEM, NOVA_ACC_DMA_HST, 0);
    uint64_t t1 = rdtsc_now();
    hc_ctrl_pd(NOVA, pd, PAGE(DMA_PHYS), PAGE(IOVA_2M), 9, 0, NOVA_SPC_MEM, NOVA_ACC_DMA_HST, 0);
    uint64_t t2 = rdtsc_now();
    unsigned st2 = assign_dev(pd, regs, NOVA_ACC_DMA_HST, edu_bdf);
    uint64_t t3 = rdtsc_now();
    printf("abi: iommu cost: map 512 pages %lu cycles/page (%s), unmap %lu cycles/page, assign_dev %lu cycles (%s)\n",
           (t1 - t0) / 512, nova_status_name(st), (t2 - t1) / 512, t3 - t2, nova_status_name(st2));
    hc_ctrl_pd(ROOT, ROOT, sel_alloc(1), pd, 0, 0x1f, NOVA_SPC_OBJ, 0, 0);
}

void cases_iommu(const struct nova_hip *hip)
{
    uint64_t base = acpi_iommu_find(hip->rsdp, ACPI_IOMMU_ANY, &amd);
    edu = edu_find(&edu_bdf);
    hip_page = hip;
    if (base) { /* driven or not (nosmmu), the registers stay with the kernel */
        uint64_t va = VA_SCRATCH + 0x40000000;
        hc_ctrl_pd(NOVA, ROOT, PAGE(base), PAGE(va), 0, NOVA_PERM_MEM_R, NOVA_SPC_MEM, NOVA_ACC_CPU_HST, NOVA_CA_UC);
        suite_case("iommu_registers_protected", !readable(ROOT, va), "IOMMU registers readable from PD_ROOT");
    }
    if (!(hip->features & NOVA_HIP_FEAT_IOMMU)) {
        cases_absent(hip, base);
        return;
    }
    printf("abi: iommu: %s at %#lx\n", amd ? "AMD-Vi" : "VT-d", base);
    suite_case("iommu_hip_bit_set_acpi_unit", base != 0, "no DMAR/IVRS unit in ACPI");
    regs = base;
    if (!edu || !base) {
        suite_case("iommu_edu_device", 0, "no edu device (boot with -device edu)");
        return;
    }
    uint64_t child = sel_alloc(1);
    hc_create_pd(child, ROOT);
    cases_status(child);
    cases_dma(child);
    cases_owner(child);
    cases_dma_quota();
    report_cost();
}
