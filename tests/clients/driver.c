/* SPDX-License-Identifier: MIT */
/* The test client's commands for the root's driver services: ports, interrupts, PCI and the edu
   device (QEMU's educational PCI device: an ID register, a liveness register and an interrupt it
   raises on request). */

#include "driver.h"

#include <client.h>
#include <hc.h>
#include <nova/hypercall.h>
#include <portio.h>
#include <stdio.h>
#include <string.h>

#define PCI_VENDOR      0x00
#define PCI_COMMAND     0x04
#define PCI_STATUS      0x06
#define PCI_BAR0        0x10
#define PCI_CAP_PTR     0x34
#define PCI_CMD_MEMORY  0x0002u
#define PCI_CMD_MASTER  0x0004u
#define PCI_STATUS_CAPS 0x0010u
#define PCI_CAP_MSI     0x05
#define PCI_CAP_ID      0xffu
#define PCI_CAP_NEXT    8
#define PCI_DWORD_MASK  0xfcu
#define MSI_CTL         2         /* offsets in the MSI capability */
#define MSI_ADDR        4
#define MSI_DATA32      8
#define MSI_DATA64      12
#define MSI_ADDR_HI     8
#define MSI_CTL_ENABLE  0x0001u
#define MSI_CTL_64      0x0080u
#define ID_SHIFT        16
#define VENDOR_MASK     0xffffu
#define EDU_ID          0x00     /* registers of BAR0, 32-bit */
#define EDU_LIVENESS    0x04     /* reads back the inverse of what was written */
#define EDU_STATUS      0x24     /* interrupt status */
#define EDU_RAISE       0x60
#define EDU_ACK         0x64
#define EDU_VALUE       0xabcu
#define LIVENESS_VALUE  0x12345678u
#define WAIT_CYCLES     20000000000ull  /* TSC cycles to wait for an interrupt: seconds */
#define KIB             1024u
#define UART_IER        1         /* 16550 registers, from its base port */
#define UART_IIR        2
#define UART_MCR        4
#define IER_THRE        0x02u     /* interrupt while the transmitter is empty */
#define MCR_OUT2        0x08u     /* gates the interrupt line on PC boards */

static uint64_t last_irq;         /* the semaphore of the last interrupt we were given */

const char *status_name(unsigned st)
{
    static const char *const names[] = {
        [SVC_OK] = "ok",           [SVC_E_REQUEST] = "bad request", [SVC_E_LIMIT] = "over the limit",
        [SVC_E_NOMEM] = "no memory", [SVC_E_RANGES] = "too many ranges", [SVC_E_NAME] = "no such client",
        [SVC_E_BUSY] = "busy",     [SVC_E_DENIED] = "denied",      [SVC_E_FULL] = "full",
    };
    return st < sizeof(names) / sizeof(names[0]) && names[st] ? names[st] : "unknown status";
}

bool parse_num(const char *s, size_t len, unsigned *v)
{
    unsigned base = 10, n = 0;
    if (len > 2 && s[0] == '0' && s[1] == 'x')
        base = 16, s += 2, len -= 2;
    if (!len)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0') : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) : 99;
        if (d >= base)
            return false;
        n = n * base + d;
    }
    *v = n;
    return true;
}

/* BB:DD.F in hex. */
static bool parse_bdf(const char *s, size_t len, unsigned *bdf)
{
    unsigned bus, dev, fn;
    char hex[8] = "0x";
    if (len != 7 || s[2] != ':' || s[5] != '.')
        return false;
    memcpy(hex + 2, s, 2);
    if (!parse_num(hex, 4, &bus))
        return false;
    memcpy(hex + 2, s + 3, 2);
    if (!parse_num(hex, 4, &dev) || !parse_num(s + 6, 1, &fn))
        return false;
    *bdf = SVC_PCI_BDF(bus, dev, fn);
    return true;
}

static void do_pio(const char *arg, size_t len)
{
    const char *colon = memchr(arg, ':', len);
    unsigned base, count;
    if (!colon || !parse_num(arg, (size_t)(colon - arg), &base) ||
        !parse_num(colon + 1, len - (size_t)(colon + 1 - arg), &count)) {
        printf("pio: expected BASE:COUNT\n");
        return;
    }
    unsigned st = client_pio(base, count);
    printf("ports %#x-%#x: %s\n", base, base + count - 1, st == SVC_OK ? "granted" : status_name(st));
}

