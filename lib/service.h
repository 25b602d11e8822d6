/* SPDX-License-Identifier: MIT */
/* The root task's services for the programs it starts: address-space layout, selectors, calls. */
#pragma once

#include <stdint.h>

/*
 * A client's address space. Its ELF segments lie in [SVC_IMAGE_LO, SVC_MEM_WINDOW). Memory it
 * is given appears at SVC_MEM_WINDOW + the physical address (as in the root task's window), so an
 * address names a frame system-wide; only the client's own frames are mapped there.
 */
#define SVC_IMAGE_LO   0x1000ull
#define SVC_MEM_WINDOW 0x100000000000ull
#define SVC_MEM_LIMIT  0x200000000000ull    /* physical addresses the window covers */
#define SVC_STACK_TOP  0x7fffff000000ull    /* initial RSP; the stack is SVC_STACK_SIZE below it */
#define SVC_STACK_SIZE 0x4000ull
#define SVC_INFO_VA    0x7fffffffc000ull    /* struct svc_info, read-only; RDI at entry */
#define SVC_UTCB_VA    0x7fffffffe000ull    /* the client's UTCB */

/* A client's object space: portals for its exceptions at SVC_SEL_EVT + vector and its start-up
   event (event permission only), and the service portal (call permission only). */
#define SVC_SEL_EVT  0x0
#define SVC_SEL_CALL 0x40

/*
 * Calls: ipc_call on SVC_SEL_CALL with word 0 = the operation; the reply's word 0 is the status.
 *   SVC_WRITE  word 1 = length (at most SVC_WRITE_MAX), the bytes from word 2: console output.
 *              The root prints whole lines, prefixed with the client's name when several run.
 *   SVC_ALLOC  word 1 = bytes (rounded up to pages): fresh zeroed memory counted against the
 *              client's limit; reply word 1 = its address (in the window above).
 *   SVC_WAIT   words 1-4 = a client's name (NUL-padded): returns when that client has ended;
 *              reply word 1 = SVC_END_*, word 2 = its exit code.
 *   SVC_EXIT   word 1 = exit code: the client ends and everything it had goes back to the root.
 *   SVC_READ   word 1 = most bytes wanted (at most SVC_READ_MAX): console input typed while the
 *              client has the input focus; waits for at least one byte. Reply word 1 = the
 *              count, the bytes from word 2. The root turns CR into LF and echoes nothing.
 */
enum svc_op { SVC_WRITE = 1, SVC_ALLOC, SVC_WAIT, SVC_EXIT, SVC_READ };

enum svc_status {
    SVC_OK = 0,
    SVC_E_REQUEST,  /* unknown operation or malformed message */
    SVC_E_LIMIT,    /* more than the client's memory limit */
    SVC_E_NOMEM,    /* the root has no free range that large */
    SVC_E_RANGES,   /* the client holds as many separate ranges as the root records */
    SVC_E_NAME,     /* no other client of that name */
};

enum svc_end { SVC_END_EXIT = 1, SVC_END_KILLED };

/*
 * Services for user-mode device drivers (docs/root.md section 4), one operation each:
 *   SVC_PIO  word 1 = first port, word 2 = count: the root delegates those I/O ports to the
 *            client's PD if no other client holds any of them and the root does not keep them.
 *   SVC_IRQ  word 1 = SVC_IRQ_GSI, word 2 = the GSI, word 3 = NOVA_ASSIGN_INT_T / _P flags; or
 *            word 1 = SVC_IRQ_MSI, word 2 = the BDF of a PCI device the client was given.
 *            The root routes the interrupt to the client's CPU and delegates its semaphore (down
 *            right only). Reply word 1 = the selector in the client's space, for MSI words 2-3 =
 *            the address and data the client writes into the device's MSI capability.
 *   SVC_PCI  word 1 = SVC_PCI_*:
 *            DEVICE  word 2 = index: reply word 1 = the BDF of the client's index-th device.
 *            READ    word 2 = BDF, word 3 = register offset, word 4 = size (1, 2 or 4, aligned):
 *                    reply word 1 = the value.
 *            WRITE   as READ, word 5 = the value; BARs and the ROM BAR are not writable.
 *            BAR     word 2 = BDF, word 3 = BAR index (0-5) of a memory BAR: the root maps it
 *                    uncached at SVC_MEM_WINDOW + its address; reply word 1 = the address in
 *                    the client, word 2 = its size.
 * A client's ports, interrupts and BAR mappings are taken back when it ends; the interrupts are
 * masked first.
 *
 * DMA (docs/root.md section 5): when the hypervisor drives an IOMMU, a client's devices are
 * assigned to its PD, and only the memory it got from SVC_ALLOC is in its DMA space, at I/O
 * address = physical address = SVC_DMA_ADDR(the address SVC_ALLOC returned). Its image, stack,
 * start-up page, BARs and everything else are not: DMA there is blocked and the kernel logs it.
 * Without an IOMMU, devices reach all memory (the root says so once).
 */
