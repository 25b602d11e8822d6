/* SPDX-License-Identifier: MIT */
/* FPU/SSE/AVX state per EC: XSAVE (or FXSAVE) on switch between ECs that have the F flag. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct ec;

/* Per CPU: enable FXSR/XSAVE and pick the state components (x87, SSE, AVX). */
void fpu_init_cpu(void);
/* A fresh state area for an EC with F=1 (initial x87/SSE control words); NULL when out of memory. */
void *fpu_area_create(void);
/* Called when ec is about to run on this CPU: give it the FPU, or make FPU use fault (#NM). */
void fpu_switch(struct ec *ec);
/* The XCR0 every thread runs with (the components the state areas hold); 0 without XSAVE. */
uint64_t fpu_xcr0(void);
/* Before this CPU loses its registers (sleep): put the owner's state into its area, own nothing. */
void fpu_save_cpu(void);
