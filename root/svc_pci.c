/* SPDX-License-Identifier: MIT */
/* The PCI service: configuration reads and writes and BAR mappings, only for the devices a
   client's configuration section gives it (device pci bdf=BB:DD.F). */

#include "drivers.h"
#include "console.h"
#include "pci_cfg.h"

#include <format.h>
#include <hc.h>
#include <lock.h>
#include <nova/descriptors.h>
#include <nova/selectors.h>

#define PCI_DEVICES   32        /* devices given to all clients together */
#define PCI_MAPS      32        /* BAR mappings of all clients together */
#define PCI_BARS      6
#define BAR_IO        0x1u
#define BAR_TYPE_MASK 0x6u
#define BAR_TYPE_64   0x4u
#define BAR_ADDR_MASK (~0xfull)
#define BAR_ALL_ONES  0xffffffffu
#define PAGE          4096ull
#define MAP_ORDER_MAX 18        /* 1 GiB: the largest BAR we map */
#define DEVICE_SHIFT  16

struct pci_dev {
    unsigned bdf;
    struct client *owner;       /* NULL when the slot is free */
};

struct bar_map {
    struct client *owner;       /* NULL when the slot is free */
    unsigned bdf, bar, ord;
    uint64_t phys, size;
};

static struct pci_dev devs[PCI_DEVICES];
static struct bar_map maps[PCI_MAPS];
static struct lock pci_lock;

void svc_pci_init(uint64_t sel)
{
    lock_init(&pci_lock, sel);
}

static void bdf_text(unsigned bdf, char *buf, size_t len)
{
    snprintf(buf, len, "%02x:%02x.%u", SVC_PCI_BUS(bdf), SVC_PCI_DEV(bdf), SVC_PCI_FN(bdf));
}

void svc_pci_give(struct client *c, const struct config_vm *vm)
{
    for (unsigned d = 0; d < vm->devices; d++) {
        unsigned bdf;
        char name[16];
        if (!config_pci_bdf(&vm->device[d], &bdf))
            continue;
        bdf_text(bdf, name, sizeof(name));
        uint32_t id = pci_cfg_read(bdf, PCI_VENDOR, 4);
        if ((id & PCI_NO_DEVICE) == PCI_NO_DEVICE) {
            say("root: %s: pci %s: no device there\n", c->name, name);
            continue;
        }
        struct pci_dev *free = 0;
        lock_take(&pci_lock);
        for (unsigned i = 0; i < PCI_DEVICES && !free; i++)
            if (!devs[i].owner) {
                free = &devs[i];
                *free = (struct pci_dev){bdf, c};
            }
        lock_give(&pci_lock);
        if (free) {
            say("root: %s: given pci %s (%04x:%04x)\n", c->name, name, id & PCI_NO_DEVICE, id >> DEVICE_SHIFT);
            svc_dma_assign(c, bdf, name);
        } else
            say("root: %s: pci %s: the root's table of %u devices is full\n", c->name, name, PCI_DEVICES);
    }
}

bool svc_pci_owns(const struct client *c, unsigned bdf)
{
    bool own = false;
    lock_take(&pci_lock);
    for (unsigned i = 0; i < PCI_DEVICES && !own; i++)
        own = devs[i].owner == c && devs[i].bdf == bdf;
    lock_give(&pci_lock);
    return own;
}

/* Whether [off, off + size) is a register the service reads and writes for clients. */
static bool reg_valid(uint64_t off, uint64_t size)
{
    return (size == 1 || size == 2 || size == 4) && off < PCI_CFG_SIZE && off % size == 0;
}

/* Whether a write there could move a BAR (onto another device's or the root's memory). */
static bool reg_protected(unsigned off, unsigned size)
{
    return (off < PCI_BAR_END && off + size > PCI_BAR0) || (off < PCI_ROM + 4 && off + size > PCI_ROM);
}

