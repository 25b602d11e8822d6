/* SPDX-License-Identifier: MIT */
/* Object-space selector numbers: sizes, event windows and the root task's initial selectors. */
#pragma once

/* Selectors per object space (also reported in the HIP). */
#define NOVA_SEL_NUM 0x40000UL

/*
 * Event windows: an EC's events go to portal EVT + event number.
 * Host (thread) events use EVT + 0 .. HST_ARCH + HST_NOVA - 1,
 * guest (vCPU) events use EVT + 0 .. GST_ARCH + GST_NOVA - 1.
 */
#define NOVA_SEL_HST_ARCH 0x20UL  /* architectural host events */
#define NOVA_SEL_HST_NOVA 2UL     /* startup, recall */
#define NOVA_SEL_GST_ARCH 0x100UL /* architectural guest events */
#define NOVA_SEL_GST_NOVA 2UL     /* startup, recall */

/* Initial object capabilities of the root PD. */
#define NOVA_SEL_PD_NOVA (NOVA_SEL_NUM - 1) /* PD_NOVA, permission CTRL only */
#define NOVA_SEL_PD_ROOT (NOVA_SEL_NUM - 2) /* root PD, NOVA_PERM_PD_ALL */
#define NOVA_SEL_EC_ROOT (NOVA_SEL_NUM - 3) /* root EC, NOVA_PERM_EC_ALL */
#define NOVA_SEL_SC_ROOT (NOVA_SEL_NUM - 4) /* root SC, NOVA_PERM_SC_ALL */

/*
 * Object space of PD_NOVA (take with ctrl_pd, spc OBJ, from NOVA_SEL_PD_NOVA):
 * interrupt semaphore i (0 <= i < NOVA_INT_VECTORS; pins first, then MSIs,
 * see HIP int_pin/int_msi) at NOVA_SEL_INT_BASE + i with DN | ASSIGN, and the
 * memory-buffer console semaphore at NOVA_SEL_CONSOLE_SM with UP | DN.
 */
#define NOVA_SEL_INT_BASE   1024UL
#define NOVA_INT_VECTORS    217U
#define NOVA_SEL_CONSOLE_SM (NOVA_SEL_NUM - 1)

_Static_assert(NOVA_SEL_INT_BASE + NOVA_INT_VECTORS <= NOVA_SEL_CONSOLE_SM,
               "interrupt semaphores overlap the console semaphore");
