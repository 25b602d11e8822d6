/* SPDX-License-Identifier: MIT */
/* Fixed-size object caches on top of the page allocator. */

#include "core/slab.h"
#include "core/memory.h"
#include "core/pmm.h"
#include "core/quota.h"

#include <string.h>

/* Carve a fresh page into objects; objects larger than a page are not supported. */
static int slab_grow(struct slab_cache *c)
{
    if (c->size > PAGE_SIZE)
        return -1;
    char *page = page_alloc(0);
    if (!page)
        return -1;
    for (size_t off = 0; off + c->size <= PAGE_SIZE; off += c->size) {
        *(void **)(page + off) = c->free;
        c->free = page + off;
    }
    return 0;
}

void *slab_alloc(struct slab_cache *c)
{
    spin_lock(&c->lock);
    if (!c->free && slab_grow(c) < 0) {
        spin_unlock(&c->lock);
        return NULL;
    }
    void *obj = c->free;
    c->free = *(void **)obj;
    c->in_use++;
    spin_unlock(&c->lock);
    memset(obj, 0, c->size);
    return obj;
}

void slab_free(struct slab_cache *c, void *obj)
{
    if (!obj)
        return;
    spin_lock(&c->lock);
    *(void **)obj = c->free;
    c->free = obj;
    c->in_use--;
    spin_unlock(&c->lock);
}

void *slab_alloc_q(struct slab_cache *c, struct quota *q)
{
    if (!quota_take(q, c->size))
        return NULL;
    void *obj = slab_alloc(c);
    if (!obj)
        quota_give(q, c->size);
    return obj;
}

void slab_free_q(struct slab_cache *c, void *obj, struct quota *q)
{
    if (!obj)
        return;
    slab_free(c, obj);
    quota_give(q, c->size);
}
