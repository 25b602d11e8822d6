/* SPDX-License-Identifier: MIT */
/* Start the application processors listed in the MADT. */
#pragma once

struct mb_info;

/* Start every enabled AP of the MADT; the trampoline page must not hold boot data. */
void smp_boot(const struct mb_info *mb);
