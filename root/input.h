/* SPDX-License-Identifier: MIT */
/* Console input: the root reads COM1 on its interrupt and hands typed bytes to the client that has
   the input focus; Ctrl-A followed by a key moves the focus, as in a terminal multiplexer. */
#pragma once

#include <stdbool.h>

/* Take COM1's interrupt (GSI 4) and start the input thread on cpu; false (and said why) if not. */
bool input_start(unsigned cpu);