#define SVC_DMA_ADDR(va) ((va) - SVC_MEM_WINDOW)
#define SVC_PIO 6
#define SVC_IRQ 7
#define SVC_PCI 8

enum svc_irq_kind { SVC_IRQ_GSI = 1, SVC_IRQ_MSI };
enum svc_pci_op { SVC_PCI_DEVICE = 1, SVC_PCI_READ, SVC_PCI_WRITE, SVC_PCI_BAR };

/* The drivers' statuses (after those of enum svc_status, with room between). */
#define SVC_E_BUSY   16  /* another client holds (some of) it */
#define SVC_E_DENIED 17  /* the root keeps it, or the device is not the client's */
#define SVC_E_FULL   18  /* no free interrupt vector, or the root's table is full */

#define SVC_SEL_IRQ  0x80  /* the client's interrupt semaphores: SVC_SEL_IRQ + 0, 1, ... */
#define SVC_IRQ_MAX  8     /* interrupts one client can hold */
#define SVC_PCI_BDF(bus, dev, fn) (((bus) << 8) | ((dev) << 3) | (fn))
#define SVC_PCI_BUS(bdf)          ((bdf) >> 8)
#define SVC_PCI_DEV(bdf)          (((bdf) >> 3) & 0x1fu)
#define SVC_PCI_FN(bdf)           ((bdf) & 0x7u)
#define SVC_PCI_BDF_MAX           0xffffu

#define SVC_WRITE_MAX 256
#define SVC_READ_MAX  256
#define SVC_NAME_MAX  32   /* with the NUL */

/*
 * For a VMM (a client that runs a VM, docs/root.md section 7).
 *   SVC_WRITE  word 1 may also hold SVC_WRITE_PUSH: print a line that is not complete yet now
 *              (a prompt); what follows continues it unless another line came in between.
 *   SVC_READ   word 2 (optional) SVC_READ_NOWAIT: answer at once, with a count of 0 if nothing
 *              was typed.
 *   SVC_TIME   reply word 1 = the wall clock (seconds since 1970, UTC) the root read from the
 *              CMOS RTC at boot, word 2 = the TSC value at that reading, word 3 = the TSC's
 *              frequency in Hz.
 *   SVC_MODULE words 1-8 = a boot module's name (NUL-padded, as a configuration names it): the
 *              module is mapped read-only into the client at SVC_MEM_WINDOW + its physical
 *              address (not counted against the limit); reply word 1 = that address, word 2 =
 *              its size in bytes. SVC_E_NAME if no module has that name.
 */
enum svc_op_vmm { SVC_TIME = 9, SVC_MODULE = 10 };

#define SVC_WRITE_PUSH  (1ull << 32)
#define SVC_READ_NOWAIT 1ull
#define SVC_MODULE_NAME 64  /* with the NUL, as lib/config.h's module names */

/* A VM's section of the configuration, in the start-up page of the VMM that runs it (vcpus is 0
   for a client that is a plain program). NOVA_HIP_VADDR holds a read-only copy of the HIP and
   NOVA_SEL_PD_ROOT the VMM's own PD (create and ctrl rights), so code written for a root task
   finds its CPUs, TSC frequency and features, and its PD, where it expects them. */
struct svc_vm {
    uint64_t memory;            /* guest RAM in bytes */
    uint32_t vcpus;
    uint32_t cpu;               /* host CPU of vCPU 0, SVC_VM_CPU_ANY when not configured */
    char kernel[SVC_MODULE_NAME];
    char initrd[SVC_MODULE_NAME]; /* empty when none */
};

#define SVC_VM_CPU_ANY 0xffffffffu

/* The start-up page: who the client is and what it was given before it ran. */
#define SVC_INFO_MAGIC   0x6f666e6920637673ull /* "svc info" */
#define SVC_INFO_RANGES  12
#define SVC_CMDLINE_MAX  1024 /* with the NUL */

struct svc_range {
    uint64_t phys, va, size;
};

struct svc_info {
    uint64_t magic;
    uint64_t limit;             /* bytes of memory the client may hold */
    uint64_t used;              /* bytes it holds at start: image, stack, this page */
    uint32_t nranges;
    uint32_t pad;
    struct svc_range range[SVC_INFO_RANGES]; /* those bytes, in the order they were given */
    char name[SVC_NAME_MAX];
    char cmdline[SVC_CMDLINE_MAX];
    struct svc_vm vm;           /* for a VMM: its VM (above) */
};

_Static_assert(sizeof(struct svc_info) <= 4096, "the start-up page is one page");