/* Read a port: one we were not given stops us with #GP and the root ends us. */
static void do_inb(unsigned port)
{
    printf("reading port %#x\n", port);
    uint8_t v = inb((uint16_t)port);
    printf("read %#x from port %#x\n", v, port);
}

static void do_gsi(unsigned gsi)
{
    uint64_t sel = 0;
    unsigned st = client_irq_gsi(gsi, 0, &sel);
    if (st == SVC_OK) {
        last_irq = sel;
        printf("gsi %u: selector %#lx\n", gsi, sel);
    }
    else
        printf("gsi %u: %s\n", gsi, status_name(st));
}

/* Have the 16550 at port raise its transmitter-empty interrupt: its line drops, then rises. */
static void uart_raise(unsigned port)
{
    outb((uint16_t)(port + UART_IER), 0);
    inb((uint16_t)(port + UART_IIR));
    outb((uint16_t)(port + UART_MCR), MCR_OUT2);
    outb((uint16_t)(port + UART_IER), IER_THRE);
}

/* Whether an interrupt is counted on the last semaphore we were given (taking it). */
static void do_irq_pending(void)
{
    unsigned st = hc_sm_down(last_irq, 0, 1); /* a deadline long past: no waiting */
    printf("%s\n", st == NOVA_SUCCESS ? "interrupt pending" : "no interrupt pending");
}

/* Raise the 16550's interrupt at port and wait for the last GSI we were given (the UART's
   line) on our CPU. */
static void do_uart_irq(unsigned port)
{
    uart_raise(port);
    unsigned st = hc_sm_down(last_irq, 0, rdtsc_now() + WAIT_CYCLES);
    uint8_t iir = inb((uint16_t)(port + UART_IIR)); /* clears the pending interrupt */
    outb((uint16_t)(port + UART_IER), 0);
    if (st == NOVA_SUCCESS)
        printf("uart %#x interrupt arrived, iir %#x\n", port, iir);
    else
        printf("uart %#x interrupt did NOT arrive (%s)\n", port, nova_status_name(st));
}

static void do_msi(unsigned bdf)
{
    uint64_t sel = 0, addr = 0, data = 0;
    unsigned st = client_irq_msi(bdf, &sel, &addr, &data);
    printf("msi of %02x:%02x.%u: %s\n", SVC_PCI_BUS(bdf), SVC_PCI_DEV(bdf), SVC_PCI_FN(bdf), status_name(st));
}

static void do_pci_read(unsigned bdf)
{
    uint32_t id = 0;
    unsigned st = client_pci_read(bdf, PCI_VENDOR, 4, &id);
    printf("pci %02x:%02x.%u id: %s %#x\n", SVC_PCI_BUS(bdf), SVC_PCI_DEV(bdf), SVC_PCI_FN(bdf), status_name(st), id);
}

static uint32_t cfg(unsigned bdf, unsigned off, unsigned size)
{
    uint32_t v = 0;
    client_pci_read(bdf, off, size, &v);
    return v;
}

static unsigned msi_cap(unsigned bdf)
{
    if (!(cfg(bdf, PCI_STATUS, 2) & PCI_STATUS_CAPS))
        return 0;
    unsigned cap = cfg(bdf, PCI_CAP_PTR, 1) & PCI_DWORD_MASK;
    while (cap && (cfg(bdf, cap, 1) & PCI_CAP_ID) != PCI_CAP_MSI)
        cap = (cfg(bdf, cap, 2) >> PCI_CAP_NEXT) & PCI_DWORD_MASK;
    return cap;
}

/* Have edu raise an interrupt and wait for its semaphore on our CPU. */
static bool edu_interrupt(volatile uint32_t *edu, uint64_t sel, unsigned n)
{
    uint64_t t0 = rdtsc_now();
    edu[EDU_RAISE / 4] = EDU_VALUE + n;
    unsigned st = hc_sm_down(sel, 0, t0 + WAIT_CYCLES);
    uint64_t cycles = rdtsc_now() - t0;
    uint32_t status = edu[EDU_STATUS / 4];
    edu[EDU_ACK / 4] = status;
    if (st == NOVA_SUCCESS)
        printf("interrupt %u arrived, edu status %#x\ninterrupt %u: %lu TSC cycles from the raise to the "
               "return of sm_down\n", n, status, n, cycles);
    else
        printf("interrupt %u did NOT arrive (%s), edu status %#x\n", n, nova_status_name(st), status);
    return st == NOVA_SUCCESS;
}

