/* SPDX-License-Identifier: MIT */
/* A fake VMM for device-model unit tests: it implements vmm/dev/vdev.h with recorded effects,
   a clock the test moves by hand, and 1 MiB of guest RAM. */
#pragma once

#include "dev/vdev.h"

#define FAKE_MEM_SIZE 0x100000u
#define FAKE_MSI_MAX  256
#define FAKE_CONSOLE_MAX 4096

struct fake_msi {
    uint64_t address;
    uint32_t data;
};

struct fake_vm {
    uint64_t now_ns, tsc_hz, wallclock_s;
    bool irq[24];                       /* current level of each GSI */
    unsigned irq_rises[24];             /* 0 -> 1 transitions seen */
    bool isa_timer[2];                  /* the PIT's and the RTC's own levels (GSI 0, 8) */
    bool hpet_legacy;                   /* the HPET's legacy replacement route is on */
    unsigned hpet_legacy_calls;
    unsigned nmsi;
    struct fake_msi msi[FAKE_MSI_MAX];
    unsigned kicks[64];
    unsigned nipi;
    unsigned ipi_src;
    uint32_t ipi_icr_low, ipi_dest;     /* the last IPI */
    unsigned neoi, last_eoi;
    char console[FAKE_CONSOLE_MAX];
    unsigned console_len;
    unsigned poweroffs, resets, logs;
    uint8_t mem[FAKE_MEM_SIZE];
};

/* The one VM the fake provides (reset by fake_reset). Pass (struct vm *)&fake to devices, or FAKE_VM. */
extern struct fake_vm fake;
#define FAKE_VM ((struct vm *)&fake)

/* Forget every registration, timer and record; clock 0, TSC 2 GHz, wall clock 2026-01-01. */
void fake_reset(void);
/* Access through the registered blocks, as the guest would; unclaimed: all ones / ignored. */
uint64_t fake_pio_read(uint16_t port, unsigned size);
void fake_pio_write(uint16_t port, unsigned size, uint64_t value);
uint64_t fake_mmio_read(uint64_t gpa, unsigned size);
void fake_mmio_write(uint64_t gpa, unsigned size, uint64_t value);
/* Whether a port / address is claimed. */
bool fake_pio_claimed(uint16_t port);
bool fake_mmio_claimed(uint64_t gpa);
/* Move the clock forward by ns, firing due timers in deadline order (each at its deadline). */
void fake_advance(uint64_t ns);
/* The earliest armed timer's deadline, or UINT64_MAX. */
uint64_t fake_next_deadline(void);
