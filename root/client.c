/* SPDX-License-Identifier: MIT */
/* Clients of the root task: user programs in their own PDs, started from ELF boot modules. */

#include "client.h"
#include "console.h"
#include <lock.h>
#include "memory.h"
#include "sel.h"
#include "handler.h"
#include "drivers.h"

#include <elf_load.h>
#include <hc.h>
#include <nova/descriptors.h>
#include <nova/hip.h>
#include <nova/mtd.h>
#include <nova/selectors.h>
#include <string.h>

#define ROOT          NOVA_SEL_PD_ROOT
#define CLIENT_PRIO   64        /* below the root's own threads (127) */
#define CLIENT_BUDGET 10        /* ms */
#define PAGE          4096ull
#define KIB           1024u
#define BLOCK_ORDER   6         /* CS_BLOCK = 2^6 selectors */
#define RW            (NOVA_PERM_MEM_R | NOVA_PERM_MEM_W)
#define NULL_ORDER    15        /* SEL_NULL_BLOCK holds 2^15 empty selectors */
/* What a VMM may do with its own PD: everything but assign_dev. */
#define VMM_PD_PERM   (NOVA_PERM_PD_CTRL | NOVA_PERM_PD_PD | NOVA_PERM_PD_EC_PT_SM | NOVA_PERM_PD_SC)

/* MSRs a VMM may let its guests reach without exits: FS_BASE, GS_BASE, KERNEL_GS_BASE. */
static const uint32_t guest_msrs[] = {0xc0000100, 0xc0000101, 0xc0000102};

_Static_assert((SEL_NULL_BLOCK & ((1u << NULL_ORDER) - 1)) == 0 && SEL_NULL_BLOCK >= SEL_CLIENTS + CLIENT_MAX * CS_BLOCK,
               "the null block is aligned and above the clients' blocks");

_Static_assert(CS_INPUT_SM < CS_BLOCK && (1 << BLOCK_ORDER) == CS_BLOCK, "client selector block");

static struct client clients[CLIENT_MAX];
static unsigned loaded;
static unsigned attempts;       /* loads begun: each gets a fresh handler UTCB */
static struct client *focus;    /* where typed bytes go */
static struct lock table_lock;  /* client states, ranges, waiting and reading, input, focus */
/* Held from a change of the pool through the line that reports it, so that the figures in the
   log add up in the order the lines appear (clients grant and return concurrently). */
static struct lock account_lock;

void clients_init(void)
{
    lock_init(&table_lock, SEL_TABLE_LOCK);
    lock_init(&account_lock, SEL_ACCOUNT_LOCK);
    hc_create_sm(SEL_ENDED_SM, ROOT, 0);
}

static void range_unmap(struct client *c, const struct client_range *r)
{
    if (r->dma)
        svc_dma_unmap(c, r->phys, r->size);
    memory_map(c->sel + CS_PD, r->phys, r->va, r->size, 0);
}

/* Give c size bytes of fresh memory at va (its window address when va is 0) with permissions pmm. */
static unsigned take(struct client *c, uint64_t size, uint64_t va, unsigned pmm, uint64_t *phys)
{
    if (size > c->limit - c->used)
        return SVC_E_LIMIT;
    if (c->nranges == CLIENT_RANGES)
        return SVC_E_RANGES;
    if (!memory_alloc(size, phys))
        return SVC_E_NOMEM;
    struct client_range r = {*phys, va ? va : SVC_MEM_WINDOW + *phys, size, false};
    if (memory_map(c->sel + CS_PD, r.phys, r.va, size, pmm) != NOVA_SUCCESS) {
        range_unmap(c, &r); /* whatever part did get mapped */
        memory_free(r.phys, size);
        return SVC_E_NOMEM;
    }
    lock_take(&table_lock);
    c->range[c->nranges++] = r;
    c->used += size;
    lock_give(&table_lock);
    return SVC_OK;
}

static const char *status_text(unsigned st)
{
    switch (st) {
    case SVC_E_LIMIT:
        return "over its limit";
    case SVC_E_NOMEM:
        return "no free range that large";
    case SVC_E_RANGES:
        return "it holds too many ranges";
    default:
        return "bad request";
    }
}

