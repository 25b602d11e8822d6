/* SPDX-License-Identifier: MIT */
/* Cases: ctrl_pd on the memory space: physical and virtual delegation, kernel-owned pages. */

#include "cases.h"
#include <suite.h>

#include <hc.h>
#include <nova/mbuf.h>
#include <nova/selectors.h>
#include <string.h>

#define NOVA NOVA_SEL_PD_NOVA
#define ROOT NOVA_SEL_PD_ROOT
#define PAGE(va) ((uint64_t)(va) >> NOVA_PAGE_SHIFT)

static unsigned mem(uint64_t spd, uint64_t src, uint64_t dst_va, unsigned ord, unsigned pmm)
{
    return hc_ctrl_pd(spd, ROOT, src, PAGE(dst_va), ord, pmm, NOVA_SPC_MEM, NOVA_ACC_CPU_HST, NOVA_CA_WB);
}

static uint8_t shared_page[4096] __attribute__((aligned(4096)));

void cases_ctrl_pd_mem(const struct nova_hip *hip)
{
    uint64_t va = VA_SCRATCH;
    EXPECT_STATUS("ctrl_pd_mem_take_physical_page", mem(NOVA, PAGE(hip->mbuf_start), va, 0, NOVA_PERM_MEM_R),
                  NOVA_SUCCESS);
    const struct nova_mbuf *m = (const struct nova_mbuf *)va;
    int has_log = m->wr_idx < NOVA_MBUF_SLOTS && !memcmp(m->buf, "NOVA", 4);
    suite_case("ctrl_pd_mem_physical_page_contents", has_log, "mbuf starts '%.8s'", m->buf);

    /* Virtual delegation inside our PD: a second view of one of our own data pages. */
    uint64_t alias = va + 0x10000;
    EXPECT_STATUS("ctrl_pd_mem_virtual_alias", mem(ROOT, PAGE(shared_page), alias, 0, NOVA_PERM_MEM_R | NOVA_PERM_MEM_W),
                  NOVA_SUCCESS);
    volatile uint8_t *a = (volatile uint8_t *)alias;
    a[123] = 0x5a;
    shared_page[124] = 0xa5;
    suite_case("ctrl_pd_mem_alias_shares_frame", shared_page[123] == 0x5a && a[124] == 0xa5, "alias %#x/%#x",
               shared_page[123], a[124]);

    /* An order-1 physical delegation maps two consecutive frames. */
    uint64_t two = va + 0x20000;
    uint64_t first = PAGE(hip->mbuf_start) & ~1ull;
    EXPECT_STATUS("ctrl_pd_mem_order1", mem(NOVA, first, two, 1, NOVA_PERM_MEM_R), NOVA_SUCCESS);
    const uint8_t *p = (const uint8_t *)two + ((PAGE(hip->mbuf_start) & 1) << NOVA_PAGE_SHIFT);
    suite_case("ctrl_pd_mem_order1_contents", !memcmp(p + 8, "NOVA", 4), "second frame differs");

    /* The HIP is kernel-owned: delegating over it leaves it in place. */
    mem(NOVA, PAGE(hip->mbuf_start), NOVA_HIP_VADDR, 0, NOVA_PERM_MEM_R);
    suite_case("ctrl_pd_mem_hip_not_replaced", hip->signature == NOVA_HIP_SIGNATURE, "hip signature %#x",
               hip->signature);
}
