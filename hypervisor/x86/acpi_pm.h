/* SPDX-License-Identifier: MIT */
/* ACPI fixed hardware for sleep states: SLP_TYP and SLP_EN in PM1 control, WAK_STS in PM1 status. */
#pragma once

#include <stdbool.h>

/* Whether the FADT gave a PM1a control block in I/O space, and something answers there (the
   chipset may have stopped decoding it, e.g. after a wakeup whose firmware did not restore it). */
bool acpi_pm_present(void);
/* Enter the sleep state with these SLP_TYP values (PM1a, PM1b); returns if the platform did
   not act on it, or when it wakes from a state that kept the CPU's context (S1). */
void acpi_pm_sleep(unsigned slp_typa, unsigned slp_typb);
/* WAK_STS: set by the platform when it has left a sleep state. */
bool acpi_pm_woke(void);
void acpi_pm_clear_wake(void);
