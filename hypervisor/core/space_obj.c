/* SPDX-License-Identifier: MIT */
/* Object space: a PD's capability table, two levels of 512 entries covering SEL_NUM selectors. */

#include "core/space_obj.h"
#include "core/pmm.h"
#include "core/preempt.h"
#include "core/quota.h"

#include <nova/selectors.h>
#include <nova/status.h>
#include <stddef.h>

#define LEAF_BITS 9
#define LEAF_SIZE (1u << LEAF_BITS)
_Static_assert(NOVA_SEL_NUM == LEAF_SIZE * LEAF_SIZE, "two levels cover the selector space");

int space_obj_init(struct space_obj *s, struct quota *acct, struct quota *q)
{
    s->q = q;
    s->dir = quota_page_alloc(acct, 0);
    return s->dir ? 0 : -1;
}

cap_t space_obj_lookup(const struct space_obj *s, uint64_t sel)
{
    if (sel >= NOVA_SEL_NUM || !s->dir)
        return CAP_NULL;
    cap_t *leaf = s->dir[sel >> LEAF_BITS];
    return leaf ? leaf[sel & (LEAF_SIZE - 1)] : CAP_NULL;
}

unsigned space_obj_insert(struct space_obj *s, uint64_t sel, cap_t cap)
{
    if (sel >= NOVA_SEL_NUM)
        return NOVA_BAD_PAR;
    cap_t **slot = &s->dir[sel >> LEAF_BITS];
    if (!*slot && !(*slot = quota_page_alloc(s->q, 0)))
        return NOVA_INS_MEM;
    struct kobject *o = cap_object(cap);
    if (o)
        kobject_get(o);
    /* Objects are not destroyed yet (that comes with the full object lifetime rules), so the
       reference held by an overwritten capability is simply dropped here. */
    struct kobject *old = cap_object((*slot)[sel & (LEAF_SIZE - 1)]);
    if (old)
        __atomic_fetch_sub(&old->refcount, 1, __ATOMIC_RELAXED);
    (*slot)[sel & (LEAF_SIZE - 1)] = cap;
    return NOVA_SUCCESS;
}

unsigned space_obj_delegate(struct space_obj *src, struct space_obj *dst, uint64_t s, uint64_t d, unsigned ord,
                            unsigned pmm, uint64_t *progress)
{
    for (uint64_t i = *progress; i < (1ull << ord); *progress = ++i) {
        if ((i + 1) % PREEMPT_STEPS == 0 && preempt_wanted())
            return STATUS_PREEMPTED;
        cap_t c = space_obj_lookup(src, s + i);
        unsigned perms = cap_perms(c) & pmm;
        cap_t n = cap_object(c) && perms ? cap_make(cap_object(c), perms) : CAP_NULL;
        unsigned st = space_obj_insert(dst, d + i, n);
        if (st != NOVA_SUCCESS)
            return st;
    }
    return NOVA_SUCCESS;
}
