/* SPDX-License-Identifier: MIT */
/* ACPI fixed hardware: PM1a event and control blocks, the PM timer, and the reset register 0xcf9. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "dev/vdev.h"

#define ACPI_PM_TMR_HZ      3579545u
#define ACPI_PM_TMR_BITS    24          /* FADT TMR_VAL_EXT clear */

/* PM1_STS (write 1 to clear) and PM1_EN. */
#define ACPI_PM1_TMR        (1u << 0)
#define ACPI_PM1_BM_STS     (1u << 4)
#define ACPI_PM1_GBL        (1u << 5)
#define ACPI_PM1_PWRBTN     (1u << 8)
#define ACPI_PM1_SLPBTN     (1u << 9)
#define ACPI_PM1_RTC        (1u << 10)
#define ACPI_PM1_PCIEXP_WAKE (1u << 14)
#define ACPI_PM1_WAK_STS    (1u << 15)

/* PM1_CNT. */
#define ACPI_PM1_SCI_EN     (1u << 0)
#define ACPI_PM1_BM_RLD     (1u << 1)
#define ACPI_PM1_GBL_RLS    (1u << 2)   /* write-only */
#define ACPI_PM1_SLP_TYP_SHIFT 10
#define ACPI_PM1_SLP_TYP    (7u << ACPI_PM1_SLP_TYP_SHIFT)
#define ACPI_PM1_SLP_EN     (1u << 13)  /* write-only */

/* Reset control register: bit 2 (RST_CPU) resets the machine. */
#define ACPI_RESET_RST_CPU  (1u << 2)

struct acpi_pm {
    struct vm *vm;
    uint16_t sts, en, cnt;
    uint64_t tmr_epoch;         /* PM timer ticks >> 23 when TMR_STS was last brought up to date */
    uint8_t reset;              /* last value written to 0xcf9 */
    bool sci;                   /* current level of the SCI (GSI 9) */
    bool logged_sleep;
    struct vtimer tmr;          /* armed for the next TMR_STS while TMR_EN is set */
};

/* Reset state (SCI_EN set: there is no SMI_CMD to enable ACPI mode) and the ports from
   acpi/layout.h: PM1a_EVT, PM1a_CNT, PM_TMR and 0xcf9. */
void acpi_pm_init(struct acpi_pm *pm, struct vm *vm);
/* Press the power button: PWRBTN_STS, an SCI if PWRBTN_EN. */
void acpi_pm_power_button(struct acpi_pm *pm);
