/* SPDX-License-Identifier: MIT */
/* One virtual PC: guest memory, vCPUs, the device models and the tables that connect them. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <lock.h>
#include <portal.h>

#include "core/bus.h"
#include "dev/acpi_pm.h"
#include "dev/debugcon.h"
#include "dev/hpet.h"
#include "dev/i8042.h"
#include "dev/i8254.h"
#include "dev/i8259.h"
#include "dev/ioapic.h"
#include "dev/lapic.h"
#include "dev/mc146818.h"
#include "dev/ns16550.h"
#include "dev/pci_host.h"
#include "dev/port80.h"
#include "dev/vdev.h"

#define VM_VCPUS_MAX 8
#define VM_EVENTS    0x102      /* exit portals per vCPU: events 0 .. 0x101 */
#define VM_NAME_MAX  32

struct vcpu;

/* A portal's PID: the handler finds its vCPU and event number here. */
struct vcpu_portal {
    struct portal_ctx ctx;      /* first: portal_entry relies on it */
    struct vcpu *vcpu;
    unsigned ev;
};

enum vcpu_state { VCPU_WAIT_SIPI, VCPU_STARTING, VCPU_RUNNING };

struct vcpu {
    struct vm *vm;
    unsigned id;                /* APIC ID and index */
    unsigned cpu;               /* host CPU of the vCPU and its handler */
    uint64_t ec, sc, wake_sm;   /* selectors */
    enum vcpu_state state;
    uint8_t sipi_vector;
    volatile bool halted;       /* blocked in HLT on wake_sm */
    volatile bool in_guest;     /* between a reply and the next exit */
    volatile bool kick_sent;    /* a recall is on its way */
    bool init_pending;          /* INIT arrived while running: reset at the next exit */
    volatile bool dead;         /* the VM stopped and this vCPU got its POISON reply */
    struct lapic lapic;
    uint64_t msr_misc_enable, msr_mtrr_def, msr_mtrr_var[16], msr_mtrr_fixed[11];
    uint64_t msr_cstar, msr_tsc_aux, msr_spec_ctrl, msr_de_cfg;
    uint64_t exits[VM_EVENTS];  /* statistics by normalised event number */
    struct vcpu_portal portals[VM_EVENTS];
};

struct vm {
    char name[VM_NAME_MAX];
    uint64_t pd, evt;           /* the VM's PD; its exit portal window (per vCPU: evt + id * 0x200) */
    uint8_t *ram;               /* the VMM's view of guest-physical [0, ram_size) */
    uint64_t ram_size, ram_phys;
    unsigned nvcpus;
    struct vcpu vcpu[VM_VCPUS_MAX];
    struct lock lock;
    struct bus pio, mmio;
    uint64_t tsc0, tsc_hz;      /* host TSC at creation: guest time 0 */
    uint64_t wallclock0;        /* host wall clock at tsc0 */
    struct vtimer *timers;      /* armed, sorted by deadline */
    uint64_t timer_sm;          /* wakes the device thread early */
    uint64_t timer_wake_ns;     /* when the device thread wakes next */
    volatile bool stopped;      /* powered off or killed */
    volatile int stop_reason;   /* VM_STOP_* */
    uint64_t stop_sm;           /* upped when the VM stops */
    struct i8259 pic;
    struct i8254 pit;
    struct ns16550 uart;
    struct mc146818 rtc;
    struct i8042 kbc;
    struct port80 port80;
    struct debugcon debugcon;
    struct ioapic ioapic;
    struct hpet hpet;
    struct acpi_pm pm;
    struct pci_host pci;
    bool hpet_legacy;           /* the HPET drives GSI 0 and 8 (vdev_hpet_legacy) */
    bool isa_timer_level[2];    /* the PIT's and the RTC's own lines, kept meanwhile */
    uint64_t boot_entry;        /* the kernel's 64-bit entry point */
    uint64_t boot_info_gpa;     /* the hostcall boot-info page */
};

enum { VM_STOP_NONE, VM_STOP_POWEROFF, VM_STOP_RESET, VM_STOP_FAULT };

/* Build the VM: PD, ram_size bytes of RAM that we map at ram (from the root's SVC_ALLOC, so at
   SVC_MEM_WINDOW + its physical address), devices, nvcpus vCPUs (vCPU i on host CPU
   (first_cpu + i) % host_cpus). 0 on success; else a message was printed. */
int vm_create(struct vm *vm, const char *name, uint8_t *ram, uint64_t ram_size, unsigned nvcpus,
              unsigned first_cpu, unsigned host_cpus);
/* Start the device thread and vCPU 0. */
int vm_start(struct vm *vm);

/* Guest time from the host TSC, and back (for sleeping until a guest deadline). */
uint64_t vm_now_ns(const struct vm *vm);
uint64_t vm_ns_to_tsc(const struct vm *vm, uint64_t ns);
/* After vm_stop: wait (up to ms) until no vCPU of the VM can run guest code any more. */
bool vm_wait_dead(struct vm *vm, unsigned ms);
/* Stop the VM for good (its vCPUs die at their next exit); the reason is reported. */
void vm_stop(struct vm *vm, int reason, const char *why);
