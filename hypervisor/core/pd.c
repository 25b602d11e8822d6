/* SPDX-License-Identifier: MIT */
/* Protection domain: object, memory and I/O port spaces. */

#include "core/pd.h"
#include "core/slab.h"
#include "core/protected.h"
#include "x86/paging.h"

struct pd *pd_nova, *pd_root;
static SLAB_CACHE(pd_cache, "pd", sizeof(struct pd));

struct pd *pd_create(bool nova, struct quota *acct, uint64_t reserve)
{
    if (!quota_take(acct, reserve))
        return NULL;
    struct pd *pd = slab_alloc_q(&pd_cache, acct);
    if (!pd) {
        quota_give(acct, reserve);
        return NULL;
    }
    pd->obj.type = KOBJ_PD;
    pd->is_nova = nova;
    pd->quota.limit = reserve;
    struct quota *own = nova ? NULL : &pd->quota;
    if (space_obj_init(&pd->objs, acct, own) < 0 || (!nova && !(pd->pml4 = paging_create(acct)))) {
        quota_page_free(acct, pd->objs.dir, 0);
        slab_free_q(&pd_cache, pd, acct);
        quota_give(acct, reserve);
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
