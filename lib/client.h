/* SPDX-License-Identifier: MIT */
/* Runtime for programs the root task starts: its services as C calls, printf to its console. */
#pragma once

#include "service.h"

#include <nova/utcb.h>
#include <stdbool.h>
#include <stdint.h>

/* Check the start-up page the root passed (RDI at entry) and send printf to the root's console;
   NULL if info_va is not the start-up page. */
const struct svc_info *client_init(uint64_t info_va);
/* Fresh zeroed memory: SVC_OK and its address in *va, or the root's error status. */
unsigned client_alloc(uint64_t size, uint64_t *va);
/* Wait until the client called name has ended; *how gets SVC_END_*, *code its exit code. */
unsigned client_wait(const char *name, unsigned *how, uint64_t *code);
/* Wait for console input and copy up to max bytes (at most SVC_READ_MAX) to buf; the count, or 0
   if the root refused. */
unsigned client_read(char *buf, unsigned max);
/* The wall clock the root read at boot (seconds since 1970), the TSC at that moment, the TSC's
   frequency in Hz: SVC_OK, or the root's status. */
unsigned client_time(uint64_t *wall, uint64_t *tsc, uint64_t *tsc_hz);
/* Map the boot module called name read-only: SVC_OK with its bytes and size, or SVC_E_NAME. */
unsigned client_module(const char *name, const void **bytes, uint64_t *size);

/* From any thread of the client, with that thread's UTCB u (the calls above use the first
   thread's): len bytes (at most SVC_WRITE_MAX) of console output, a partial line printed at once
   when push is set; and up to max typed bytes (0 if none, when wait is false). */
unsigned client_write_on(union nova_utcb *u, const char *text, unsigned len, bool push);
unsigned client_read_on(union nova_utcb *u, char *buf, unsigned max, bool wait);

/* Send words 0 .. words-1 of the UTCB to the root; the reply's status. Output is sent a line at a
   time: a partial line printed before is not yet out. */
unsigned client_call(unsigned words);

/* Driver services (lib/client_drv.c; SVC_PIO, SVC_IRQ, SVC_PCI in service.h). */
/* The I/O ports [base, base + count). */
unsigned client_pio(unsigned base, unsigned count);
/* A GSI (flags NOVA_ASSIGN_INT_T / _P) routed to our CPU: *sel gets its semaphore's selector. */
unsigned client_irq_gsi(unsigned gsi, unsigned flags, uint64_t *sel);
/* An MSI of our PCI device bdf: *sel as above, *addr and *data for its MSI capability. */
unsigned client_irq_msi(unsigned bdf, uint64_t *sel, uint64_t *addr, uint64_t *data);
/* The BDF of the index-th PCI device we were given (SVC_E_NAME past the last). */
unsigned client_pci_device(unsigned index, unsigned *bdf);
/* size (1, 2 or 4) bytes of our device's configuration space at offset off. */
unsigned client_pci_read(unsigned bdf, unsigned off, unsigned size, uint32_t *value);
unsigned client_pci_write(unsigned bdf, unsigned off, unsigned size, uint32_t value);
/* Map memory BAR bar of our device: its address in our space and its size. */
unsigned client_pci_bar(unsigned bdf, unsigned bar, uint64_t *va, uint64_t *size);

/* Print what is buffered, then end with code. */
__attribute__((noreturn)) void client_exit(unsigned code);
