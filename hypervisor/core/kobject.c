/* SPDX-License-Identifier: MIT */
/* Object lifetime: the last reference tears an object down; its memory goes after a grace period. */

#include "core/kobject.h"
#include "core/console.h"
#include "core/ec.h"
#include "core/pd.h"
#include "core/pt.h"
#include "core/sc.h"
#include "core/sm.h"

static void kobject_destroy(struct kobject *o)
{
    switch (o->type) {
    case KOBJ_PD: pd_destroy((struct pd *)o); break;
    case KOBJ_EC: ec_destroy((struct ec *)o); break;
    case KOBJ_SC: sc_destroy((struct sc *)o); break;
    case KOBJ_PT: pt_destroy((struct pt *)o); break;
    case KOBJ_SM: sm_destroy((struct sm *)o); break;
    }
}

void kobject_put(struct kobject *o)
{
    uint32_t n = __atomic_load_n(&o->refcount, __ATOMIC_RELAXED), next;
    do {
        if (n == 0 || (n & KOBJ_DYING))
            panic("kobject_put: object %p (type %u) has no reference left", (void *)o, o->type);
        next = n == 1 ? KOBJ_DYING : n - 1;
    } while (!__atomic_compare_exchange_n(&o->refcount, &n, next, true, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
    if (next == KOBJ_DYING)
        kobject_destroy(o);
}

void kobject_discard(struct kobject *o)
{
    uint32_t none = 0;
    if (__atomic_compare_exchange_n(&o->refcount, &none, KOBJ_DYING, false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
        kobject_destroy(o);
}