unsigned client_grant(struct client *c, uint64_t size, uint64_t *va)
{
    /* A VMM's memory is executable for it too: delegation passes only what the source has, and its
       guest runs code from it. */
    uint64_t phys;
    lock_take(&account_lock);
    unsigned st = take(c, size, 0, c->vmm ? RW | NOVA_PERM_MEM_XU : RW, &phys);
    if (st == SVC_OK && svc_dma_map(c, phys, size)) {
        lock_take(&table_lock);
        c->range[c->nranges - 1].dma = true;
        lock_give(&table_lock);
    }
    if (st == SVC_OK) {
        *va = SVC_MEM_WINDOW + phys;
        say("root: %s: granted %lu KiB at %#lx (using %lu KiB of %lu KiB)\n", c->name, size / KIB, *va,
            c->used / KIB, c->limit / KIB);
    } else {
        say("root: %s: refused %lu KiB: %s (using %lu KiB of %lu KiB)\n", c->name, size / KIB, status_text(st),
            c->used / KIB, c->limit / KIB);
    }
    lock_give(&account_lock);
    return st;
}

/* Copy the image's segments into fresh memory mapped at their addresses. */
static int load_segments(struct client *c, const struct elf_load *img, const uint8_t *elf)
{
    for (unsigned i = 0; i < img->nseg; i++) {
        const struct elf_load_segment *s = &img->seg[i];
        unsigned pmm = NOVA_PERM_MEM_R | (s->flags & ELF_LOAD_PF_W ? NOVA_PERM_MEM_W : 0) |
                       (s->flags & ELF_LOAD_PF_X ? NOVA_PERM_MEM_XU : 0);
        uint64_t phys, first = elf_load_first(s);
        unsigned st = take(c, elf_load_end(s) - first, first, pmm, &phys);
        if (st != SVC_OK) {
            say("root: %s: segment %u: %s\n", c->name, s->index, status_text(st));
            return -1;
        }
        memcpy((uint8_t *)memory_ptr(phys) + (s->vaddr - first), elf + s->offset, s->filesz);
    }
    return 0;
}

/* The start-up page: who the client is and what it holds, read-only at SVC_INFO_VA. */
static int write_info(struct client *c, const char *cmdline, const struct svc_vm *vm)
{
    uint64_t phys;
    if (take(c, PAGE, SVC_INFO_VA, NOVA_PERM_MEM_R, &phys) != SVC_OK)
        return -1;
    struct svc_info *info = memory_ptr(phys);
    info->magic = SVC_INFO_MAGIC;
    info->limit = c->limit;
    info->used = c->used;
    for (unsigned i = 0; i < c->nranges && i < SVC_INFO_RANGES; i++, info->nranges++)
        info->range[i] = (struct svc_range){c->range[i].phys, c->range[i].va, c->range[i].size};
    memcpy(info->name, c->name, sizeof(info->name));
    size_t n = strlen(cmdline);
    memcpy(info->cmdline, cmdline, n < SVC_CMDLINE_MAX - 1 ? n : SVC_CMDLINE_MAX - 1);
    if (vm)
        info->vm = *vm;
    return 0;
}

/* What a VMM needs beyond a program's: a read-only copy of the HIP where a root task finds it, its
   own PD at NOVA_SEL_PD_ROOT (to create the guest's PD and its threads, and to delegate guest
   memory), and the MSRs its guests may reach directly. */
static int equip_vmm(struct client *c)
{
    const struct nova_hip *hip = (const struct nova_hip *)NOVA_HIP_VADDR;
    uint64_t phys, pd = c->sel + CS_PD;
    if (take(c, PAGE, NOVA_HIP_VADDR, NOVA_PERM_MEM_R, &phys) != SVC_OK)
        return -1;
    memcpy(memory_ptr(phys), hip, hip->length < PAGE ? hip->length : PAGE);
    if (hc_ctrl_pd(ROOT, pd, pd, NOVA_SEL_PD_ROOT, 0, VMM_PD_PERM, NOVA_SPC_OBJ, 0, 0) != NOVA_SUCCESS)
        return -1;
    for (unsigned i = 0; i < sizeof(guest_msrs) / sizeof(guest_msrs[0]); i++)
        hc_ctrl_pd(NOVA_SEL_PD_NOVA, pd, guest_msrs[i], guest_msrs[i], 0, NOVA_PERM_MSR_ALL, NOVA_SPC_MSR,
                   NOVA_ACC_CPU_GST, 0); /* without them the guest's accesses exit: slower, not wrong */
    return 0;
}