/* Find edu among our devices, map its registers, take its MSI and see two interrupts arrive. */
static void do_edu(void)
{
    unsigned bdf = 0, st = client_pci_device(0, &bdf);
    if (st != SVC_OK) {
        printf("edu: no pci device: %s\n", status_name(st));
        return;
    }
    uint32_t id = cfg(bdf, PCI_VENDOR, 4);
    printf("device 0: %02x:%02x.%u, vendor %04x device %04x\n", SVC_PCI_BUS(bdf), SVC_PCI_DEV(bdf),
           SVC_PCI_FN(bdf), id & VENDOR_MASK, id >> ID_SHIFT);
    printf("writing its bar 0: %s\n", status_name(client_pci_write(bdf, PCI_BAR0, 4, 0)));
    uint64_t va = 0, size = 0;
    st = client_pci_bar(bdf, 0, &va, &size);
    if (st != SVC_OK) {
        printf("edu: bar 0: %s\n", status_name(st));
        return;
    }
    volatile uint32_t *edu = (volatile uint32_t *)va;
    edu[EDU_LIVENESS / 4] = LIVENESS_VALUE;
    uint32_t live = edu[EDU_LIVENESS / 4];
    printf("bar 0: %lu KiB, identification %#x, liveness %s\n", size / KIB, edu[EDU_ID / 4],
           live == ~LIVENESS_VALUE ? "ok" : "WRONG");
    client_pci_write(bdf, PCI_COMMAND, 2, cfg(bdf, PCI_COMMAND, 2) | PCI_CMD_MEMORY | PCI_CMD_MASTER);

    unsigned cap = msi_cap(bdf);
    uint64_t sel = 0, addr = 0, data = 0;
    st = cap ? client_irq_msi(bdf, &sel, &addr, &data) : SVC_E_REQUEST;
    if (st != SVC_OK) {
        printf("edu: msi (capability at %#x): %s\n", cap, status_name(st));
        return;
    }
    printf("msi: selector %#lx\n", sel);
    uint32_t ctl = cfg(bdf, cap + MSI_CTL, 2);
    client_pci_write(bdf, cap + MSI_ADDR, 4, (uint32_t)addr);
    if (ctl & MSI_CTL_64)
        client_pci_write(bdf, cap + MSI_ADDR_HI, 4, 0);
    client_pci_write(bdf, cap + (ctl & MSI_CTL_64 ? MSI_DATA64 : MSI_DATA32), 2, (uint32_t)data);
    client_pci_write(bdf, cap + MSI_CTL, 2, ctl | MSI_CTL_ENABLE);
    if (edu_interrupt(edu, sel, 1))
        edu_interrupt(edu, sel, 2);
}

bool driver_command(const char *w, size_t len)
{
    unsigned n;
    if (len > 4 && !strncmp(w, "pio=", 4))
        do_pio(w + 4, len - 4);
    else if (len > 4 && !strncmp(w, "inb=", 4) && parse_num(w + 4, len - 4, &n))
        do_inb(n);
    else if (len > 4 && !strncmp(w, "gsi=", 4) && parse_num(w + 4, len - 4, &n))
        do_gsi(n);
    else if (len > 9 && !strncmp(w, "uart-irq=", 9) && parse_num(w + 9, len - 9, &n))
        do_uart_irq(n);
    else if (len > 11 && !strncmp(w, "uart-raise=", 11) && parse_num(w + 11, len - 11, &n))
        uart_raise(n);
    else if (len == 11 && !strncmp(w, "irq-pending", 11))
        do_irq_pending();
    else if (len > 4 && !strncmp(w, "msi=", 4) && parse_bdf(w + 4, len - 4, &n))
        do_msi(n);
    else if (len > 9 && !strncmp(w, "pci-read=", 9) && parse_bdf(w + 9, len - 9, &n))
        do_pci_read(n);
    else if (len == 3 && !strncmp(w, "edu", 3))
        do_edu();
    else if (len == 7 && !strncmp(w, "edu-dma", 7))
        edu_dma_run();
    else
        return false;
    return true;
}
