/* SPDX-License-Identifier: MIT */
/* ACPI fixed hardware for sleep states: SLP_TYP and SLP_EN in PM1 control, WAK_STS in PM1 status. */

#include "x86/acpi_pm.h"
#include "x86/acpi_tables.h"
#include "x86/cpu.h"

#include <stdint.h>

/* ACPI specification, fixed hardware registers: PM1 control and PM1 status. */
#define PM1_SLP_TYP_SHIFT   10
#define PM1_SLP_TYP_MASK    (7u << PM1_SLP_TYP_SHIFT)
#define PM1_SLP_EN          (1u << 13)
#define PM1_STS_WAK         (1u << 15)
#define PM1_UNDECODED       0xffff      /* reserved bits read as 0: all ones means nobody answers */

bool acpi_pm_present(void)
{
    return acpi.pm_cnt_port[0] && inw(acpi.pm_cnt_port[0]) != PM1_UNDECODED;
}

static void cnt_write(uint16_t port, unsigned slp_typ, uint16_t enable)
{
    if (port)
        outw(port, (uint16_t)((inw(port) & ~PM1_SLP_TYP_MASK) | slp_typ << PM1_SLP_TYP_SHIFT | enable));
}

void acpi_pm_sleep(unsigned slp_typa, unsigned slp_typb)
{
    /* SLP_TYP into both blocks first, then SLP_EN with it, as the ACPI sleep sequence has it. */
    cnt_write(acpi.pm_cnt_port[0], slp_typa, 0);
    cnt_write(acpi.pm_cnt_port[1], slp_typb, 0);
    cnt_write(acpi.pm_cnt_port[0], slp_typa, PM1_SLP_EN);
    cnt_write(acpi.pm_cnt_port[1], slp_typb, PM1_SLP_EN);
}

bool acpi_pm_woke(void)
{
    for (unsigned i = 0; i < 2; i++) {
        uint16_t sts = acpi.pm1_evt_port[i] ? inw(acpi.pm1_evt_port[i]) : 0;
        if (sts != PM1_UNDECODED && (sts & PM1_STS_WAK))
            return true;
    }
    return false;
}

void acpi_pm_clear_wake(void)
{
    for (unsigned i = 0; i < 2; i++)
        if (acpi.pm1_evt_port[i])
            outw(acpi.pm1_evt_port[i], PM1_STS_WAK); /* write 1 to clear; the other status bits stay */
}
