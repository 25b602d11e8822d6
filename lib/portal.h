/* SPDX-License-Identifier: MIT */
/* Portal handlers in C: a local EC whose portal entry resets its stack and calls a function. */
#pragma once

#include <nova/utcb.h>
#include <stdint.h>

struct portal_ctx;
/* Handle one message or event; the return value is the MTD of the reply. */
typedef uint64_t (*portal_fn)(struct portal_ctx *ctx, uint64_t mtd);

/* The portal's PID points at this; portal_entry (portal.S) relies on the first two offsets. */
struct portal_ctx {
    uint64_t stack_top;         /* 0x00 */
    portal_fn fn;               /* 0x08 */
    union nova_utcb *utcb;      /* the handler EC's UTCB */
    void *arg;
};

/* Entry point to pass as the portal IP (create_pt). */
void portal_entry(void);

/* Create a local EC (with its UTCB at utcb_va on cpu) and a portal to it calling fn with ctx.
   ctx->stack_top, fn and arg are filled in by the caller; ec_sel and pt_sel must be free.
   Returns the first failing status. */
unsigned portal_create(uint64_t ec_sel, uint64_t pt_sel, unsigned cpu, uint64_t utcb_va, uint64_t evt,
                       struct portal_ctx *ctx);
