/* SPDX-License-Identifier: MIT */
/* Cases: interrupt semaphores and assign_int (spec 5.5.2) with real devices: the RTC on GSI 8
   (edge and level), and QEMU's edu PCI device for MSI. Also ctrl_hw's checks (spec 5.5.1). */

#include "cases.h"
#include "pci.h"
#include <suite.h>

#include <cmos_clock.h>
#include <hc.h>
#include <nova/descriptors.h>
#include <nova/hip.h>
#include <nova/selectors.h>
#include <portio.h>
#include <res.h>

#define NOVA        NOVA_SEL_PD_NOVA
#define ROOT        NOVA_SEL_PD_ROOT
#define RTC_A       0x0a
#define RTC_B       0x0b
#define RTC_C       0x0c
#define RTC_B_PIE   0x40
#define RTC_RATE_16HZ 0x0c
#define RTC_GSI     8
#define EDU_STATUS  0x24
#define EDU_RAISE   0x60
#define EDU_ACK     0x64
#define PCI_CAP_MSI 0x05
#define MSI_CTL_64BIT   0x80            /* message control (upper half of the capability word) */
#define MSI_ENABLE      (1u << 16)
#define MSI_OTHER_BDF 0x0000  /* the host bridge, 00:00.0: present on q35 and pc */

static unsigned take_ports(unsigned base, unsigned ord)
{
    return hc_ctrl_pd(NOVA, ROOT, base, base, ord, NOVA_PERM_PIO_A, NOVA_SPC_PIO, NOVA_ACC_CPU_HST, 0);
}

static uint64_t irq_sel(unsigned index)
{
    uint64_t s = sel_alloc(1);
    hc_ctrl_pd(NOVA, ROOT, NOVA_SEL_INT_BASE + index, s, 0, NOVA_PERM_SM_INT, NOVA_SPC_OBJ, 0, 0);
    return s;
}

static unsigned assign(uint64_t sm, unsigned flags, unsigned cpu, uint16_t dev, uint64_t *addr, uint64_t *data)
{
    struct hc_out o = {0, 0};
    unsigned st = hc_raw(nova_hc_id(NOVA_ASSIGN_INT, flags, sm), cpu, dev, 0, 0, &o);
    if (addr)
        *addr = o.rsi;
    if (data)
        *data = o.rdx;
    return st;
}


/* Whether assign_int answered for interrupt index with a remapped MSI: VT-d's remappable format
   (handle 0, the index as sub-handle), or AMD-Vi's index in the data. The compatibility format
   carries the vector, NOVA_MSI_VECTOR_BASE + index, instead. */
static bool msi_remapped(uint64_t addr, uint64_t data, unsigned index)
{
    return (addr & NOVA_MSI_ADDR_IR_FORMAT) || data == index;
}

