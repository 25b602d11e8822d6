/* SPDX-License-Identifier: MIT */
/* Buddy allocator for the kernel's page pool (the .kmem part of the image). */

#include "core/pmm.h"
#include "core/console.h"
#include "core/memory.h"
#include "core/spinlock.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define PMM_MAX_PAGES (64u << 20 >> PAGE_SHIFT) /* supports pools up to 64 MiB */
#define NOT_FREE 0xff

struct free_block {
    struct free_block *next, *prev;
};

static uintptr_t pool_base;         /* the first page, in the kernel image window */
static uint64_t pool_phys;          /* and its physical address */
static size_t pool_pages, free_pages;
static uint8_t free_order[PMM_MAX_PAGES]; /* order of the free block starting at a page, or NOT_FREE */
static struct free_block free_list[PMM_MAX_ORDER + 1];
static struct spinlock pmm_lock;

static struct free_block *block(size_t idx)
{
    return (struct free_block *)(pool_base + idx * PAGE_SIZE);
}

/* A pool page is reachable through two aliases: the image window (what page_alloc returns) and
   the direct map (page tables are found through their entries' physical addresses). Both index
   the same page, so the index comes from the physical address. */
static size_t index_of(const void *p)
{
    return (size_t)((virt_to_phys(p) - pool_phys) >> PAGE_SHIFT);
}

static void list_add(unsigned order, size_t idx)
{
    struct free_block *b = block(idx), *head = &free_list[order];
    b->next = head->next;
    b->prev = head;
    head->next->prev = b;
    head->next = b;
    free_order[idx] = (uint8_t)order;
}

static void list_del(size_t idx)
{
    struct free_block *b = block(idx);
    b->prev->next = b->next;
    b->next->prev = b->prev;
    free_order[idx] = NOT_FREE;
}

/* Insert a free block and merge it with its buddies as far as possible. */
static void insert_merged(size_t idx, unsigned order)
{
    while (order < PMM_MAX_ORDER) {
        size_t buddy = idx ^ ((size_t)1 << order);
        if (buddy + ((size_t)1 << order) > pool_pages || free_order[buddy] != order)
            break;
        list_del(buddy);
        idx &= ~((size_t)1 << order);
        order++;
    }
    list_add(order, idx);
}

void pmm_init(void *start, void *end)
{
    pool_base = ALIGN_UP((uintptr_t)start, PAGE_SIZE);
    pool_phys = virt_to_phys((void *)pool_base);
    pool_pages = (ALIGN_DOWN((uintptr_t)end, PAGE_SIZE) - pool_base) / PAGE_SIZE;
    if (pool_pages > PMM_MAX_PAGES)
        pool_pages = PMM_MAX_PAGES;
    for (unsigned o = 0; o <= PMM_MAX_ORDER; o++)
        free_list[o].next = free_list[o].prev = &free_list[o];
    memset(free_order, NOT_FREE, sizeof(free_order));
    for (size_t i = 0; i < pool_pages; i++)
        insert_merged(i, 0);
    free_pages = pool_pages;
}

void *page_alloc(unsigned order)
{
    if (order > PMM_MAX_ORDER)
        return NULL;
    spin_lock(&pmm_lock);
    unsigned o = order;
    while (o <= PMM_MAX_ORDER && free_list[o].next == &free_list[o])
        o++;
    if (o > PMM_MAX_ORDER) {
        spin_unlock(&pmm_lock);
        return NULL;
    }
    size_t idx = index_of(free_list[o].next);
    list_del(idx);
    while (o > order) { /* split, returning the upper halves */
        o--;
        list_add(o, idx + ((size_t)1 << o));
    }
    free_pages -= (size_t)1 << order;
    spin_unlock(&pmm_lock);
    void *p = block(idx);
    memset(p, 0, PAGE_SIZE << order);
    return p;
}

/* Whether any page of the block of 2^order pages at idx is free already. */
static bool overlaps_free(size_t idx, unsigned order)
{
    for (unsigned o = order; o <= PMM_MAX_ORDER; o++) { /* a free block as large or larger holds it */
        size_t base = idx & ~(((size_t)1 << o) - 1);
        if (free_order[base] == o)
            return true;
    }
    for (size_t i = idx; i < idx + ((size_t)1 << order); i++) /* a smaller free block inside it */
        if (free_order[i] != NOT_FREE)
            return true;
    return false;
}

void page_free(void *p, unsigned order)
{
    if (!p)
        return;
    size_t idx = index_of(p);
    if (order > PMM_MAX_ORDER || idx >= pool_pages || (idx & (((size_t)1 << order) - 1)) ||
        idx + ((size_t)1 << order) > pool_pages)
        panic("page_free: %p (order %u) is not a block of the page pool", p, order);
    spin_lock(&pmm_lock);
    if (overlaps_free(idx, order))
        panic("page_free: %p (order %u) is free already", p, order);
    insert_merged(idx, order);
    free_pages += (size_t)1 << order;
    spin_unlock(&pmm_lock);
}

size_t pmm_free_pages(void)
{
    return free_pages;
}

size_t pmm_total_pages(void)
{
    return pool_pages;
}
