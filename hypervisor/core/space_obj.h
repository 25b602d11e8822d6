/* SPDX-License-Identifier: MIT */
/* Object space: a PD's capability table, two levels of 512 entries covering SEL_NUM selectors. */
#pragma once

#include "core/kobject.h"
#include "core/spinlock.h"

#include <stdint.h>

struct quota;

struct space_obj {
    cap_t **dir;        /* 512 pointers to leaf pages of 512 capabilities, allocated on demand */
    struct quota *q;    /* leaf pages are charged here (the PD that owns the space) */
    struct spinlock lock;
};

/* The directory page is charged to acct (the creator); later leaves to q. */
int space_obj_init(struct space_obj *s, struct quota *acct, struct quota *q);
cap_t space_obj_lookup(const struct space_obj *s, uint64_t sel);
/* Store cap at sel (taking a reference on its object); returns NOVA_SUCCESS, BAD_PAR or INS_MEM. */
unsigned space_obj_insert(struct space_obj *s, uint64_t sel, cap_t cap);

/* Drop every capability and the tables (PD destruction). */
void space_obj_destroy(struct space_obj *s, struct quota *dir_acct);

/* ctrl_pd for the object space: copy 2^ord capabilities with their permissions masked by pmm. */
unsigned space_obj_delegate(struct space_obj *src, struct space_obj *dst, uint64_t s, uint64_t d, unsigned ord,
                            unsigned pmm, uint64_t *progress);
