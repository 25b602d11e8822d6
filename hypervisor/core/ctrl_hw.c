/* SPDX-License-Identifier: MIT */
/* ctrl_hw (spec 5.5.1): sleep states, reset, and the QOS operations. */

#include "core/ctrl_hw.h"
#include "core/console.h"
#include "core/memory.h"
#include "x86/acpi_pm.h"
#include "x86/acpi_tables.h"
#include "x86/cpu.h"
#include "x86/qos.h"
#include "x86/suspend.h"
#include "x86/tsc.h"

#include <nova/descriptors.h>
#include <nova/status.h>

#define CF9_RESET           0x06        /* PCI reset control: full reset */
#define KBC_CMD             0x64
#define KBC_PULSE_RESET     0xfe
#define GAS_SYSTEM_IO       1
#define GAS_SYSTEM_MEMORY   0

static __attribute__((noreturn)) void platform_reset(void)
{
    kprintf_final("nova: platform reset\n");
    if (acpi.reset_supported && acpi.reset_space == GAS_SYSTEM_IO)
        outb((uint16_t)acpi.reset_addr, acpi.reset_value);
    else if (acpi.reset_supported && acpi.reset_space == GAS_SYSTEM_MEMORY && acpi.reset_addr < DIRECT_MAP_SIZE)
        *(volatile uint8_t *)phys_to_virt(acpi.reset_addr) = acpi.reset_value;
    tsc_delay_us(50000);
    outb(0xcf9, CF9_RESET); /* the usual fallbacks: PCI reset control, then the keyboard controller */
    tsc_delay_us(50000);
    outb(KBC_CMD, KBC_PULSE_RESET);
    tsc_delay_us(50000);
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } none = {0, 0};
    __asm__ volatile("lidt %0; int3" ::"m"(none)); /* a triple fault resets any PC */
    cpu_stop();
}

static unsigned sleep_state(uint64_t desc)
{
    unsigned s = (desc >> NOVA_SLEEP_S_SHIFT) & NOVA_SLEEP_S_MASK;
    unsigned a = (desc >> NOVA_SLEEP_TYPA_SHIFT) & NOVA_SLEEP_TYPA_MASK;
    unsigned b = (desc >> NOVA_SLEEP_TYPB_SHIFT) & NOVA_SLEEP_TYPB_MASK;
    if (s == NOVA_SLEEP_RESET)
        return a || b ? NOVA_BAD_PAR : (platform_reset(), NOVA_SUCCESS);
    if (s == 0 || s == 6)
        return NOVA_BAD_PAR;
    if (!acpi_pm_present())
        return NOVA_BAD_FTR; /* no ACPI PM1 control block */
    if (s <= NOVA_SLEEP_S_MAX_SHALLOW)
        return suspend_enter(s, a, b);
    kprintf_final("nova: entering S%u\n", s);
    cli();
    acpi_pm_sleep(a, b);
    tsc_delay_us(1000000);
    kprintf_final("nova: the platform did not enter S%u\n", s);
    cpu_stop();
}

unsigned ctrl_hw(unsigned op, uint64_t desc)
{
    switch (op) {
    case NOVA_CTRL_HW_SLEEP:
        return sleep_state(desc);
    case NOVA_CTRL_HW_QOS_CFG:
    case NOVA_CTRL_HW_CAT_L3:
    case NOVA_CTRL_HW_CAT_L2:
    case NOVA_CTRL_HW_MBA:
        return qos_ctrl(op, desc); /* BAD_FTR where the CPU has no RDT allocation (QEMU's CPUs) */
    default:
        return NOVA_BAD_PAR;
    }
}
