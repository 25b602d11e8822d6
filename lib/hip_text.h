/* SPDX-License-Identifier: MIT */
/* The HIP as one line of key=value pairs: the kernel logs it and the root task prints it. */
#pragma once

#include <nova/hip.h>
#include <stddef.h>

int hip_text(char *buf, size_t size, const struct nova_hip *h);
