/* SPDX-License-Identifier: MIT */
/* Absolute STC (TSC) deadlines of ECs blocked in a semaphore down, per CPU. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct ec;

bool timeout_expired(uint64_t deadline);
/* Wake ec with TIMEOUT at deadline unless it is woken before. */
void timeout_arm(struct ec *ec, uint64_t deadline);
void timeout_cancel(struct ec *ec);
/* Timer interrupt: wake the ECs whose deadline passed; returns the next deadline or 0. */
uint64_t timeout_expire(unsigned cpu);
/* The earliest pending deadline on cpu, or 0. */
uint64_t timeout_next(unsigned cpu);
