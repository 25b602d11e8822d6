/* SPDX-License-Identifier: MIT */
/* Portal: an entry point (IP) into a local EC, with the PID and event MTD it delivers. */

#include "core/pt.h"
#include "core/ec.h"
#include "core/slab.h"

static SLAB_CACHE(pt_cache, "pt", sizeof(struct pt));

struct pt *pt_create(struct ec *ec, uint64_t ip, struct quota *q)
{
    struct pt *pt = slab_alloc_q(&pt_cache, q);
    if (!pt)
        return NULL;
    pt->obj.type = KOBJ_PT;
    pt->ec = ec;
    kobject_get(&ec->obj);
    pt->ip = ip;
    return pt;
}