/* Address and size of memory BAR bar; false for an I/O, absent or unusable one (smaller than a
   page, over 1 GiB, misaligned, beyond the client's window). The size comes
   from writing all ones with memory decoding off (PCI 3.0, 6.2.5.1). */
static bool bar_probe(unsigned bdf, unsigned bar, uint64_t *phys, uint64_t *size)
{
    unsigned off = PCI_BAR0 + 4 * bar;
    uint32_t lo = pci_cfg_read(bdf, off, 4), hi = 0, mlo, mhi = BAR_ALL_ONES;
    bool is64 = (lo & BAR_TYPE_MASK) == BAR_TYPE_64;
    if ((lo & BAR_IO) || (is64 && bar + 1 >= PCI_BARS))
        return false;
    uint32_t cmd = pci_cfg_read(bdf, PCI_COMMAND, 2);
    pci_cfg_write(bdf, PCI_COMMAND, 2, cmd & ~PCI_CMD_MEMORY);
    pci_cfg_write(bdf, off, 4, BAR_ALL_ONES);
    mlo = pci_cfg_read(bdf, off, 4);
    pci_cfg_write(bdf, off, 4, lo);
    if (is64) {
        hi = pci_cfg_read(bdf, off + 4, 4);
        pci_cfg_write(bdf, off + 4, 4, BAR_ALL_ONES);
        mhi = pci_cfg_read(bdf, off + 4, 4);
        pci_cfg_write(bdf, off + 4, 4, hi);
    }
    pci_cfg_write(bdf, PCI_COMMAND, 2, cmd);
    uint64_t mask = ((uint64_t)mhi << 32 | mlo) & BAR_ADDR_MASK;
    *phys = ((uint64_t)hi << 32 | lo) & BAR_ADDR_MASK;
    *size = mask ? ~mask + 1 : 0;
    /* A BAR smaller than a page may share it with another device's registers. */
    return *size >= PAGE && *phys && *phys % *size == 0 && *size <= (PAGE << MAP_ORDER_MAX) &&
           *phys + *size <= SVC_MEM_LIMIT;
}

/* Map memory BAR bar of bdf uncached at SVC_MEM_WINDOW + its address in c; SVC_OK and the mapping. */
static unsigned bar_map(struct client *c, unsigned bdf, unsigned bar, uint64_t *va, uint64_t *size)
{
    struct bar_map *m = 0;
    unsigned st = SVC_OK;
    lock_take(&pci_lock);
    for (unsigned i = 0; i < PCI_MAPS && !m; i++)
        if (maps[i].owner == c && maps[i].bdf == bdf && maps[i].bar == bar)
            m = &maps[i]; /* already mapped: the same answer again */
    for (unsigned i = 0; i < PCI_MAPS && !m; i++)
        if (!maps[i].owner) {
            uint64_t phys, bytes;
            if (!bar_probe(bdf, bar, &phys, &bytes)) {
                st = SVC_E_REQUEST;
                break;
            }
            unsigned ord = 0;
            while ((PAGE << ord) < bytes)
                ord++;
            if (hc_ctrl_pd(NOVA_SEL_PD_NOVA, c->sel + CS_PD, phys / PAGE, (SVC_MEM_WINDOW + phys) / PAGE, ord,
                           NOVA_PERM_MEM_R | NOVA_PERM_MEM_W, NOVA_SPC_MEM, NOVA_ACC_CPU_HST,
                           NOVA_CA_UC) != NOVA_SUCCESS) {
                st = SVC_E_DENIED;
                break;
            }
            m = &maps[i];
            *m = (struct bar_map){c, bdf, bar, ord, phys, bytes};
        }
    if (!m && st == SVC_OK)
        st = SVC_E_FULL;
    if (m) {
        *va = SVC_MEM_WINDOW + m->phys;
        *size = m->size;
    }
    lock_give(&pci_lock);
    return st;
}