/* The handler EC and the portals through which the client's events and calls reach it. */
static unsigned make_portals(struct client *c, unsigned cpu)
{
    uint64_t utcb = UTCB_HANDLERS + (uint64_t)attempts++ * PAGE;
    unsigned st = hc_create_ec(c->sel + CS_HANDLER, ROOT, utcb, cpu, (uint64_t)c->stack + HANDLER_STACK, 0, 0);
    for (unsigned i = 0; i <= CLIENT_CALL && st == NOVA_SUCCESS; i++) {
        struct portal_ctx *ctx = &c->ctx[i];
        ctx->stack_top = (uint64_t)c->stack + HANDLER_STACK;
        ctx->utcb = (union nova_utcb *)utcb;
        ctx->arg = c;
        ctx->fn = i == CLIENT_CALL ? handler_call : i == NOVA_EV_HST_STARTUP ? handler_startup : handler_exception;
        uint32_t mtd = i == CLIENT_CALL ? 0
                       : i == NOVA_EV_HST_STARTUP ? NOVA_MTD_RIP | NOVA_MTD_GPR_0_7
                                                  : NOVA_MTD_RIP | NOVA_MTD_QUAL;
        st = hc_create_pt(c->sel + i, ROOT, c->sel + CS_HANDLER, (uint64_t)portal_entry);
        if (st == NOVA_SUCCESS)
            st = hc_ctrl_pt(c->sel + i, (uint64_t)ctx, mtd);
    }
    /* The client may take events through the event portals and call the call portal, nothing else. */
    uint64_t pd = c->sel + CS_PD;
    if (st == NOVA_SUCCESS)
        st = hc_ctrl_pd(ROOT, pd, c->sel + CS_PT_EVT, SVC_SEL_EVT, 5, NOVA_PERM_PT_EVENT, NOVA_SPC_OBJ, 0, 0);
    if (st == NOVA_SUCCESS)
        st = hc_ctrl_pd(ROOT, pd, c->sel + CS_PT_EVT + NOVA_EV_HST_STARTUP, SVC_SEL_EVT + NOVA_EV_HST_STARTUP, 0,
                        NOVA_PERM_PT_EVENT, NOVA_SPC_OBJ, 0, 0);
    if (st == NOVA_SUCCESS)
        st = hc_ctrl_pd(ROOT, pd, c->sel + CS_PT_CALL, SVC_SEL_CALL, 0, NOVA_PERM_PT_CALL, NOVA_SPC_OBJ, 0, 0);
    return st;
}

/* Empty c's object space: a VMM holds its own PD and objects whose threads are its own, cycles
   that would keep its PD alive after the root drops its capabilities (docs/abi.md). This also
   stops every thread the client made. */
static void clear_objects(const struct client *c)
{
    for (uint64_t sel = 0; sel < NOVA_SEL_NUM; sel += 1ull << NULL_ORDER)
        hc_ctrl_pd(ROOT, c->sel + CS_PD, SEL_NULL_BLOCK, sel, NULL_ORDER, NOVA_PERM_MASK, NOVA_SPC_OBJ, 0, 0);
}

/* Unmap and free everything c holds and drop every capability of its block. */
static uint64_t release(struct client *c)
{
    uint64_t freed = 0;
    clear_objects(c);
    for (unsigned i = 0; i < c->nranges; i++)
        range_unmap(c, &c->range[i]);
    hc_ctrl_pd(ROOT, ROOT, SEL_CLIENTS - CS_BLOCK, c->sel, BLOCK_ORDER, NOVA_PERM_MASK, NOVA_SPC_OBJ, 0, 0);
    for (unsigned i = 0; i < c->nranges; i++) {
        memory_free(c->range[i].phys, c->range[i].size);
        freed += c->range[i].size;
    }
    lock_take(&table_lock);
    c->nranges = 0;
    c->used = 0;
    lock_give(&table_lock);
    return freed;
}

