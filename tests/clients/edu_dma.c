/* SPDX-License-Identifier: MIT */
/* The test client's edu-dma command: QEMU's edu device copies a pattern between a page we got
   from SVC_ALLOC and its own buffer (at the page's DMA address, docs/root.md section 5), then
   is pointed at an address typed on the console (another client's memory) to show that the
   IOMMU confines it. */

#include "driver.h"

#include <client.h>
#include <hc.h>
#include <stdio.h>

#define PCI_COMMAND     0x04
#define PCI_CMD_MEMORY  0x0002u
#define PCI_CMD_MASTER  0x0004u
#define EDU_DMA_SRC     0x80     /* BAR 0 registers, 64-bit, written as two halves */
#define EDU_DMA_DST     0x88
#define EDU_DMA_COUNT   0x90
#define EDU_DMA_CMD     0x98
#define EDU_CMD_RUN     0x1u
#define EDU_CMD_TO_RAM  0x2u     /* direction: edu's buffer to RAM */
#define EDU_BUFFER      0x40000u /* edu's 4 KiB buffer in its DMA address space */
#define EDU_DMA_REACH   (1ull << 28) /* edu's DMA mask: 28 bits */
#define DMA_LEN         64u
#define BACK_OFFSET     0x800u   /* where the pattern comes back into our page */
#define PATTERN         0xd0a70000u
#define PAGE            4096u
#define WAIT_CYCLES     20000000000ull /* TSC cycles: seconds */
#define LINE_MAX        32

static void reg64(volatile uint32_t *edu, unsigned off, uint64_t v)
{
    edu[off / 4] = (uint32_t)v;
    edu[off / 4 + 1] = (uint32_t)(v >> 32);
}

/* One transfer of DMA_LEN bytes from src to dst (to_ram: from edu's buffer); false if the
   engine did not finish. */
static bool edu_copy(volatile uint32_t *edu, uint64_t src, uint64_t dst, bool to_ram)
{
    reg64(edu, EDU_DMA_SRC, src);
    reg64(edu, EDU_DMA_DST, dst);
    reg64(edu, EDU_DMA_COUNT, DMA_LEN);
    edu[EDU_DMA_CMD / 4] = EDU_CMD_RUN | (to_ram ? EDU_CMD_TO_RAM : 0);
    uint64_t end = rdtsc_now() + WAIT_CYCLES;
    while ((edu[EDU_DMA_CMD / 4] & EDU_CMD_RUN) && rdtsc_now() < end)
        ;
    return !(edu[EDU_DMA_CMD / 4] & EDU_CMD_RUN);
}

/* Our first device's registers (memory decoding and bus mastering on), or NULL after saying why. */
static volatile uint32_t *edu_open(void)
{
    unsigned bdf = 0;
    uint32_t cmd = 0;
    uint64_t va = 0, size = 0;
    unsigned st = client_pci_device(0, &bdf);
    if (st == SVC_OK)
        st = client_pci_bar(bdf, 0, &va, &size);
    if (st == SVC_OK)
        st = client_pci_read(bdf, PCI_COMMAND, 2, &cmd);
    if (st == SVC_OK)
        st = client_pci_write(bdf, PCI_COMMAND, 2, cmd | PCI_CMD_MEMORY | PCI_CMD_MASTER);
    if (st != SVC_OK) {
        printf("edu-dma: device 0 and its bar 0: %s\n", status_name(st));
        return 0;
    }
    return (volatile uint32_t *)va;
}

/* A line of console input as a number; false if it is not one. */
static bool read_number(unsigned *v)
{
    char line[LINE_MAX];
    unsigned n = 0;
    while (n < sizeof(line)) {
        unsigned got = client_read(line + n, 1);
        if (!got)
            return false;
        if (line[n] == '\n')
            break;
        n += got;
    }
    return n < sizeof(line) && parse_num(line, n, v);
}

void edu_dma_run(void)
{
    volatile uint32_t *edu = edu_open();
    uint64_t va = 0;
    if (!edu)
        return;
    unsigned st = client_alloc(PAGE, &va);
    if (st != SVC_OK) {
        printf("edu-dma: no page: %s\n", status_name(st));
        return;
    }
    uint64_t dma = SVC_DMA_ADDR(va);
    if (dma + PAGE > EDU_DMA_REACH) {
        printf("edu-dma: our page at DMA address %#lx is beyond edu's 28-bit reach\n", dma);
        return;
    }
    volatile uint32_t *p = (volatile uint32_t *)va, *back = p + BACK_OFFSET / 4;
    for (unsigned i = 0; i < DMA_LEN / 4; i++)
        p[i] = PATTERN + i;
    bool ran = edu_copy(edu, dma, EDU_BUFFER, false) && edu_copy(edu, EDU_BUFFER, dma + BACK_OFFSET, true);
    unsigned same = 0;
    for (unsigned i = 0; i < DMA_LEN / 4; i++)
        same += back[i] == PATTERN + i;
    printf("dma through our page: %s\n", !ran ? "engine stuck" : same == DMA_LEN / 4 ? "pattern arrived"
                                                                                     : "pattern did NOT arrive");

    unsigned target = 0;
    printf("edu-dma: DMA address to write?\n");
    if (!read_number(&target)) {
        printf("edu-dma: expected a number\n");
        return;
    }
    ran = edu_copy(edu, EDU_BUFFER, target, true);
    printf("dma to %#x: %s\n", target, ran ? "engine finished" : "engine stuck");
}
