/* SPDX-License-Identifier: MIT */
/* Kernel memory quotas: every object and table page is charged to a PD (INS_MEM when it is used up). */

#include "core/quota.h"
#include "core/memory.h"
#include "core/pmm.h"

bool quota_take(struct quota *q, uint64_t bytes)
{
    if (!q)
        return true;
    uint64_t used = __atomic_load_n(&q->used, __ATOMIC_RELAXED);
    do {
        if (bytes > q->limit - used)
            return false;
    } while (!__atomic_compare_exchange_n(&q->used, &used, used + bytes, false, __ATOMIC_RELAXED,
                                          __ATOMIC_RELAXED));
    return true;
}

void quota_give(struct quota *q, uint64_t bytes)
{
    if (!q)
        return;
    uint64_t left = __atomic_sub_fetch(&q->used, bytes, __ATOMIC_ACQ_REL);
    if (left == 0 && __atomic_load_n(&q->closing, __ATOMIC_ACQUIRE) && q->empty)
        q->empty(q);
}

void *quota_page_alloc(struct quota *q, unsigned order)
{
    if (!quota_take(q, PAGE_SIZE << order))
        return NULL;
    void *p = page_alloc(order);
    if (!p)
        quota_give(q, PAGE_SIZE << order);
    return p;
}

void quota_page_free(struct quota *q, void *p, unsigned order)
{
    if (!p)
        return;
    page_free(p, order);
    quota_give(q, PAGE_SIZE << order);
}