struct client *client_load(const char *name, const void *elf, size_t size, const char *file, uint64_t limit,
                            unsigned cpu, const char *cmdline, const struct svc_vm *vm)
{
    struct elf_load img;
    char why[160];
    if (elf_load_check(elf, size, SVC_IMAGE_LO, SVC_MEM_WINDOW, &img, why, sizeof(why))) {
        say("root: %s: %s: %s\n", name, file, why);
        return 0;
    }
    uint64_t need = SVC_STACK_SIZE + PAGE;
    for (unsigned i = 0; i < img.nseg; i++)
        need += elf_load_end(&img.seg[i]) - elf_load_first(&img.seg[i]);
    if (need > limit) {
        say("root: %s: %s needs %lu KiB to start, more than its memory limit of %lu KiB\n", name, file, need / KIB,
            limit / KIB);
        return 0;
    }
    if (loaded == CLIENT_MAX) {
        say("root: %s: no room for more than %u clients\n", name, CLIENT_MAX);
        return 0;
    }

    struct client *c = &clients[loaded];
    c->sel = SEL_CLIENTS + (uint64_t)loaded * CS_BLOCK;
    c->limit = limit;
    c->entry = img.entry;
    c->cpu = cpu;
    c->waiting = false;
    c->vmm = vm != 0;
    size_t n = strlen(name);
    memcpy(c->name, name, n < sizeof(c->name) - 1 ? n : sizeof(c->name) - 1);
    hc_create_sm(c->sel + CS_WAIT_SM, ROOT, 0);
    hc_create_sm(c->sel + CS_INPUT_SM, ROOT, 0);

    uint64_t stack;
    unsigned st = hc_create_pd(c->sel + CS_PD, ROOT);
    if (st != NOVA_SUCCESS) {
        say("root: %s: create_pd: %s\n", name, nova_status_name(st));
        goto fail;
    }
    if (load_segments(c, &img, elf))
        goto fail;
    if (take(c, SVC_STACK_SIZE, SVC_STACK_TOP - SVC_STACK_SIZE, RW, &stack) != SVC_OK ||
        write_info(c, cmdline, vm)) {
        say("root: %s: no memory for its stack and start-up page\n", name);
        goto fail;
    }
    if (vm && equip_vmm(c)) {
        say("root: %s: cannot give it its PD and HIP page\n", name);
        goto fail;
    }
    st = make_portals(c, cpu);
    if (st == NOVA_SUCCESS)
        st = hc_create_ec(c->sel + CS_EC, c->sel + CS_PD, SVC_UTCB_VA, cpu, SVC_STACK_TOP, SVC_SEL_EVT,
                          NOVA_CREATE_EC_T | NOVA_CREATE_EC_F);
    if (st != NOVA_SUCCESS) {
        say("root: %s: portals and thread: %s\n", name, nova_status_name(st));
        goto fail;
    }

    loaded++;
    c->state = CLIENT_LOADED;
    say("root: %s: loaded %s for cpu %u, entry %#lx (using %lu KiB of %lu KiB)\n", name, file, cpu, c->entry,
        c->used / KIB, c->limit / KIB);
    return c;

fail:
    release(c);
    memset(c, 0, sizeof(*c));
    return 0;
}

void client_end(struct client *c, enum svc_end end, uint64_t code)
{
    lock_take(&table_lock);
    bool first = c->state == CLIENT_RUNNING;
    if (first) {
        c->state = CLIENT_ENDING;
        c->end = end;
        c->code = code;
    }
    lock_give(&table_lock);
    if (first)
        hc_sm_up(SEL_ENDED_SM);
}

unsigned client_wait(struct client *c, const char *name, unsigned *how, uint64_t *code)
{
    lock_take(&table_lock);
    struct client *t = 0;
    for (unsigned i = 0; i < loaded && !t; i++)
        if (&clients[i] != c && !strcmp(clients[i].name, name))
            t = &clients[i];
    while (t && t->state != CLIENT_GONE) {
        c->waiting = true;
        lock_give(&table_lock);
        hc_sm_down(c->sel + CS_WAIT_SM, 0, 0);
        lock_take(&table_lock);
    }
    if (t) {
        *how = t->end;
        *code = t->code;
    }
    lock_give(&table_lock);
    return t ? SVC_OK : SVC_E_NAME;
}

const char *client_owner(uint64_t phys, char *buf, size_t len)
{
    const char *who = 0;
    lock_take(&table_lock);
    for (unsigned i = 0; i < loaded && !who; i++)
        for (unsigned r = 0; r < clients[i].nranges; r++)
            if (phys - clients[i].range[r].phys < clients[i].range[r].size)
                who = clients[i].name;
    if (who) {
        size_t n = strlen(who);
        memcpy(buf, who, n < len - 1 ? n : len - 1);
        buf[n < len - 1 ? n : len - 1] = '\0';
    }
    lock_give(&table_lock);
    return who ? buf : 0;
}

static void line_out(struct client *c, bool end)
{
    console_text(c, loaded > 1 ? c->name : 0, c->line, c->line_len, end);
    c->line_len = 0;
}

void client_output(struct client *c, const char *text, size_t len, bool push)
{
    for (size_t i = 0; i < len; i++) {
        char ch = text[i];
        if (ch == '\n') {
            line_out(c, true);
            continue;
        }
        /* Control characters could move the cursor over other clients' lines; a client alone keeps
           its terminal's (a VM's shell edits its line with them). Line ends are the root's: the
           CR of a guest terminal's "\r\n" goes. */
        bool alone = loaded == 1;
        if (ch == '\r' && !alone)
            continue;
        c->line[c->line_len++] = alone || (ch >= 0x20 && ch < 0x7f) || ch == '\t' ? ch : '?';
        if (c->line_len == CLIENT_LINE)
            line_out(c, true);
    }
    if (push && c->line_len)
        line_out(c, false);
}

