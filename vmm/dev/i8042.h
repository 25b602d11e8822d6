/* SPDX-License-Identifier: MIT */
/* The PS/2 keyboard controller (i8042) at ports 0x60/0x64 with a keyboard and no mouse. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct vm;

#define I8042_QUEUE 16

/* Bytes waiting for the output buffer; each entry is the byte | I8042_Q_* flags. */
struct i8042_queue {
    uint16_t data[I8042_QUEUE];
    uint8_t head, count;
};

struct i8042 {
    struct vm *vm;
    uint8_t ram[32];            /* controller RAM; byte 0 is the command byte */
    uint8_t outport;
    uint8_t pending;            /* controller command waiting for its data byte, 0 = none */
    bool last_was_cmd;          /* status bit 3 */
    uint16_t ob;                /* output buffer: byte | I8042_Q_* flags */
    bool ob_full;
    struct i8042_queue ctl;     /* controller replies (and aux bytes, which only it makes) */
    struct i8042_queue kbd;     /* the keyboard's output, held back while the interface is disabled */
    uint8_t kbd_pending;        /* keyboard command waiting for its parameter, 0 = none */
    bool kbd_scanning;
    uint8_t kbd_leds, kbd_set, kbd_typematic, kbd_last;
    uint8_t logged;             /* problems already logged */
};

/* Reset the controller and keyboard and claim ports 0x60 and 0x64. Interrupts: GSI 1 (keyboard) and
   GSI 12 (aux) are pulsed when a byte enters the output buffer and the command byte enables them. */
void i8042_init(struct i8042 *kbc, struct vm *vm);
/* A byte from the keyboard (a scan code exactly as the guest should read it: set 1 while the command
   byte's translation bit is set, as Linux expects). false if the keyboard is disabled or its queue
   is full (the byte is not taken). */
bool i8042_key(struct i8042 *kbc, uint8_t scancode);
