/* SPDX-License-Identifier: MIT */
/* Creation of PD_ROOT, EC_ROOT and SC_ROOT from the first boot module (spec 6.2). */

#include "core/root.h"
#include "core/console.h"
#include "core/ec.h"
#include "core/elf.h"
#include "core/hip.h"
#include "core/memory.h"
#include "core/pd.h"
#include "core/pmm.h"
#include "core/sc.h"
#include "core/sched.h"
#include "core/space_mem.h"
#include "x86/cpu.h"
#include "x86/paging.h"

#include <multiboot.h>
#include <nova/caps.h>
#include <nova/selectors.h>

#define ROOT_PRIO       127
#define ROOT_BUDGET_MS  1000
#define ROOT_USER_END   NOVA_ROOT_UTCB_VADDR   /* segments must stay below the UTCB and HIP */
/* Pages kept back from the root quota for the kernel itself (stacks of CPUs, split page tables). */
#define ROOT_RESERVE_PAGES(free) ((free) > 64 ? (free) - 64 : 0)

static struct elf_image root_image;

void root_check(const struct mb_module *mod)
{
    if (mod->start & PAGE_MASK)
        boot_fail("root module at %#lx is not page-aligned", mod->start);
    const struct elf_image *im = &root_image;
    switch (elf_check_root(phys_to_virt(mod->start), mod->end - mod->start, ROOT_USER_END, &root_image)) {
    case ELF_OK: return;
    case ELF_NOT_X86_64_EXEC: boot_fail("root module is not an x86-64 ELF executable");
    case ELF_BAD_PHDRS: boot_fail("root module has a malformed program header table");
    case ELF_SEG_SIZE_MISMATCH:
        boot_fail("root segment %u has p_filesz %#lx != p_memsz %#lx", im->bad_seg, im->bad_a, im->bad_b);
    case ELF_SEG_OUTSIDE_FILE: boot_fail("root segment %u lies beyond the end of the module", im->bad_seg);
    case ELF_SEG_MISALIGNED:
        boot_fail("root segment %u has p_vaddr %#lx and p_offset %#lx in different page positions", im->bad_seg,
                  im->bad_a, im->bad_b);
    case ELF_SEG_BAD_RANGE:
        boot_fail("root segment %u at %#lx is outside user memory (below %#lx)", im->bad_seg, im->bad_a,
                  (uint64_t)ROOT_USER_END);
    case ELF_SEG_OVERLAP: boot_fail("root segment %u overlaps another segment", im->bad_seg);
    case ELF_NO_SEGMENTS: boot_fail("root module has no (or too many) loadable segments");
    case ELF_BAD_ENTRY: boot_fail("root entry point %#lx is not in an executable segment", im->bad_a);
    }
    boot_fail("root module rejected");
}

/* Map every segment in place: virtual pages onto the module's own physical pages. */
static void map_segments(struct pd *pd, uint64_t mod_start)
{
    for (unsigned i = 0; i < root_image.nseg; i++) {
        const struct elf_segment *s = &root_image.seg[i];
        unsigned perms = NOVA_PERM_MEM_R;
        if (s->flags & ELF_PF_W)
            perms |= NOVA_PERM_MEM_W;
        if (s->flags & ELF_PF_X)
            perms |= NOVA_PERM_MEM_XU;
        uint64_t first = s->vaddr & ~PAGE_MASK, end = ALIGN_UP(s->vaddr + s->size, PAGE_SIZE);
        uint64_t pa = mod_start + (s->offset & ~PAGE_MASK);
        for (uint64_t va = first; va < end; va += PAGE_SIZE, pa += PAGE_SIZE) {
            uint64_t f = PTE_U | (perms & NOVA_PERM_MEM_W ? PTE_W : 0) | (perms & NOVA_PERM_MEM_XU ? 0 : PTE_NX);
            if (paging_map(pd->pml4, va, pa, f, 0, &pd->quota) < 0)
                panic("out of memory mapping the root task");
        }
    }
}

static void install(struct pd *pd, uint64_t sel, struct kobject *obj, unsigned perms)
{
    if (space_obj_insert(&pd->objs, sel, cap_make(obj, perms)) != 0)
        panic("out of memory building the root object space");
}

void root_start(const struct mb_module *mod, uint32_t boot_magic, uint32_t boot_info)
{
    /* The root PD may have the kernel spend all the memory that is left on it and its children. */
    struct pd *pd = pd_root = pd_create(false, NULL, ROOT_RESERVE_PAGES(pmm_free_pages()) * PAGE_SIZE);
    struct ec *ec = NULL;
    struct sc *sc = NULL;
    if (pd && kobject_get(&pd->obj)) /* the reference the EC holds */
        ec = ec_create(pd, 0, NOVA_ROOT_UTCB_VADDR, 0, EC_GLOBAL, true, &pd->quota);
    if (ec && kobject_get(&ec->obj)) /* and the SC */
        sc = sc_create(ec, ROOT_PRIO, hip->stc_freq / 1000 * ROOT_BUDGET_MS, &pd->quota);
    if (!sc)
        panic("out of memory creating the root PD");

    install(pd, NOVA_SEL_PD_NOVA, &pd_nova->obj, NOVA_PERM_PD_CTRL);
    install(pd, NOVA_SEL_PD_ROOT, &pd->obj, NOVA_PERM_PD_ALL);
    install(pd, NOVA_SEL_EC_ROOT, &ec->obj, NOVA_PERM_EC_ALL);
    install(pd, NOVA_SEL_SC_ROOT, &sc->obj, NOVA_PERM_SC_ALL);

    map_segments(pd, mod->start);
    if (space_mem_map_kernel_page(pd, NOVA_HIP_VADDR, virt_to_phys(hip), 0) < 0 ||
        space_mem_map_kernel_page(pd, NOVA_ROOT_UTCB_VADDR, virt_to_phys(ec->utcb), 1) < 0)
        panic("out of memory mapping the HIP and UTCB");

    /* Register state of spec 8.1.2. */
    ec->regs.rip = root_image.entry;
    ec->regs.rsp = NOVA_HIP_VADDR;
    ec->regs.rdi = boot_magic;
    ec->regs.rsi = boot_info;
    ec->regs.rcx = root_image.entry;
    ec->regs.r11 = RFLAGS_IF | RFLAGS_RSVD1;
    ec->cont = ec_ret_iret;
    ec->started = true; /* the root EC starts directly, without a startup event */

    kprintf("nova: starting root task at %#lx\n", root_image.entry);
    console_handover();
    sched_add(sc);
    schedule();
}
