/* SPDX-License-Identifier: MIT */
/* Object lifetime: the last reference tears an object down; its memory goes after a grace period. */

#include "core/kobject.h"
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
    if (__atomic_sub_fetch(&o->refcount, 1, __ATOMIC_ACQ_REL) == 0)
        kobject_destroy(o);
}

void kobject_discard(struct kobject *o)
{
    if (__atomic_load_n(&o->refcount, __ATOMIC_ACQUIRE) == 0)
        kobject_destroy(o);
}
