/* SPDX-License-Identifier: MIT */
/* Cases: the root task's initial state (spec 6.2.2, 6.3, 8.1.2). */

#include "cases.h"
#include <suite.h>

#include <multiboot.h>
#include <nova/caps.h>
#include <nova/selectors.h>
#include <nova/utcb.h>
#include <start_regs.h>

extern char _start[];

void cases_boot_state(const struct nova_hip *hip)
{
    const struct start_regs *r = &start_regs;
    suite_case("entry_rsp_is_hip", r->rsp == NOVA_HIP_VADDR, "rsp %#lx", r->rsp);
    suite_case("entry_rdi_is_multiboot_magic", r->rdi == MB1_BOOT_MAGIC || r->rdi == MB2_BOOT_MAGIC, "rdi %#lx",
               r->rdi);
    suite_case("entry_rsi_is_boot_info", r->rsi != 0 && r->rsi < (1ull << 32), "rsi %#lx", r->rsi);
    suite_case("entry_rcx_is_rip", r->rcx == (uint64_t)_start, "rcx %#lx, entry %p", r->rcx, (void *)_start);
    suite_case("entry_r11_and_rflags", r->r11 == 0x202 && r->rflags == 0x202, "r11 %#lx rflags %#lx", r->r11,
               r->rflags);
    uint64_t others = r->rax | r->rbx | r->rdx | r->rbp | r->r8 | r->r9 | r->r10 | r->r12 | r->r13 | r->r14 | r->r15;
    suite_case("entry_other_gprs_zero", others == 0, "some GPR is not zero (or %#lx)", others);

    suite_case("hip_signature", hip->signature == NOVA_HIP_SIGNATURE, "signature %#x", hip->signature);
    suite_case("hip_checksum", nova_hip_valid(hip, NOVA_PAGE_SIZE), "sum %#x over %#x bytes",
               nova_hip_sum(hip, hip->length), hip->length);
    suite_case("hip_selectors", hip->sel_num == NOVA_SEL_NUM && hip->sel_hst_arch == NOVA_SEL_HST_ARCH &&
                                    hip->sel_hst_nova == NOVA_SEL_HST_NOVA && hip->sel_gst_arch == NOVA_SEL_GST_ARCH &&
                                    hip->sel_gst_nova == NOVA_SEL_GST_NOVA,
               "sel_num %#lx", hip->sel_num);
    suite_case("hip_ranges", hip->nova_start < hip->nova_end && hip->mbuf_end - hip->mbuf_start == NOVA_PAGE_SIZE &&
                                 hip->root_start < hip->root_end && hip->cpu_num >= 1 && hip->cpu_bsp < hip->cpu_num &&
                                 hip->stc_freq > 0,
               "nova %#lx-%#lx mbuf %#lx-%#lx", hip->nova_start, hip->nova_end, hip->mbuf_start, hip->mbuf_end);

    /* The UTCB sits 4 KiB below the HIP and is ours to write. */
    volatile uint64_t *utcb = (volatile uint64_t *)NOVA_ROOT_UTCB_VADDR;
    utcb[0] = 0x1234abcd;
    utcb[NOVA_UTCB_WORDS - 1] = 0x5678ef01;
    suite_case("utcb_writable", utcb[0] == 0x1234abcd && utcb[NOVA_UTCB_WORDS - 1] == 0x5678ef01, "read back");
}