static void cases_assign_checks(const struct nova_hip *hip)
{
    uint64_t pin = irq_sel(RTC_GSI), plain = sel_alloc(1), no_assign = sel_alloc(1);
    hc_create_sm(plain, ROOT, 0);
    hc_ctrl_pd(NOVA, ROOT, NOVA_SEL_INT_BASE + 9, no_assign, 0, NOVA_PERM_SM_CTRL_DN, NOVA_SPC_OBJ, 0, 0);
    EXPECT_STATUS("assign_int_null_bad_cap", assign(sel_alloc(1), 0, 0, 0, 0, 0), NOVA_BAD_CAP);
    EXPECT_STATUS("assign_int_plain_sm_bad_cap", assign(plain, 0, 0, 0, 0, 0), NOVA_BAD_CAP);
    EXPECT_STATUS("assign_int_without_assign_bad_cap", assign(no_assign, 0, 0, 0, 0, 0), NOVA_BAD_CAP);
    EXPECT_STATUS("assign_int_bad_cpu", assign(pin, NOVA_ASSIGN_INT_M, cpu_num(), 0, 0, 0), NOVA_BAD_CPU);
    uint64_t a = 1, d = 1;
    EXPECT_STATUS("assign_int_pin_success", assign(pin, NOVA_ASSIGN_INT_M, 0, 0, &a, &d), NOVA_SUCCESS);
    suite_case("assign_int_pin_returns_no_msi", a == 0 && d == 0, "addr %#lx data %#lx", a, d);
    uint64_t msi = irq_sel(hip->int_pin);
    EXPECT_STATUS("assign_int_msi_success", assign(msi, NOVA_ASSIGN_INT_M, 0, 0x18, &a, &d), NOVA_SUCCESS);
    if (msi_remapped(a, d, hip->int_pin)) {
        suite_case("assign_int_msi_address", a == NOVA_MSI_ADDR_REMAP || a == NOVA_MSI_ADDR_BASE, "addr %#lx", a);
        suite_case("assign_int_msi_data_is_index", d == hip->int_pin, "data %#lx", d);
    } else {
        suite_case("assign_int_msi_address", (a & 0xfff00000) == NOVA_MSI_ADDR_BASE, "addr %#lx", a);
        suite_case("assign_int_msi_data_is_vector", d == NOVA_MSI_VECTOR_BASE + hip->int_pin, "data %#lx", d);
    }
    EXPECT_STATUS("int_sm_up_not_allowed", hc_sm_up(pin), NOVA_BAD_CAP);
    uint64_t unassigned = irq_sel(hip->int_pin + 1);
    EXPECT_STATUS("int_sm_down_unassigned_bad_cpu", hc_sm_down(unassigned, 0, 1), NOVA_BAD_CPU);
    if (cpu_num() > 1) {
        assign(msi, NOVA_ASSIGN_INT_M, other_cpu(), 0, 0, 0);
        EXPECT_STATUS("int_sm_down_other_cpu_bad_cpu", hc_sm_down(msi, 0, 1), NOVA_BAD_CPU);
    } else {
        suite_skip("int_sm_down_other_cpu_bad_cpu", "one CPU");
    }
}

static void cases_rtc(void)
{
    if (take_ports(CMOS_INDEX, 1) != NOVA_SUCCESS) {
        suite_case("rtc_ports", 0, "cannot take ports 0x70-0x71");
        return;
    }
    uint64_t sm = irq_sel(RTC_GSI), nap = sel_alloc(1);
    hc_create_sm(nap, ROOT, 0);
    cmos_write(RTC_A, (uint8_t)((cmos_read(RTC_A) & 0xf0) | RTC_RATE_16HZ));
    cmos_read(RTC_C);
    cmos_write(RTC_B, cmos_read(RTC_B) | RTC_B_PIE);

    /* Masked: nothing arrives although the RTC interrupts. */
    assign(sm, NOVA_ASSIGN_INT_M, 0, 0, 0, 0);
    EXPECT_STATUS("int_masked_does_not_arrive", hc_sm_down(sm, 0, deadline_ms(300)), NOVA_TIMEOUT);

    /* Edge, unmasked: the periodic interrupt arrives. */
    cmos_read(RTC_C);
    assign(sm, 0, 0, 0, 0, 0);
    EXPECT_STATUS("int_edge_arrives", hc_sm_down(sm, 0, deadline_ms(500)), NOVA_SUCCESS);
    cmos_read(RTC_C);
    EXPECT_STATUS("int_edge_arrives_again", hc_sm_down(sm, 0, deadline_ms(500)), NOVA_SUCCESS);

    /* Level: the line stays high until register C is read, but the pin stays masked until our
       next down, so the CPU is not flooded meanwhile. */
    cmos_read(RTC_C);
    assign(sm, NOVA_ASSIGN_INT_T, 0, 0, 0, 0);
    EXPECT_STATUS("int_level_arrives", hc_sm_down(sm, 0, deadline_ms(500)), NOVA_SUCCESS);
    hc_sm_down(nap, 0, deadline_ms(30)); /* the line stays high all this time */
    cmos_read(RTC_C);                          /* now it drops */
    /* Had the pin stayed unmasked, every EOI would have re-raised it: the semaphore would hold
       a pile of ups. It holds none. */
    EXPECT_STATUS("int_level_no_storm", hc_sm_down(sm, 0, 1), NOVA_TIMEOUT);
    EXPECT_STATUS("int_level_unmasked_by_down", hc_sm_down(sm, 0, deadline_ms(500)), NOVA_SUCCESS);

    cmos_write(RTC_B, cmos_read(RTC_B) & ~RTC_B_PIE);
    cmos_read(RTC_C);
    assign(sm, NOVA_ASSIGN_INT_M, 0, 0, 0, 0);
}

