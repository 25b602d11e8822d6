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
    spin_lock(&s->lock);
    cap_t **slot = &s->dir[sel >> LEAF_BITS];
    if (!*slot && !(*slot = quota_page_alloc(s->q, 0))) {
        spin_unlock(&s->lock);
        return NOVA_INS_MEM;
    }
    struct kobject *o = cap_object(cap);
    if (o && !kobject_get(o))
        cap = CAP_NULL; /* a copy of a capability revoked on another CPU just now */
    struct kobject *old = cap_object((*slot)[sel & (LEAF_SIZE - 1)]);
    (*slot)[sel & (LEAF_SIZE - 1)] = cap;
    spin_unlock(&s->lock);
    if (old)
        kobject_put(old); /* revocation by overwrite: the last capability destroys the object */
    return NOVA_SUCCESS;
}

void space_obj_destroy(struct space_obj *s, struct quota *dir_acct)
{
    for (unsigned d = 0; d < LEAF_SIZE; d++) {
        cap_t *leaf = s->dir[d];
        if (!leaf)
            continue;
        for (unsigned i = 0; i < LEAF_SIZE; i++)
            if (leaf[i])
                space_obj_insert(s, (uint64_t)d << LEAF_BITS | i, CAP_NULL);
        s->dir[d] = NULL;
        quota_page_free(s->q, leaf, 0);
    }
    quota_page_free(dir_acct, s->dir, 0);
    s->dir = NULL;
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
