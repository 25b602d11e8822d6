/* SPDX-License-Identifier: MIT */
/* Fixed-size object caches on top of the page allocator. */
#pragma once

#include "core/spinlock.h"

#include <stddef.h>

struct slab_cache {
    const char *name;
    size_t size;            /* object size, rounded up to 32 bytes (capabilities use the low 5 bits) */
    void *free;             /* singly linked free objects */
    size_t in_use;
    struct spinlock lock;
};

#define SLAB_CACHE(var, obj_name, obj_size) struct slab_cache var = {.name = obj_name, .size = ((obj_size) + 31) & ~31ul}

/* Returns a zeroed object, or NULL when no page is left. */
void *slab_alloc(struct slab_cache *c);
void slab_free(struct slab_cache *c, void *obj);
struct quota;
/* The same, with the object's size charged to (refunded to) q. */
void *slab_alloc_q(struct slab_cache *c, struct quota *q);
void slab_free_q(struct slab_cache *c, void *obj, struct quota *q);
