/* SPDX-License-Identifier: MIT */
/* Kernel objects and capabilities: an object pointer (32-byte aligned) OR'd with permission bits. */
#pragma once

#include "core/rcu.h"

#include <nova/caps.h>
#include <stdint.h>

enum kobject_type { KOBJ_PD = 1, KOBJ_EC, KOBJ_SC, KOBJ_PT, KOBJ_SM };

struct quota;

/* Every object counts its references: capabilities, and other objects bound to it (PT and SC
   to their EC, EC to its PD). At zero it is torn down and freed after an RCU grace period. */
struct kobject {
    uint8_t type;
    uint32_t refcount;
    struct quota *q;            /* charged for the object's memory */
    struct rcu_item rcu;
};

typedef uintptr_t cap_t;
#define CAP_NULL ((cap_t)0)

static inline cap_t cap_make(struct kobject *obj, unsigned perms)
{
    return (uintptr_t)obj | (perms & NOVA_PERM_MASK);
}

static inline struct kobject *cap_object(cap_t c)
{
    return (struct kobject *)(c & ~(uintptr_t)NOVA_PERM_MASK);
}

static inline unsigned cap_perms(cap_t c)
{
    return (unsigned)(c & NOVA_PERM_MASK);
}

/* The object behind c if it has the given type and all of the required permissions, else NULL. */
static inline struct kobject *cap_check(cap_t c, enum kobject_type type, unsigned perms)
{
    struct kobject *o = cap_object(c);
    return o && o->type == type && (cap_perms(c) & perms) == perms ? o : 0;
}

static inline void kobject_get(struct kobject *o)
{
    __atomic_fetch_add(&o->refcount, 1, __ATOMIC_RELAXED);
}

/* Drop a reference; the last one destroys the object. */
void kobject_put(struct kobject *o);
/* Destroy an object nobody has referenced yet (e.g. its capability could not be stored). */
void kobject_discard(struct kobject *o);
