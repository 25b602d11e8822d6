/* SPDX-License-Identifier: MIT */
/* Protection domain: object, memory and I/O port spaces. */

#include "core/pd.h"
#include "core/slab.h"

#include <stddef.h>
#include "core/protected.h"
#include "core/space_dma.h"
#include "x86/iommu.h"
#include "x86/paging.h"
#include "x86/vmcb.h"

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
    pd->obj.q = acct;
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

/* The PD's quota is back to zero: return its reservation to the owner and free it. */
static void pd_quota_empty(struct quota *q)
{
    struct pd *pd = (struct pd *)((char *)q - offsetof(struct pd, quota));
    struct quota *acct = pd->obj.q;
    uint64_t reserve = pd->quota.limit;
    slab_free_q(&pd_cache, pd, acct);
    quota_give(acct, reserve);
}

static void pd_free(struct rcu_item *r)
{
    struct pd *pd = (struct pd *)((char *)r - offsetof(struct pd, obj.rcu));
    paging_destroy(pd->pml4, &pd->quota, pd->obj.q);
    space_dma_destroy(pd); /* no device has used it since pd_destroy */
    if (pd->gst.npt) {
        paging_destroy(pd->gst.npt, &pd->quota, &pd->quota);
        quota_page_free(&pd->quota, pd->gst.iopm, SVM_IOPM_ORDER);
        quota_page_free(&pd->quota, pd->gst.msrpm, SVM_MSRPM_ORDER);
    }
    pd->quota.empty = pd_quota_empty;
    __atomic_store_n(&pd->quota.closing, true, __ATOMIC_RELEASE);
    if (__atomic_load_n(&pd->quota.used, __ATOMIC_ACQUIRE) == 0)
        pd_quota_empty(&pd->quota);
}

void pd_destroy(struct pd *pd)
{
    __atomic_store_n(&pd->dead, true, __ATOMIC_SEQ_CST);
    iommu_detach_pd(pd); /* its devices are blocked from here on */
    space_obj_destroy(&pd->objs, pd->obj.q);
    if (pd->pio_bitmap) {
        quota_page_free(&pd->quota, pd->pio_bitmap, 1);
        pd->pio_bitmap = NULL;
    }
    rcu_defer(&pd->obj.rcu, pd_free); /* a CPU may still run on its page table until then */
}
