/* SPDX-License-Identifier: MIT */
/* The device thread of a VM: timers and console input. */
#pragma once

#include "core/vm.h"

/* Thread body (lib/thread.h): arg is the struct vm. */
void devthread_main(void *arg);
