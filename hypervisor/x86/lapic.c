/* SPDX-License-Identifier: MIT */
/* Local APIC (xAPIC MMIO): enable, end of interrupt, and the INIT/SIPI sequence for AP start-up. */

#include "x86/lapic.h"
#include "x86/cpu.h"
#include "x86/paging.h"
#include "x86/tsc.h"

#define APIC_BASE_ENABLE    (1ull << 11)
#define APIC_BASE_ADDR      0x000ffffffffff000ull

/* Register offsets (Intel SDM vol. 3, table 11-1). */
#define LAPIC_ID            0x020
#define LAPIC_EOI           0x0b0
#define LAPIC_SVR           0x0f0
#define LAPIC_ICR_LO        0x300
#define LAPIC_ICR_HI        0x310

#define SVR_ENABLE          (1u << 8)
#define ICR_INIT            (5u << 8)
#define ICR_STARTUP         (6u << 8)
#define ICR_LEVEL_ASSERT    (1u << 14)
#define ICR_PENDING         (1u << 12)
#define INIT_DELAY_US       10000
#define SIPI_DELAY_US       200

static volatile uint32_t *regs;

static uint32_t rd(unsigned off) { return regs[off / 4]; }
static void wr(unsigned off, uint32_t v) { regs[off / 4] = v; }

void lapic_init(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);
    if (!(base & APIC_BASE_ENABLE))
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    regs = paging_kernel_uc(base & APIC_BASE_ADDR);
    wr(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
}

uint32_t lapic_id(void)
{
    return rd(LAPIC_ID) >> 24;
}

void lapic_eoi(void)
{
    wr(LAPIC_EOI, 0);
}

static void send_ipi(uint32_t apic_id, uint32_t lo)
{
    wr(LAPIC_ICR_HI, apic_id << 24);
    wr(LAPIC_ICR_LO, lo);
    for (unsigned spin = 0; (rd(LAPIC_ICR_LO) & ICR_PENDING) && spin < 1000000; spin++)
        cpu_pause();
}

void lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
    send_ipi(apic_id, vector);
}

uint32_t lapic_read(unsigned off)
{
    return rd(off);
}

void lapic_write(unsigned off, uint32_t v)
{
    wr(off, v);
}

void lapic_start_ap(uint32_t apic_id, uint8_t vector)
{
    send_ipi(apic_id, ICR_INIT | ICR_LEVEL_ASSERT);
    tsc_delay_us(INIT_DELAY_US);
    for (int i = 0; i < 2; i++) {
        send_ipi(apic_id, ICR_STARTUP | vector);
        tsc_delay_us(SIPI_DELAY_US);
    }
}
