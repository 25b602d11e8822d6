/* SPDX-License-Identifier: MIT */
/* Start-up chores every root task shares: the UART console, the boot information, a clean exit. */
#pragma once

#include <multiboot.h>
#include <stdbool.h>
#include <stdint.h>

/* Take COM1 from PD_NOVA and send printf there; false if the ports could not be taken. */
bool roottask_console(void);
/* Parse the multiboot information the hypervisor passed in RDI/RSI into *mb. */
enum mb_status roottask_boot_info(uint64_t magic, uint64_t info, struct mb_info *mb);
/* Stop for good. If our own module's command line has "qemu-exit", first tell QEMU's
   isa-debug-exit device (port 0xf4) to exit with status (code << 1) | 1. */
__attribute__((noreturn)) void roottask_finish(const struct mb_info *mb, unsigned code);
