/* SPDX-License-Identifier: MIT */
/* Protection domain: object, memory and I/O port spaces. */

#include "core/pd.h"
#include "core/slab.h"
#include "core/protected.h"
#include "x86/paging.h"

struct pd *pd_nova, *pd_root;
static SLAB_CACHE(pd_cache, "pd", sizeof(struct pd));

struct pd *pd_create(bool nova)
{
    struct pd *pd = slab_alloc(&pd_cache);
    if (!pd)
        return NULL;
    pd->obj.type = KOBJ_PD;
    pd->is_nova = nova;
    if (space_obj_init(&pd->objs) < 0 || (!nova && !(pd->pml4 = paging_create()))) {
        slab_free(&pd_cache, pd); /* the page of a half-built space is not reclaimed yet */
        return NULL;
    }
    return pd;
}

bool pd_has_port(const struct pd *pd, unsigned port)
{
    if (pd->is_nova)
        return !protected_port(port);
    return pd->pio_bitmap && !(pd->pio_bitmap[port / 8] & (1u << (port % 8)));
}