/* One SVC_PCI operation on a device c owns; the reply's words. */
static unsigned pci_op(struct client *c, uint64_t *w, unsigned words)
{
    unsigned bdf = (unsigned)w[2];
    if (w[1] == SVC_PCI_READ && words >= 5 && reg_valid(w[3], w[4])) {
        w[1] = pci_cfg_read(bdf, (unsigned)w[3], (unsigned)w[4]);
        return 2;
    }
    if (w[1] == SVC_PCI_WRITE && words >= 6 && reg_valid(w[3], w[4])) {
        if (reg_protected((unsigned)w[3], (unsigned)w[4]))
            w[0] = SVC_E_DENIED;
        else
            pci_cfg_write(bdf, (unsigned)w[3], (unsigned)w[4], (uint32_t)w[5]);
        return 1;
    }
    if (w[1] == SVC_PCI_BAR && words >= 4 && w[3] < PCI_BARS) {
        char name[16];
        bdf_text(bdf, name, sizeof(name));
        w[0] = bar_map(c, bdf, (unsigned)w[3], &w[1], &w[2]);
        if (w[0] == SVC_OK)
            say("root: %s: pci %s bar %lu: %lu KiB mapped at %#lx\n", c->name, name, w[3], w[2] / 1024, w[1]);
        else
            say("root: %s: pci %s bar %lu refused: %s\n", c->name, name, w[3],
                w[0] == SVC_E_REQUEST ? "not a memory BAR the root can map" : "cannot be mapped");
        return w[0] == SVC_OK ? 3 : 1;
    }
    w[0] = SVC_E_REQUEST;
    return 1;
}

unsigned svc_pci_call(struct client *c, uint64_t *w, unsigned words)
{
    w[0] = SVC_OK;
    if (words >= 3 && w[1] == SVC_PCI_DEVICE) {
        unsigned n = 0;
        bool found = false;
        lock_take(&pci_lock);
        for (unsigned i = 0; i < PCI_DEVICES && !found; i++)
            if (devs[i].owner == c && n++ == w[2]) {
                found = true;
                w[1] = devs[i].bdf;
            }
        lock_give(&pci_lock);
        w[0] = found ? SVC_OK : SVC_E_NAME;
        return found ? 2 : 1;
    }
    if (words < 3 || w[2] > SVC_PCI_BDF_MAX) {
        w[0] = SVC_E_REQUEST;
        return 1;
    }
    if (!svc_pci_owns(c, (unsigned)w[2])) {
        char name[16];
        bdf_text((unsigned)w[2], name, sizeof(name));
        say("root: %s: pci %s refused: not its device\n", c->name, name);
        w[0] = SVC_E_DENIED;
        return 1;
    }
    return pci_op(c, w, words);
}

void svc_pci_release(struct client *c)
{
    lock_take(&pci_lock);
    for (unsigned i = 0; i < PCI_MAPS; i++)
        if (maps[i].owner == c) {
            hc_ctrl_pd(NOVA_SEL_PD_NOVA, c->sel + CS_PD, maps[i].phys / PAGE, (SVC_MEM_WINDOW + maps[i].phys) / PAGE,
                       maps[i].ord, 0, NOVA_SPC_MEM, NOVA_ACC_CPU_HST, NOVA_CA_UC);
            maps[i].owner = 0;
        }
    /* Its devices stay its (the configuration gave them), but stop their DMA and MSIs. */
    for (unsigned i = 0; i < PCI_DEVICES; i++) {
        if (devs[i].owner != c)
            continue;
        unsigned bdf = devs[i].bdf, msi = pci_cfg_cap(bdf, PCI_CAP_MSI);
        pci_cfg_write(bdf, PCI_COMMAND, 2, pci_cfg_read(bdf, PCI_COMMAND, 2) & ~PCI_CMD_MASTER);
        if (msi)
            pci_cfg_write(bdf, msi, 4, pci_cfg_read(bdf, msi, 4) & ~PCI_MSI_ENABLE);
    }
    lock_give(&pci_lock);
}
