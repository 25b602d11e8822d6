/* SPDX-License-Identifier: MIT */
/* Calls through portals: messages (ipc_call/ipc_reply) and events (exceptions, startup, recall). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct ec;
struct pt;

/* ipc_call: send the caller's message through pt and wait for the reply. */
__attribute__((noreturn)) void ipc_call(struct ec *ec, struct pt *pt, uint32_t mtd, bool no_help);
/* ipc_reply: answer the current caller (if any) and wait for the next message. */
__attribute__((noreturn)) void ipc_reply(struct ec *ec, uint32_t mtd);
/* Deliver event number ev of ec through its portal at EVT + ev; kills ec if there is none. */
__attribute__((noreturn)) void ipc_event(struct ec *ec, unsigned ev);
/* ec dies: its caller and the ECs waiting for it learn ABORTED. */
void ipc_abort(struct ec *ec);

/* Continuations that raise the startup and recall events of a thread. */
__attribute__((noreturn)) void ec_event_startup_cont(struct ec *ec);
__attribute__((noreturn)) void ec_event_recall_cont(struct ec *ec);
__attribute__((noreturn)) void ec_event_pending_cont(struct ec *ec);
/* Block ec (waiting) on behalf of the SC running on this CPU, and run something else later. */
void ec_block(struct ec *ec);
/* Make a blocked ec ready again (its cont says how it continues). */
void ec_wake(struct ec *ec);
