/* SPDX-License-Identifier: MIT */
/* A vCPU's view of memory: linear addresses through its page tables to RAM, its local APIC page
   or the MMIO bus. Used to fetch and emulate instructions and by hostcalls. */
#pragma once

#include <nova/utcb.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/vm.h"
#include "cpu/emulate.h"
#include "cpu/paging.h"

struct guest_access {
    struct vcpu *vcpu;
    struct x86_paging paging;
    bool user;                  /* CPL 3 */
    struct x86_fault fault;     /* the first translation failure */
    bool faulted;
};

void guest_access_init(struct guest_access *g, struct vcpu *v, const struct nova_utcb_arch *a);
/* x86_emu callbacks (opaque = struct guest_access). */
int guest_read(void *opaque, uint64_t linear, unsigned size, uint64_t *value);
int guest_write(void *opaque, uint64_t linear, unsigned size, uint64_t value);
/* Copy len bytes at a linear address (RAM or MMIO, byte by byte across pages); 0 or -1. */
int guest_copy_from(struct guest_access *g, uint64_t linear, void *buf, unsigned len, unsigned access);
/* Physical access by the VMM on behalf of the vCPU: RAM, its APIC page, or the MMIO bus. */
void guest_phys_read(struct vcpu *v, uint64_t gpa, unsigned size, uint64_t *value);
void guest_phys_write(struct vcpu *v, uint64_t gpa, unsigned size, uint64_t value);
/* The code size of the vCPU's current mode: 16, 32 or 64. */
unsigned guest_code_bits(const struct nova_utcb_arch *a);