/* With interrupt remapping the entry behind edu's handle admits one requester: named as another
   device, edu's MSI is blocked; named as edu again, it arrives. */
static void cases_msi_requester(const struct nova_hip *hip, volatile uint32_t *edu, unsigned bdf, uint64_t sm,
                                unsigned index, uint64_t addr, uint64_t data)
{
    if (!msi_remapped(addr, data, index)) {
        printf("abi: interrupt remapping off: the requester BDF is not enforced\n");
        if (hip->features & NOVA_HIP_FEAT_IOMMU) {
            suite_skip("msi_other_requester_blocked", "interrupt remapping off (compatibility-format MSI)");
            return;
        }
        /* No IOMMU runs: the message must be the compatibility format for CPU 0. */
        suite_case("msi_remapping_off_without_iommu",
                   (addr & ~(uint64_t)NOVA_MSI_ADDR_DEST_MASK) == NOVA_MSI_ADDR_BASE && data == NOVA_MSI_VECTOR_BASE + index,
                   "addr %#lx data %#lx", addr, data);
        return;
    }
    uint64_t a = 0, d = 0;
    assign(sm, 0, 0, MSI_OTHER_BDF, &a, &d);
    suite_case("msi_other_requester_same_handle", a == addr && d == data, "addr %#lx data %#lx", a, d);
    edu[EDU_RAISE / 4] = 4;
    EXPECT_STATUS("msi_other_requester_blocked", hc_sm_down(sm, 0, deadline_ms(300)), NOVA_TIMEOUT);
    edu[EDU_ACK / 4] = 4;
    assign(sm, 0, 0, (uint16_t)bdf, 0, 0);
    edu[EDU_RAISE / 4] = 8;
    EXPECT_STATUS("msi_own_requester_arrives_again", hc_sm_down(sm, 0, deadline_ms(500)), NOVA_SUCCESS);
    edu[EDU_ACK / 4] = 8;
    assign(sm, NOVA_ASSIGN_INT_M, 0, (uint16_t)bdf, 0, 0);
}

/* Program edu's MSI capability at cap with the message assign_int returned, and enable it. */
static void msi_program(unsigned bdf, unsigned cap, uint64_t addr, uint64_t data)
{
    uint32_t ctl = pci_read(bdf, cap) >> 16;
    bool is64 = ctl & MSI_CTL_64BIT;
    pci_write(bdf, cap + 4, (uint32_t)addr);
    if (is64)
        pci_write(bdf, cap + 8, 0);
    pci_write(bdf, cap + (is64 ? 12 : 8), (uint32_t)data);
    pci_write(bdf, cap, pci_read(bdf, cap) | MSI_ENABLE);
}

/* Before any assign_int names edu, edu's MSI for an index given to another requester delivers
   nothing. VT-d: edu sends the handle, the entry's source-id check blocks it. AMD-Vi: edu sends
   the plain message for the index's vector (CPU 0 = APIC ID 0 under QEMU), which would arrive
   were edu's device table entry not still saying target abort. (VT-d lets such a plain message
   through: CFI, see docs/abi.md.) Without remapping there is nothing to block: not run. */
static void cases_msi_unnamed(const struct nova_hip *hip, volatile uint32_t *edu, unsigned bdf, unsigned cap)
{
    unsigned index = hip->int_pin + 3;
    uint64_t sm = irq_sel(index), a = 0, d = 0;
    assign(sm, 0, 0, MSI_OTHER_BDF, &a, &d);
    if (msi_remapped(a, d, index)) {
        if (a & NOVA_MSI_ADDR_IR_FORMAT)
            msi_program(bdf, cap, a, d);
        else
            msi_program(bdf, cap, NOVA_MSI_ADDR_BASE, NOVA_MSI_VECTOR_BASE + index);
        edu[EDU_RAISE / 4] = 16;
        EXPECT_STATUS("msi_unnamed_device_blocked", hc_sm_down(sm, 0, deadline_ms(300)), NOVA_TIMEOUT);
        edu[EDU_ACK / 4] = 16;
    }
    assign(sm, NOVA_ASSIGN_INT_M, 0, MSI_OTHER_BDF, 0, 0);
}

