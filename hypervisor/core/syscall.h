/* SPDX-License-Identifier: MIT */
/* Hypercall dispatch: the identifier in RDI selects one of 16 handlers. */
#pragma once

struct ec;

/* Run the hypercall whose identifier is in ec's saved RDI (also used to retry one). */
__attribute__((noreturn)) void syscall_dispatch(struct ec *ec);

/* Handlers in other files. */
__attribute__((noreturn)) void sys_create_pd(struct ec *ec);
__attribute__((noreturn)) void sys_create_ec(struct ec *ec);
__attribute__((noreturn)) void sys_create_sc(struct ec *ec);
__attribute__((noreturn)) void sys_create_pt(struct ec *ec);
__attribute__((noreturn)) void sys_create_sm(struct ec *ec);
