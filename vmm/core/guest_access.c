/* SPDX-License-Identifier: MIT */
/* A vCPU's view of memory: linear addresses through its page tables to RAM, APIC page or MMIO. */

#include "core/guest_access.h"

#include <string.h>

#define SEG_AR_L   0x200
#define SEG_AR_DB  0x400
#define PAGE_SIZE  0x1000ull

unsigned guest_code_bits(const struct nova_utcb_arch *a)
{
    if (!(a->cr0 & 1))
        return 16;
    if ((a->efer & X86_EFER_LMA) && (a->cs.ar & SEG_AR_L))
        return 64;
    return (a->cs.ar & SEG_AR_DB) ? 32 : 16;
}

static bool in_apic_page(const struct vcpu *v, uint64_t gpa)
{
    const struct lapic *l = &v->lapic;
    return lapic_enabled(l) && !lapic_x2apic(l) && (gpa & ~(PAGE_SIZE - 1)) == lapic_base(l);
}

void guest_phys_read(struct vcpu *v, uint64_t gpa, unsigned size, uint64_t *value)
{
    struct vm *vm = v->vm;
    *value = 0;
    if (gpa < vm->ram_size && size <= vm->ram_size - gpa)
        memcpy(value, vm->ram + gpa, size);
    else if (in_apic_page(v, gpa))
        *value = lapic_mmio_read(&v->lapic, gpa & (PAGE_SIZE - 1), size);
    else if (!bus_read(&vm->mmio, gpa, size, value))
        vdev_log(vm, "read of unclaimed address %#lx", gpa);
}

void guest_phys_write(struct vcpu *v, uint64_t gpa, unsigned size, uint64_t value)
{
    struct vm *vm = v->vm;
    if (gpa < vm->ram_size && size <= vm->ram_size - gpa)
        memcpy(vm->ram + gpa, &value, size);
    else if (in_apic_page(v, gpa))
        lapic_mmio_write(&v->lapic, gpa & (PAGE_SIZE - 1), size, value);
    else if (!bus_write(&vm->mmio, gpa, size, value))
        vdev_log(vm, "write of unclaimed address %#lx", gpa);
}

static int read_table(void *opaque, uint64_t gpa, uint64_t *value, unsigned size)
{
    struct vm *vm = opaque;
    *value = 0;
    if (gpa >= vm->ram_size || size > vm->ram_size - gpa)
        return -1;
    memcpy(value, vm->ram + gpa, size);
    return 0;
}

void guest_access_init(struct guest_access *g, struct vcpu *v, const struct nova_utcb_arch *a)
{
    memset(g, 0, sizeof(*g));
    g->vcpu = v;
    g->paging = (struct x86_paging){a->cr0, a->cr3, a->cr4, a->efer, 0, v->vm, read_table};
    g->user = (a->ss.ar >> 5 & 3) == 3;
}

static int translate(struct guest_access *g, uint64_t linear, unsigned access, uint64_t *gpa)
{
    struct x86_fault f;
    if (x86_walk(&g->paging, linear, access | (g->user ? X86_ACC_USER : 0), gpa, &f) == X86_WALK_OK)
        return 0;
    if (!g->faulted) {
        g->faulted = true;
        g->fault = f;
    }
    return -1;
}

/* An access of size bytes: one translation, or byte by byte where it crosses a page. */
static int access_linear(struct guest_access *g, uint64_t linear, unsigned size, uint64_t *value, bool write)
{
    uint64_t gpa;
    if ((linear & (PAGE_SIZE - 1)) + size <= PAGE_SIZE) {
        if (translate(g, linear, write ? X86_ACC_WRITE : 0, &gpa))
            return -1;
        if (write)
            guest_phys_write(g->vcpu, gpa, size, *value);
        else
            guest_phys_read(g->vcpu, gpa, size, value);
        return 0;
    }
    uint8_t bytes[8];
    memcpy(bytes, value, sizeof(bytes));
    for (unsigned i = 0; i < size; i++) {
        uint64_t b = bytes[i];
        if (translate(g, linear + i, write ? X86_ACC_WRITE : 0, &gpa))
            return -1;
        if (write)
            guest_phys_write(g->vcpu, gpa, 1, b);
        else {
            guest_phys_read(g->vcpu, gpa, 1, &b);
            bytes[i] = (uint8_t)b;
        }
    }
    if (!write)
        memcpy(value, bytes, sizeof(bytes));
    return 0;
}

int guest_read(void *opaque, uint64_t linear, unsigned size, uint64_t *value)
{
    *value = 0;
    return access_linear(opaque, linear, size, value, false);
}

int guest_write(void *opaque, uint64_t linear, unsigned size, uint64_t value)
{
    return access_linear(opaque, linear, size, &value, true);
}

int guest_copy_from(struct guest_access *g, uint64_t linear, void *buf, unsigned len, unsigned access)
{
    uint8_t *out = buf;
    for (unsigned i = 0; i < len; i++) {
        uint64_t gpa, b;
        if (translate(g, linear + i, access, &gpa))
            return -1;
        guest_phys_read(g->vcpu, gpa, 1, &b);
        out[i] = (uint8_t)b;
    }
    return 0;
}
