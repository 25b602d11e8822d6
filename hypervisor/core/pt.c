/* SPDX-License-Identifier: MIT */
/* Portal: an entry point (IP) into a local EC, with the PID and event MTD it delivers. */

#include "core/pt.h"
#include "core/ec.h"
#include "core/slab.h"

#include <stddef.h>

static SLAB_CACHE(pt_cache, "pt", sizeof(struct pt));

struct pt *pt_create(struct ec *ec, uint64_t ip, struct quota *q)
{
    struct pt *pt = slab_alloc_q(&pt_cache, q);
    if (!pt)
        return NULL;
    pt->obj.type = KOBJ_PT;
    pt->obj.q = q;
    pt->ec = ec; /* the caller's reference to ec */
    pt->ip = ip;
    return pt;
}

static void pt_free(struct rcu_item *r)
{
    struct pt *pt = (struct pt *)((char *)r - offsetof(struct pt, obj.rcu));
    slab_free_q(&pt_cache, pt, pt->obj.q);
}

void pt_destroy(struct pt *pt)
{
    kobject_put(&pt->ec->obj);
    rcu_defer(&pt->obj.rcu, pt_free);
}