unsigned client_read(struct client *c, char *buf, unsigned max, bool wait)
{
    lock_take(&table_lock);
    while (!c->in_len && wait) {
        c->reading = true;
        lock_give(&table_lock);
        hc_sm_down(c->sel + CS_INPUT_SM, 0, 0);
        lock_take(&table_lock);
    }
    unsigned n = 0;
    for (; n < max && c->in_len; n++, c->in_len--, c->in_head = (c->in_head + 1) % CLIENT_INPUT)
        buf[n] = c->in[c->in_head];
    lock_give(&table_lock);
    return n;
}

void clients_input(char ch)
{
    lock_take(&table_lock);
    struct client *c = focus;
    if (c && c->in_len < CLIENT_INPUT) {
        c->in[(c->in_head + c->in_len++) % CLIENT_INPUT] = ch;
        if (c->reading) {
            c->reading = false;
            hc_sm_up(c->sel + CS_INPUT_SM);
        }
    }
    lock_give(&table_lock);
}

/* The running client after c in load order (c itself when it is the only one), or NULL. */
static struct client *next_running(const struct client *c)
{
    unsigned start = c ? (unsigned)(c - clients) + 1 : 0;
    for (unsigned k = 0; k < loaded; k++) {
        struct client *n = &clients[(start + k) % loaded];
        if (n->state == CLIENT_RUNNING)
            return n;
    }
    return 0;
}

void clients_focus(unsigned n)
{
    lock_take(&table_lock);
    struct client *to = n == 0 ? next_running(focus) : n <= loaded ? &clients[n - 1] : 0;
    bool ok = to && to->state == CLIENT_RUNNING;
    if (ok)
        focus = to;
    lock_give(&table_lock);
    if (ok)
        say("root: input goes to %s\n", to->name);
    else if (n)
        say("root: no client %u is running; input stays with %s\n", n, focus ? focus->name : "nobody");
    else
        say("root: no client is running\n");
}

/* Take down one client that has ended, tell its waiters, and move the focus on if it had it. */
static void finish(struct client *c)
{
    drivers_release(c);
    lock_take(&account_lock);
    uint64_t freed = release(c);
    if (c->line_len)
        line_out(c, true);
    say("root: %s: %lu KiB returned, %lu KiB free\n", c->name, freed / KIB, memory_free_bytes() / KIB);
    lock_give(&account_lock);
    lock_take(&table_lock);
    c->state = CLIENT_GONE;
    for (unsigned i = 0; i < loaded; i++)
        if (clients[i].waiting) {
            clients[i].waiting = false;
            hc_sm_up(clients[i].sel + CS_WAIT_SM);
        }
    struct client *to = focus == c ? next_running(c) : focus;
    bool moved = to != focus;
    focus = to;
    lock_give(&table_lock);
    if (moved && to)
        say("root: input goes to %s\n", to->name);
}

unsigned clients_run(void)
{
    /* Every client was loaded before any runs: a client finds all the others by name. */
    focus = loaded ? &clients[0] : 0;
    if (focus)
        say("root: input goes to %s (Ctrl-A then a client's number moves it, Ctrl-A n to the next)\n",
            focus->name);
    for (unsigned i = 0; i < loaded; i++) {
        struct client *c = &clients[i];
        c->state = CLIENT_RUNNING;
        unsigned st = hc_create_sc(c->sel + CS_SC, c->sel + CS_PD, c->sel + CS_EC,
                                   nova_scd(CLIENT_BUDGET, CLIENT_PRIO, 0));
        if (st != NOVA_SUCCESS) {
            say("root: %s: create_sc: %s\n", c->name, nova_status_name(st));
            client_end(c, SVC_END_KILLED, 0);
        }
    }
    for (;;) {
        struct client *ending = 0;
        unsigned alive = 0;
        lock_take(&table_lock);
        for (unsigned i = 0; i < loaded; i++) {
            if (clients[i].state == CLIENT_ENDING && !ending)
                ending = &clients[i];
            alive += clients[i].state == CLIENT_RUNNING || clients[i].state == CLIENT_ENDING;
        }
        lock_give(&table_lock);
        if (ending)
            finish(ending);
        else if (!alive)
            break;
        else
            hc_sm_down(SEL_ENDED_SM, 0, 0);
    }
    unsigned failed = 0;
    for (unsigned i = 0; i < loaded; i++)
        failed += clients[i].end != SVC_END_EXIT || clients[i].code != 0;
    return failed;
}
