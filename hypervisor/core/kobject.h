/* SPDX-License-Identifier: MIT */
/* Kernel objects and capabilities: an object pointer (32-byte aligned) OR'd with permission bits. */
#pragma once

#include "core/rcu.h"

#include <nova/caps.h>
#include <stdbool.h>
#include <stdint.h>

enum kobject_type { KOBJ_PD = 1, KOBJ_EC, KOBJ_SC, KOBJ_PT, KOBJ_SM };

struct quota;

/* Every object counts its references: capabilities, and other objects bound to it (PT and SC
   to their EC, EC to its PD). At zero it is torn down (KOBJ_DYING) and freed after an RCU grace
   period. */
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

/* In the count once the last reference is gone: the object is being destroyed. */
#define KOBJ_DYING 0x80000000u

/* Take a reference. The pointer may come from where no reference backs it (a capability read
   while another CPU overwrites it, the SC this CPU runs, the current EC), so this fails once the
   last reference has gone: a dying object is never brought back. A new object (no reference
   yet, not dying) can be taken. */
static inline __attribute__((warn_unused_result)) bool kobject_get(struct kobject *o)
{
    uint32_t n = __atomic_load_n(&o->refcount, __ATOMIC_RELAXED);
    do {
        if (n & KOBJ_DYING)
            return false;
    } while (!__atomic_compare_exchange_n(&o->refcount, &n, n + 1, true, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED));
    return true;
}

/* Drop a reference; the last one destroys the object. */
void kobject_put(struct kobject *o);
/* Destroy an object nobody has referenced yet (e.g. its capability could not be stored). */
void kobject_discard(struct kobject *o);
