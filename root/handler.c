/* SPDX-License-Identifier: MIT */
/* The portal handlers through which a client's start-up, exceptions and service calls reach the root. */

#include "handler.h"
#include "client.h"
#include "clock.h"
#include "console.h"
#include "drivers.h"
#include "module.h"

#include <format.h>
#include <nova/mtd.h>
#include <service.h>
#include <string.h>

#define PAGE       4096ull
#define WORD       8u
#define PF_PRESENT 0x1u  /* page-fault error code bits */
#define PF_WRITE   0x2u
#define PF_FETCH   0x10u
#define WRITE_LEN  0xffffffffull  /* SVC_WRITE word 1: the length; above it SVC_WRITE_PUSH */

static const char *const vector_names[NOVA_EV_HST_STARTUP] = {
    [NOVA_EV_DE] = "divide error",     [NOVA_EV_DB] = "debug exception",  [NOVA_EV_BP] = "breakpoint",
    [NOVA_EV_OF] = "overflow",         [NOVA_EV_BR] = "BOUND range",      [NOVA_EV_UD] = "invalid opcode",
    [NOVA_EV_NM] = "FPU not available", [NOVA_EV_DF] = "double fault",   [NOVA_EV_TS] = "invalid TSS",
    [NOVA_EV_NP] = "segment not present", [NOVA_EV_SS] = "stack fault",  [NOVA_EV_GP] = "general protection fault",
    [NOVA_EV_PF] = "page fault",       [NOVA_EV_MF] = "x87 FPU error",    [NOVA_EV_AC] = "alignment check",
    [NOVA_EV_MC] = "machine check",    [NOVA_EV_XM] = "SIMD exception",   [NOVA_EV_VE] = "virtualization exception",
    [NOVA_EV_CP] = "control protection",
};

static struct client *client_of(struct portal_ctx *ctx)
{
    return ctx->arg;
}

uint64_t handler_startup(struct portal_ctx *ctx, uint64_t mtd)
{
    (void)mtd;
    struct nova_utcb_arch *a = &ctx->utcb->arch;
    a->rip = client_of(ctx)->entry;
    a->rsp = SVC_STACK_TOP;
    a->rdi = SVC_INFO_VA;
    a->rsi = 0;
    return NOVA_MTD_RIP | NOVA_MTD_GPR_0_7;
}

/* Whose memory a faulting address is, for the message: the window names physical frames. */
static void describe_address(const struct client *c, uint64_t addr, char *buf, size_t len)
{
    char owner[SVC_NAME_MAX];
    buf[0] = '\0';
    if (addr < SVC_MEM_WINDOW || addr - SVC_MEM_WINDOW >= SVC_MEM_LIMIT)
        return;
    const char *who = client_owner(addr - SVC_MEM_WINDOW, owner, sizeof(owner));
    if (!who)
        snprintf(buf, len, " (no client's memory)");
    else if (!strcmp(who, c->name))
        snprintf(buf, len, " (its own memory)");
    else
        snprintf(buf, len, " (%s's memory)", who);
}

uint64_t handler_exception(struct portal_ctx *ctx, uint64_t mtd)
{
    (void)mtd;
    struct client *c = client_of(ctx);
    const struct nova_utcb_arch *a = &ctx->utcb->arch;
    unsigned vector = (unsigned)(ctx - c->ctx);
    const char *name = vector_names[vector] ? vector_names[vector] : "exception";
    if (vector == NOVA_EV_PF) {
        uint64_t err = a->qual[0], addr = a->qual[1];
        char whose[64];
        describe_address(c, addr, whose, sizeof(whose));
        say("root: %s: killed: page fault %s %#lx%s%s at rip %#lx\n", c->name,
            err & PF_FETCH ? "fetching" : err & PF_WRITE ? "writing" : "reading", addr, whose,
            err & PF_PRESENT ? ", not allowed" : "", a->rip);
    } else {
        say("root: %s: killed: %s (vector %u, error %#lx) at rip %#lx\n", c->name, name, vector, a->qual[0],
            a->rip);
    }
    client_end(c, SVC_END_KILLED, vector);
    return NOVA_MTD_POISON;
}

