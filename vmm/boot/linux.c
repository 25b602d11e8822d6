/* SPDX-License-Identifier: MIT */
/* Booting Linux through its 64-bit boot protocol (Documentation/arch/x86/boot.rst): the
   protected-mode kernel at its preferred address, the zero page, an identity map and a flat GDT. */

#include "boot/linux.h"
#include "boot/bzimage.h"
#include "acpi/layout.h"
#include "acpi/tables.h"
#include "core/hostcall.h"

#include <format.h>
#include <nova/mtd.h>
#include <string.h>
#include <words.h>

#define MIB            0x100000ul
#define PAGE           0x1000ul
#define PTE_P          0x1ull
#define PTE_W          0x2ull
#define PTE_PS         0x80ull
#define BOOT_CS        0x10
#define BOOT_DS        0x18
#define AR_CODE64      0xa9b   /* present, DPL 0, code read/exec accessed, L, G */
#define AR_DATA        0xc93   /* present, DPL 0, data read/write accessed, D/B, G */
#define AR_TSS64_BUSY  0x08b
#define AR_UNUSABLE    0x1000
#define CR0_BOOT       0x80050033ull /* PG AM WP NE ET MP PE */
#define CR4_PAE        0x20ull
#define EFER_LME_LMA   0x500ull
#define E820_ENTRIES   8

static void identity_map(struct vm *vm)
{
    uint64_t *pml4 = (uint64_t *)(vm->ram + LINUX_PML4);
    uint64_t *pdpt = (uint64_t *)(vm->ram + LINUX_PML4 + PAGE);
    memset(pml4, 0, 6 * PAGE);
    pml4[0] = (LINUX_PML4 + PAGE) | PTE_P | PTE_W;
    for (unsigned g = 0; g < 4; g++) {
        uint64_t pd_gpa = LINUX_PML4 + (2 + g) * PAGE;
        uint64_t *pd = (uint64_t *)(vm->ram + pd_gpa);
        pdpt[g] = pd_gpa | PTE_P | PTE_W;
        for (unsigned i = 0; i < 512; i++)
            pd[i] = ((uint64_t)g << 30 | (uint64_t)i << 21) | PTE_P | PTE_W | PTE_PS;
    }
}

static void flat_gdt(struct vm *vm)
{
    uint64_t *gdt = (uint64_t *)(vm->ram + LINUX_GDT);
    gdt[0] = gdt[1] = 0;
    gdt[BOOT_CS / 8] = 0x00af9b000000ffffull;
    gdt[BOOT_DS / 8] = 0x00cf93000000ffffull;
}

/* RAM below the EBDA and from 1 MiB, the BIOS areas, and the MMIO that a PC's firmware also
   reports as reserved (Linux wants the ECAM window reserved in e820 to use it early). */
static unsigned e820(const struct vm *vm, struct bz_e820_entry *e)
{
    e[0] = (struct bz_e820_entry){0, LINUX_EBDA, BZ_E820_RAM};
    e[1] = (struct bz_e820_entry){LINUX_EBDA, 0xa0000 - LINUX_EBDA, BZ_E820_RESERVED};
    e[2] = (struct bz_e820_entry){LINUX_ACPI, LINUX_ACPI_SIZE, BZ_E820_RESERVED};
    e[3] = (struct bz_e820_entry){MIB, vm->ram_size - MIB, BZ_E820_RAM};
    e[4] = (struct bz_e820_entry){LAYOUT_ECAM_BASE, LAYOUT_ECAM_SIZE, BZ_E820_RESERVED};
    e[5] = (struct bz_e820_entry){LAYOUT_IOAPIC_BASE, PAGE, BZ_E820_RESERVED};
    e[6] = (struct bz_e820_entry){LAYOUT_HPET_BASE, PAGE, BZ_E820_RESERVED};
    e[7] = (struct bz_e820_entry){LAYOUT_LAPIC_BASE, PAGE, BZ_E820_RESERVED};
    return E820_ENTRIES;
}

/* Whether the command line already has a word starting with key. */
static bool has_option(const char *cmdline, const char *key)
{
    size_t wlen, klen = strlen(key);
    for (const char *w, *p = cmdline; (w = word_next(&p, &wlen));)
        if (wlen >= klen && memcmp(w, key, klen) == 0)
            return true;
    return false;
}

static size_t append(char *cmdline, size_t len, size_t size, const char *word)
{
    int n = snprintf(cmdline + len, size - len, "%s%s", len ? " " : "", word);
    return n > 0 && (size_t)n < size - len ? (size_t)n : 0;
}

/* What a Linux guest needs to be told on this VMM, as it is on KVM (appended unless the
   configuration's command line says otherwise):
   - tsc_early_khz= (Linux 5.8 and later): without kvmclock Linux calibrates the TSC against the
     PIT, HPET or PM timer, and each of those reads is a VM exit of 50-100 us here: more than the
     25 us its calibration tolerates per reference read (SMI_TRESHOLD), so every method fails and
     the TSC is marked unstable.
   - no_timer_check: Linux checks the timer interrupt by counting ticks within 80 ms of TSC time
     and panics ("IO-APIC + timer doesn't work") if fewer than 5 arrive; on a loaded host the
     emulator may not run the guest for that long. Linux sets it itself on KVM for that reason.
   Returns the bytes appended. */
static size_t guest_hints(const struct vm *vm, char *cmdline, size_t len, size_t size)
{
    size_t added = 0;
    if (!has_option(cmdline, "tsc_early_khz=")) {
        char word[32];
        snprintf(word, sizeof(word), "tsc_early_khz=%lu", vm->tsc_hz / 1000);
        added += append(cmdline, len + added, size, word);
    }
    if (!has_option(cmdline, "no_timer_check"))
        added += append(cmdline, len + added, size, "no_timer_check");
    return added;
}

