/* SPDX-License-Identifier: MIT */
/* The interface device models see (ARCHITECTURE.md section 5): register blocks, interrupt lines,
   time and timers, guest memory, the console and machine-level requests. Device models never make
   hypercalls: the VMM implements these functions (vmm/core/), host unit tests fake them
   (tests/unit/fake/vdev.c), so every device file builds into both. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vm; /* opaque to device models */

/* A register block. offset is from the block's base; size is 1, 2, 4 or 8. Reads of bytes a
   device does not implement return all ones, writes to them are ignored (as on a real bus). */
struct vdev_ops {
    uint64_t (*read)(void *dev, uint64_t offset, unsigned size);
    void (*write)(void *dev, uint64_t offset, unsigned size, uint64_t value);
};

/* Claim guest I/O ports [base, base + len) or guest-physical MMIO [base, base + len).
   0 on success, -1 if the range overlaps one already claimed or the table is full. */
int vdev_pio_register(struct vm *vm, uint16_t base, uint16_t len, const struct vdev_ops *ops, void *dev);
int vdev_mmio_register(struct vm *vm, uint64_t base, uint64_t len, const struct vdev_ops *ops, void *dev);

/* Interrupt lines, numbered as GSIs: 0-15 reach both the i8259 pair (ISA IRQ n) and the IOAPIC
   (pin n, after the ISA overrides in our MADT: IRQ 0 -> pin 2), 16-23 only the IOAPIC.
   level true = asserted. Edge devices assert and deassert (vdev_irq_pulse). */
void vdev_irq_set(struct vm *vm, unsigned gsi, bool level);
static inline void vdev_irq_pulse(struct vm *vm, unsigned gsi)
{
    vdev_irq_set(vm, gsi, true);
    vdev_irq_set(vm, gsi, false);
}

/* The ISA timers' lines: the PIT's (GSI 0) and the RTC's (GSI 8). While the HPET's legacy
   replacement route is on, the HPET drives those two lines instead: the timers' levels are kept
   but reach no interrupt controller, as on a PC's chipset. */
void vdev_isa_timer_irq(struct vm *vm, unsigned gsi, bool level);
/* The HPET turns its legacy replacement route on or off (before it drives the lines itself when
   turning it on, after it let go of them when turning it off). */
void vdev_hpet_legacy(struct vm *vm, bool on);

/* Interrupt messages from the IOAPIC and from LAPIC IPIs, in the architectural MSI layout:
   address 0xfee00000 | dest_id << 12 | dest_mode_logical << 2, data vector | delivery_mode << 8 |
   level << 14 | trigger_level << 15. The VMM routes them to the vCPUs' local APICs. */
void vdev_msi(struct vm *vm, uint64_t address, uint32_t data);
/* An IPI from the local APIC with ID src: icr_low and the destination field as the guest wrote
   them (xAPIC: dest = ICR bits 56-63; x2APIC: the full 32-bit destination). The VMM resolves the
   shorthand and destination (lapic_matches) and delivers fixed, lowest-priority, NMI, INIT and
   SIPI messages. */
void vdev_ipi(struct vm *vm, unsigned src, uint32_t icr_low, uint32_t dest);
/* A local APIC has a new interrupt for its vCPU (index = APIC ID): get the vCPU to look. */
void vdev_vcpu_kick(struct vm *vm, unsigned vcpu);
/* The guest ended a level-triggered interrupt with this vector at a local APIC (IOAPIC remote IRR). */
void vdev_eoi(struct vm *vm, unsigned vector);

/* Guest time in nanoseconds; monotonic, from an arbitrary start (the VMM uses the host TSC's
   zero). The guest TSC counts at vdev_tsc_hz() from the same start, so
   guest_tsc = now_ns * tsc_hz / 1e9 (up to rounding). */
uint64_t vdev_now_ns(struct vm *vm);
uint64_t vdev_tsc_hz(struct vm *vm);
/* Wall-clock time of the host, in seconds since 1970-01-01 00:00:00 UTC. */
uint64_t vdev_wallclock_s(struct vm *vm);

/* One-shot timers. fire runs once when vdev_now_ns() >= deadline_ns, in the VMM's device
   context (never inside another device callback); it may re-arm. Arming an armed timer moves it. */
struct vtimer {
    uint64_t deadline_ns;
    void (*fire)(struct vtimer *t);
    void *dev;                  /* for fire */
    bool armed;                 /* owned by the implementation */
    struct vtimer *next;        /* owned by the implementation */
};
void vdev_timer_arm(struct vm *vm, struct vtimer *t, uint64_t deadline_ns);
void vdev_timer_cancel(struct vm *vm, struct vtimer *t);

/* Guest-physical memory (RAM only, not MMIO). false if any byte is outside guest RAM. */
bool vdev_mem_read(struct vm *vm, uint64_t gpa, void *buf, size_t len);
bool vdev_mem_write(struct vm *vm, uint64_t gpa, const void *buf, size_t len);

/* Bytes for the VM's console (a UART's transmitter). */
void vdev_console_write(struct vm *vm, const char *buf, size_t len);

/* Machine-level requests: power off (ACPI S5) and reset (i8042 0xfe, reset register, 0xcf9). */
void vdev_poweroff(struct vm *vm);
void vdev_reset(struct vm *vm);

/* A message about guest behaviour worth knowing (unsupported register, bad width): printed with
   the VM's name. Devices log a given problem once, not on every access. */
__attribute__((format(printf, 2, 3))) void vdev_log(struct vm *vm, const char *fmt, ...);
