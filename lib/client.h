/* SPDX-License-Identifier: MIT */
/* Runtime for programs the root task starts: its services as C calls, printf to its console. */
#pragma once

#include "service.h"

#include <stdint.h>

/* Check the start-up page the root passed (RDI at entry) and send printf to the root's console;
   NULL if info_va is not the start-up page. */
const struct svc_info *client_init(uint64_t info_va);
/* Fresh zeroed memory: SVC_OK and its address in *va, or the root's error status. */
unsigned client_alloc(uint64_t size, uint64_t *va);
/* Wait until the client called name has ended; *how gets SVC_END_*, *code its exit code. */
unsigned client_wait(const char *name, unsigned *how, uint64_t *code);
/* Wait for console input and copy up to max bytes (at most SVC_READ_MAX) to buf; the count, or 0
   if the root refused. */
unsigned client_read(char *buf, unsigned max);
/* Print what is buffered, then end with code. */
__attribute__((noreturn)) void client_exit(unsigned code);