static void cases_msi(const struct nova_hip *hip)
{
    unsigned bdf = 0;
    volatile uint32_t *edu = edu_find(&bdf);
    if (!edu) {
        suite_skip("msi_edu_device", "no edu device (boot with -device edu)");
        return;
    }
    unsigned cap = pci_read(bdf, 0x34) & 0xfc;
    while (cap && (pci_read(bdf, cap) & 0xff) != PCI_CAP_MSI)
        cap = (pci_read(bdf, cap) >> 8) & 0xfc;
    suite_case("msi_edu_device", cap != 0, "no MSI capability");
    if (!cap)
        return;

    cases_msi_unnamed(hip, edu, bdf, cap);
    uint64_t sm = irq_sel(hip->int_pin + 2), addr, data;
    assign(sm, 0, 0, (uint16_t)bdf, &addr, &data);
    msi_program(bdf, cap, addr, data);

    edu[EDU_RAISE / 4] = 1;
    EXPECT_STATUS("msi_arrives", hc_sm_down(sm, 0, deadline_ms(500)), NOVA_SUCCESS);
    suite_case("msi_device_status", edu[EDU_STATUS / 4] == 1, "edu status %#x", edu[EDU_STATUS / 4]);
    edu[EDU_ACK / 4] = 1;
    uint64_t t0 = rdtsc_now();
    assign(sm, NOVA_ASSIGN_INT_M, 0, (uint16_t)bdf, 0, 0);
    printf("abi: assign_int MSI cost: %lu cycles (%s)\n", rdtsc_now() - t0, /* not a check */
           msi_remapped(addr, data, hip->int_pin + 2) ? "remapping entry written" : "no remapping");
    edu[EDU_RAISE / 4] = 2;
    EXPECT_STATUS("msi_masked_does_not_arrive", hc_sm_down(sm, 0, deadline_ms(200)), NOVA_TIMEOUT);
    edu[EDU_ACK / 4] = 2;
    cases_msi_requester(hip, edu, bdf, sm, hip->int_pin + 2, addr, data);
}

static void cases_ctrl_hw(void)
{
    EXPECT_STATUS("ctrl_hw_op1_bad_par", hc_raw(nova_hc_id(NOVA_CTRL_HW, 1, 0), 0, 0, 0, 0, 0), NOVA_BAD_PAR);
    EXPECT_STATUS("ctrl_hw_op15_bad_par", hc_raw(nova_hc_id(NOVA_CTRL_HW, 15, 0), 0, 0, 0, 0, 0), NOVA_BAD_PAR);
    EXPECT_STATUS("ctrl_hw_qos_bad_ftr", hc_raw(nova_hc_id(NOVA_CTRL_HW, NOVA_CTRL_HW_QOS_CFG, 2), 0, 0, 0, 0, 0),
                  NOVA_BAD_FTR);
    EXPECT_STATUS("ctrl_hw_cat_bad_ftr", hc_raw(nova_hc_id(NOVA_CTRL_HW, NOVA_CTRL_HW_CAT_L3, 0), 0, 0, 0, 0, 0),
                  NOVA_BAD_FTR);
    EXPECT_STATUS("ctrl_hw_sleep_s0_bad_par",
                  hc_raw(nova_hc_id(NOVA_CTRL_HW, NOVA_CTRL_HW_SLEEP, nova_ctrl_hw_sleep(0, 0, 0)), 0, 0, 0, 0, 0),
                  NOVA_BAD_PAR);
    EXPECT_STATUS("ctrl_hw_reset_with_slp_typ_bad_par",
                  hc_raw(nova_hc_id(NOVA_CTRL_HW, NOVA_CTRL_HW_SLEEP, nova_ctrl_hw_sleep(7, 1, 0)), 0, 0, 0, 0, 0),
                  NOVA_BAD_PAR);
}

void cases_irq(const struct nova_hip *hip)
{
    cases_assign_checks(hip);
    cases_rtc();
    cases_msi(hip);
    cases_ctrl_hw();
}