/* The hostcall boot-info page (docs/hostcall.md). */
static void boot_info(struct vm *vm)
{
    struct hostcall_boot_info *bi = (struct hostcall_boot_info *)(vm->ram + LINUX_BOOT_INFO);
    memset(bi, 0, sizeof(*bi));
    memcpy(bi->magic, HOSTCALL_BOOT_INFO_MAGIC, sizeof(bi->magic));
    bi->version = 1;
    bi->ram_size = vm->ram_size;
    bi->vcpus = vm->nvcpus;
    bi->tsc_hz = vm->tsc_hz;
    memcpy(bi->name, vm->name, sizeof(bi->name) - 1);
    vm->boot_info_gpa = LINUX_BOOT_INFO;
}

int linux_check(const void *kernel, size_t kernel_size, uint64_t ram_size, char *err, size_t err_size)
{
    struct bzimage_info info;
    int rc = bzimage_parse(kernel, kernel_size, ram_size, &info);
    if (rc != BZ_OK)
        snprintf(err, err_size, "kernel: %s", bzimage_strerror(rc));
    return rc == BZ_OK ? 0 : -1;
}

int linux_load(struct vm *vm, const void *kernel, size_t kernel_size, const void *initrd, size_t initrd_size,
               const char *cmdline, char *err, size_t err_size)
{
    struct bzimage_info info;
    int rc = bzimage_parse(kernel, kernel_size, vm->ram_size, &info);
    if (rc != BZ_OK) {
        snprintf(err, err_size, "kernel: %s", bzimage_strerror(rc));
        return -1;
    }
    memcpy(vm->ram + info.load_addr, (const uint8_t *)kernel + info.kernel_offset, info.kernel_size);

    struct bz_e820_entry map[E820_ENTRIES];
    struct bzimage_boot boot = {.cmdline_addr = LINUX_CMDLINE, .cmdline_len = strlen(cmdline),
                                .rsdp_addr = LINUX_ACPI, .e820 = map, .e820_count = e820(vm, map)};
    if (boot.cmdline_len >= LINUX_EBDA - LINUX_CMDLINE) {
        snprintf(err, err_size, "command line too long (%lu bytes)", boot.cmdline_len);
        return -1;
    }
    memcpy(vm->ram + LINUX_CMDLINE, cmdline, boot.cmdline_len + 1);
    boot.cmdline_len += guest_hints(vm, (char *)vm->ram + LINUX_CMDLINE, boot.cmdline_len, LINUX_EBDA - LINUX_CMDLINE);
    if (initrd_size) {
        /* As high as the kernel allows, page-aligned, above the kernel's boot-time footprint. */
        uint64_t top = vm->ram_size < (uint64_t)info.initrd_addr_max + 1 ? vm->ram_size : info.initrd_addr_max + 1ull;
        uint64_t at = (top - initrd_size) & ~(PAGE - 1);
        if (initrd_size > top || at < info.load_addr + info.init_size) {
            snprintf(err, err_size, "initrd of %lu bytes does not fit in %lu MiB of memory next to the kernel",
                     (uint64_t)initrd_size, vm->ram_size / MIB);
            return -1;
        }
        memcpy(vm->ram + at, initrd, initrd_size);
        boot.initrd_addr = at;
        boot.initrd_size = initrd_size;
    }
    rc = bzimage_zero_page(kernel, kernel_size, &info, &boot, (struct bz_boot_params *)(vm->ram + LINUX_ZERO_PAGE));
    if (rc != BZ_OK) {
        snprintf(err, err_size, "zero page: %s", bzimage_strerror(rc));
        return -1;
    }
    struct acpi_machine m = {.ncpus = vm->nvcpus};
    if (!acpi_tables_build(vm->ram + LINUX_ACPI, LINUX_ACPI_SIZE, LINUX_ACPI, &m)) {
        snprintf(err, err_size, "ACPI tables do not fit");
        return -1;
    }
    identity_map(vm);
    flat_gdt(vm);
    boot_info(vm);
    vm->boot_entry = info.entry64;
    return 0;
}

uint64_t linux_boot_state(const struct vm *vm, struct nova_utcb_arch *a)
{
    a->cs = (struct nova_seg){BOOT_CS, AR_CODE64, 0xffffffff, 0};
    a->ss = a->ds = a->es = a->fs = a->gs = (struct nova_seg){BOOT_DS, AR_DATA, 0xffffffff, 0};
    a->tr = (struct nova_seg){0, AR_TSS64_BUSY, 0xffff, 0};
    a->ldtr = (struct nova_seg){0, AR_UNUSABLE, 0, 0};
    a->gdtr = (struct nova_seg){0, 0, 4 * 8 - 1, LINUX_GDT};
    a->idtr = (struct nova_seg){0, 0, 0, 0};
    a->cr0 = CR0_BOOT;
    a->cr3 = LINUX_PML4;
    a->cr4 = CR4_PAE;
    a->efer = EFER_LME_LMA;
    a->rip = vm->boot_entry;
    a->rflags = 2;
    a->rsi = LINUX_ZERO_PAGE;
    a->rsp = LINUX_STACK_TOP;
    a->rax = a->rbx = a->rcx = a->rdx = a->rdi = a->rbp = 0;
    a->intr_state = 0;
    return NOVA_MTD_CS_SS | NOVA_MTD_DS_ES | NOVA_MTD_FS_GS | NOVA_MTD_TR | NOVA_MTD_LDTR | NOVA_MTD_GDTR |
           NOVA_MTD_IDTR | NOVA_MTD_CR | NOVA_MTD_EFER;
}
