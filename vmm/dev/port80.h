/* SPDX-License-Identifier: MIT */
/* Port 0x80, the POST code / I/O delay port: it stores what the guest writes and reads it back. */
#pragma once

#include <stdint.h>

struct vm;

struct port80 {
    uint8_t last;               /* the last byte written; 0xff before any write */
};

/* Claim port 0x80 for this VM. */
void port80_init(struct port80 *p, struct vm *vm);
