/* SPDX-License-Identifier: MIT */
/* Local APIC (xAPIC MMIO): enable, end of interrupt, and the INIT/SIPI sequence for AP start-up. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define VEC_TIMER        0xf9    /* LAPIC timer (LVT range 0xf9-0xfc) */
#define VEC_IPI_RESCHED  0xfd    /* another CPU made an SC ready here or changed a deadline */
#define VEC_IPI_RECALL   0xfe    /* force the running EC into the kernel (strong recall) */
#define VEC_IPI_TLB      0xfc    /* flush the TLB (shootdown) */
#define VEC_SPURIOUS     0xff

void lapic_init(void);
uint32_t lapic_id(void);
void lapic_eoi(void);
/* INIT-SIPI-SIPI to the CPU with the given APIC ID; the AP starts at vector << 12. */
void lapic_start_ap(uint32_t apic_id, uint8_t vector);
void lapic_send_ipi(uint32_t apic_id, uint8_t vector);
/* Raw register access for the timer. */
uint32_t lapic_read(unsigned off);
void lapic_write(unsigned off, uint32_t v);
