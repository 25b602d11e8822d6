/* SPDX-License-Identifier: MIT */
/* Kernel memory quotas: every object and table page is charged to a PD (INS_MEM when it is used up). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct quota {
    uint64_t limit;     /* bytes this PD may have the kernel allocate for it */
    uint64_t used;
    bool closing;       /* its PD is gone: call empty() once the last charge is refunded */
    void (*empty)(struct quota *q);
};

/* Charge bytes to q (NULL: the kernel's own, never limited); false if the quota is exhausted. */
bool quota_take(struct quota *q, uint64_t bytes);
void quota_give(struct quota *q, uint64_t bytes);
/* page_alloc/page_free with the pages charged to q. */
void *quota_page_alloc(struct quota *q, unsigned order);
void quota_page_free(struct quota *q, void *p, unsigned order);
