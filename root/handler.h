/* SPDX-License-Identifier: MIT */
/* The portal handlers through which a client's start-up, exceptions and service calls reach the root. */
#pragma once

#include <portal.h>
#include <stdint.h>

/* ctx->arg is the struct client. */
uint64_t handler_startup(struct portal_ctx *ctx, uint64_t mtd);
uint64_t handler_exception(struct portal_ctx *ctx, uint64_t mtd);
uint64_t handler_call(struct portal_ctx *ctx, uint64_t mtd);
