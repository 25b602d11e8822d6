/* SPDX-License-Identifier: MIT */
/* The Bochs/QEMU debug console at port 0xe9; also the template for new device models (docs/devices.md). */
#pragma once

#include <stdbool.h>

struct vm;

#define DEBUGCON_PORT     0xe9
#define DEBUGCON_READBACK 0xe9  /* what a read returns: how a guest tells the port is there */

/* All of a device's state lives in a struct the caller owns (a member of struct vm); the model
   keeps no globals, so a unit test can run several instances and the VMM several VMs. */
struct debugcon {
    struct vm *vm;              /* for the vdev_* calls made from the register callbacks */
    bool logged_width;          /* a non-byte access was reported (guest problems are logged once) */
};

/* Claim port 0xe9 for this VM: every byte written to it goes to the VM's console, reads give
   DEBUGCON_READBACK. No interrupt, no timer, no guest memory. */
void debugcon_init(struct debugcon *d, struct vm *vm);