static uint64_t reply(uint64_t *w, unsigned status, unsigned words)
{
    w[0] = status;
    return NOVA_MTD_WORDS(words);
}

uint64_t handler_call(struct portal_ctx *ctx, uint64_t mtd)
{
    struct client *c = client_of(ctx);
    uint64_t *w = ctx->utcb->regular.word;
    unsigned words = nova_mtd_words((uint32_t)mtd);
    switch (w[0]) {
    case SVC_WRITE: {
        uint64_t len = w[1] & WRITE_LEN;
        if (words < 2 || (w[1] & ~(WRITE_LEN | SVC_WRITE_PUSH)) || len > SVC_WRITE_MAX ||
            (len + WORD - 1) / WORD > words - 2)
            return reply(w, SVC_E_REQUEST, 1);
        client_output(c, (const char *)&w[2], len, w[1] & SVC_WRITE_PUSH);
        return reply(w, SVC_OK, 1);
    }
    case SVC_ALLOC: {
        uint64_t size = (w[1] + PAGE - 1) & ~(PAGE - 1), va = 0;
        if (words < 2 || size == 0 || size < w[1])
            return reply(w, SVC_E_REQUEST, 1);
        unsigned st = client_grant(c, size, &va);
        w[1] = va;
        return reply(w, st, 2);
    }
    case SVC_WAIT: {
        char name[SVC_NAME_MAX];
        unsigned how = 0;
        uint64_t code = 0;
        if (words < 1 + SVC_NAME_MAX / WORD)
            return reply(w, SVC_E_REQUEST, 1);
        memcpy(name, &w[1], sizeof(name));
        name[sizeof(name) - 1] = '\0';
        unsigned st = client_wait(c, name, &how, &code);
        w[1] = how;
        w[2] = code;
        return reply(w, st, 3);
    }
    case SVC_READ: {
        char buf[SVC_READ_MAX];
        uint64_t flags = words < 3 ? 0 : w[2];
        if (words < 2 || w[1] == 0 || w[1] > SVC_READ_MAX || (flags & ~SVC_READ_NOWAIT))
            return reply(w, SVC_E_REQUEST, 1);
        unsigned n = client_read(c, buf, (unsigned)w[1], !(flags & SVC_READ_NOWAIT));
        w[1] = n;
        memcpy(&w[2], buf, n);
        return reply(w, SVC_OK, 2 + (n + WORD - 1) / WORD);
    }
    case SVC_PIO:
        return NOVA_MTD_WORDS(svc_pio_call(c, w, words));
    case SVC_IRQ:
        return NOVA_MTD_WORDS(svc_irq_call(c, w, words));
    case SVC_PCI:
        return NOVA_MTD_WORDS(svc_pci_call(c, w, words));
    case SVC_EXIT:
        say("root: %s: exited with code %lu\n", c->name, words < 2 ? 0 : w[1]);
        client_end(c, SVC_END_EXIT, words < 2 ? 0 : w[1]);
        return reply(w, SVC_OK, 1);
    /* The services a VMM needs (docs/root.md section 7). */
    case SVC_TIME:
        clock_now(&w[1], &w[2], &w[3]);
        return reply(w, SVC_OK, 4);
    case SVC_MODULE: {
        char name[SVC_MODULE_NAME];
        if (words < 1 + SVC_MODULE_NAME / WORD)
            return reply(w, SVC_E_REQUEST, 1);
        memcpy(name, &w[1], sizeof(name));
        name[sizeof(name) - 1] = '\0';
        unsigned st = module_map(c, name, &w[1], &w[2]);
        return reply(w, st, 3);
    }
    default:
        return reply(w, SVC_E_REQUEST, 1);
    }
}
