/* SPDX-License-Identifier: MIT */
/* Interrupt descriptor table: 256 gates to the stubs in entry.S. */
#pragma once

void idt_init(void);
void idt_load(void);
