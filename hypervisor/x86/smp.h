/* SPDX-License-Identifier: MIT */
/* Start the application processors listed in the MADT. */
#pragma once

#include <stdbool.h>

struct mb_info;
struct percpu;

/* Start every enabled AP of the MADT; the trampoline page must not hold boot data. */
void smp_boot(const struct mb_info *mb);
/* Copy the real-mode trampoline to its low page with this CPU's CR3 (the kernel's) and EFER;
   it runs there only while paging_identity_low(1) is in force. */
void smp_trampoline_install(void);
/* Send whoever next enters the trampoline to entry(c) on c's kernel stack. */
void smp_trampoline_target(struct percpu *c, void (*entry)(struct percpu *));
/* INIT-SIPI-SIPI to c's APIC ID into entry(c); true once entry has set c->online. */
bool smp_start_cpu(struct percpu *c, void (*entry)(struct percpu *));
