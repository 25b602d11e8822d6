/* SPDX-License-Identifier: MIT */
/* Hypervisor command line: the switches of the NOVA interface. */
#pragma once

#include <stdbool.h>

struct cmdline {
    bool insecure, nodl, nopcid, nosmmu, noturbo, nouart, novpid;
};

extern struct cmdline cmdline;

/* Parse the boot loader's command line; unknown words are reported through warn(). A leading
   image path (a word with '/', as QEMU and some loaders pass it) is skipped. */
void cmdline_parse(const char *s, void (*warn)(const char *word, unsigned len));
