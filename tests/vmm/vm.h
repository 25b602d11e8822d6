/* SPDX-License-Identifier: MIT */
/* A tiny VMM for micro-guests: one VM PD with guest memory, one vCPU, exits logged by a portal handler. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <portal.h>

#define VM_EXITS_MAX 64
#define VM_EVENTS    0x102

struct exit_record {
    uint64_t ev, qual0, qual1, qual2, rip, rax, rbx, rcx, efer, cr0;
    uint32_t inst_len, vect_info;
    uint16_t cs_ar;
};

/* What the handler does for one exit: fill in the reply through the UTCB, return the MTD. */
struct vm;

struct vm_handler {
    struct portal_ctx ctx;          /* first: the portal's PID points here */
    struct vm *vm;
    unsigned ev;
};
typedef uint64_t (*vm_exit_fn)(struct vm *vm, unsigned ev, void *utcb_arch);

struct vm {
    uint64_t pd, vcpu, sc, evt;
    uint64_t guest_phys;            /* host-physical base of guest memory (from PD_NOVA) */
    uint8_t *mem;                   /* the VMM's view of guest memory (guest-physical 0) */
    uint64_t mem_size;
    vm_exit_fn on_exit;
    uint64_t done_sm;               /* upped when the handler sees the exit the test waits for */
    unsigned nexits;
    struct exit_record exits[VM_EXITS_MAX];
    uint64_t start_rip, start_cs_base;
    bool long_mode;
    void *ctx;                      /* for the test */
    uint32_t mtd;                   /* state the exit portals transfer (0: a full set) */
    unsigned cpu;                   /* where the vCPU and its handler run */
    bool tsc_offset;                /* create the vCPU with T = 1 */
    struct vm_handler handlers[VM_EVENTS];
};

/* Build the VM: PD, guest memory [0, size) from host-physical phys, exit portals. 0 on success. */
int vm_create(struct vm *vm, uint64_t phys, uint64_t size, vm_exit_fn on_exit);
/* Create the vCPU and its SC: it starts at start_rip in real mode (CS base 0). */
int vm_start(struct vm *vm, uint64_t rip);
/* Wait (up to ms) for the handler to up done_sm. */
unsigned vm_wait(struct vm *vm, unsigned ms);
/* Copy guest code to guest-physical gpa, turning VMMCALL into VMCALL on VMX. */
void vm_load_code(struct vm *vm, uint64_t gpa, const uint8_t *code, unsigned len);
