/* SPDX-License-Identifier: MIT */
/* The root task's memory pool: all usable RAM taken from PD_NOVA, handed out in page ranges. */

#include "memory.h"
#include "console.h"
#include "lock.h"

#include <frames.h>
#include <hc.h>
#include <nova/selectors.h>
#include <physmap.h>
#include <service.h>
#include <string.h>

#define LOW_MEMORY   0x100000ull   /* real-mode area: BIOS data, EBDA, the APs' start-up page */
#define BIG_PAGE     0x200000ull
#define ORDER_MAX    18            /* 1 GiB, the largest page the kernel maps */
#define KIB          1024u

static struct frames pool;
static struct lock pool_lock;

/* The largest order (at most ORDER_MAX) at which both page numbers are aligned and that pages covers. */
static unsigned chunk_order(uint64_t a, uint64_t b, uint64_t pages)
{
    unsigned ord = 0;
    while (ord < ORDER_MAX && !(((a | b) >> ord) & 1) && (2ull << ord) <= pages)
        ord++;
    return ord;
}

/* Delegate pages from src (page numbers in spd's space) to dst in dpd's space acc, piece by piece. */
static unsigned delegate_acc(uint64_t spd, uint64_t dpd, uint64_t src, uint64_t dst, uint64_t pages, unsigned pmm,
                             unsigned acc)
{
    while (pages) {
        unsigned ord = chunk_order(src, dst, pages);
        unsigned st = hc_ctrl_pd(spd, dpd, src, dst, ord, pmm, NOVA_SPC_MEM, acc, NOVA_CA_WB);
        if (st != NOVA_SUCCESS)
            return st;
        src += 1ull << ord;
        dst += 1ull << ord;
        pages -= 1ull << ord;
    }
    return NOVA_SUCCESS;
}

static unsigned delegate(uint64_t spd, uint64_t dpd, uint64_t src, uint64_t dst, uint64_t pages, unsigned pmm)
{
    return delegate_acc(spd, dpd, src, dst, pages, pmm, NOVA_ACC_CPU_HST);
}

unsigned memory_map_dma(uint64_t pd, uint64_t phys, uint64_t size, unsigned pmm)
{
    return delegate_acc(NOVA_SEL_PD_ROOT, pd, (PHYS_WINDOW + phys) >> NOVA_PAGE_SHIFT, phys >> NOVA_PAGE_SHIFT,
                        size >> NOVA_PAGE_SHIFT, pmm, NOVA_ACC_DMA_HST);
}

unsigned memory_map(uint64_t pd, uint64_t phys, uint64_t va, uint64_t size, unsigned pmm)
{
    return delegate(NOVA_SEL_PD_ROOT, pd, (PHYS_WINDOW + phys) >> NOVA_PAGE_SHIFT, va >> NOVA_PAGE_SHIFT,
                    size >> NOVA_PAGE_SHIFT, pmm);
}

unsigned memory_map_module(uint64_t pd, uint64_t start, uint64_t end)
{
    uint64_t first = start >> NOVA_PAGE_SHIFT, last = (end + NOVA_PAGE_SIZE - 1) >> NOVA_PAGE_SHIFT;
    return delegate(NOVA_SEL_PD_NOVA, pd, first, (PHYS_WINDOW >> NOVA_PAGE_SHIFT) + first, last - first,
                    NOVA_PERM_MEM_R);
}

static void exclude(uint64_t base, uint64_t end)
{
    if (!frames_remove(&pool, base, end))
        say("root: memory: cannot leave out [%#lx-%#lx): range table full\n", base, end);
}

/* A string of the boot information (multiboot v1 keeps them outside the information structure). */
static void exclude_string(const char *s)
{
    if ((uint64_t)s < PHYS_WINDOW) /* absent: the parser's own "" */
        return;
    uint64_t phys = (uint64_t)s - PHYS_WINDOW;
    exclude(phys, phys + strlen(s) + 1);
}

bool memory_init(const struct nova_hip *hip, const struct mb_info *mb, uint64_t sel)
{
    frames_init(&pool);
    lock_init(&pool_lock, sel);
    for (unsigned i = 0; i < mb->nmem; i++)
        if (mb->mem[i].type == MB_MEM_AVAILABLE &&
            !frames_add(&pool, mb->mem[i].base, mb->mem[i].base + mb->mem[i].len))
            say("root: memory: [%#lx-%#lx) left out: overlaps another entry or the table is full\n",
                mb->mem[i].base, mb->mem[i].base + mb->mem[i].len);
    exclude(0, LOW_MEMORY);
    exclude(SVC_MEM_LIMIT, ~0ull); /* beyond what a client's window can show */
    exclude(hip->nova_start, hip->nova_end);
    exclude(hip->mbuf_start, hip->mbuf_end);
    exclude(mb->info_start, mb->info_end);
    exclude_string(mb->cmdline);
    for (unsigned i = 0; i < mb->nmods; i++) {
        exclude(mb->mods[i].start, mb->mods[i].end);
        exclude_string(mb->mods[i].cmdline);
    }

    /* Map the pool into our window; what PD_NOVA does not give is left out. Delegation keeps only
       the permissions the source has: executable, so that clients can run code from it. */
    for (unsigned i = 0; i < pool.n; i++) {
        struct frame_range r = pool.r[i];
        unsigned st = delegate(NOVA_SEL_PD_NOVA, NOVA_SEL_PD_ROOT, r.base >> NOVA_PAGE_SHIFT,
                               (PHYS_WINDOW + r.base) >> NOVA_PAGE_SHIFT, (r.end - r.base) >> NOVA_PAGE_SHIFT,
                               NOVA_PERM_MEM_R | NOVA_PERM_MEM_W | NOVA_PERM_MEM_XU);
        if (st != NOVA_SUCCESS) {
            say("root: memory: [%#lx-%#lx) not taken from PD_NOVA: %s\n", r.base, r.end, nova_status_name(st));
            frames_remove(&pool, r.base, r.end);
            i--;
        }
    }
    say("root: memory: %lu KiB free in %u ranges, the largest %lu KiB\n", frames_total(&pool) / KIB, pool.n,
           frames_largest(&pool) / KIB);
    return pool.n > 0;
}

bool memory_alloc(uint64_t size, uint64_t *phys)
{
    lock_take(&pool_lock);
    bool ok = frames_alloc(&pool, size, size % BIG_PAGE ? FRAMES_PAGE : BIG_PAGE, phys);
    lock_give(&pool_lock);
    if (ok)
        memset(memory_ptr(*phys), 0, size);
    return ok;
}

void memory_free(uint64_t phys, uint64_t size)
{
    lock_take(&pool_lock);
    bool ok = frames_add(&pool, phys, phys + size);
    lock_give(&pool_lock);
    if (!ok)
        say("root: memory: [%#lx-%#lx) lost: already free or the range table is full\n", phys, phys + size);
}

uint64_t memory_free_bytes(void)
{
    lock_take(&pool_lock);
    uint64_t n = frames_total(&pool);
    lock_give(&pool_lock);
    return n;
}

void *memory_ptr(uint64_t phys)
{
    return (void *)(PHYS_WINDOW + phys);
}
