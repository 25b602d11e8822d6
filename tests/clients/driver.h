/* SPDX-License-Identifier: MIT */
/* The test client's commands for the root's driver services (ports, interrupts, PCI). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Run command w (len characters) if it is a driver command; false if it is not one. */
bool driver_command(const char *w, size_t len);
/* A number in C notation (0x for hex), len characters; false if malformed. */
bool parse_num(const char *s, size_t len, unsigned *v);
/* The edu-dma command (edu_dma.c). */
void edu_dma_run(void);
/* A status of the root's services as words. */
const char *status_name(unsigned st);
