/* SPDX-License-Identifier: MIT */
/* Where the root task keeps its own objects: selectors and UTCB addresses (the initial
   capabilities are at the top of its object space, NOVA_SEL_PD_NOVA and below). */
#pragma once

#define SEL_CONSOLE_LOCK 0x100
#define SEL_POOL_LOCK    0x101
#define SEL_TABLE_LOCK   0x102
#define SEL_ENDED_SM     0x103    /* clients that end wake the main thread here */
#define SEL_CLIENTS      0x20000  /* one block of CS_BLOCK per client; the block below stays empty */

#define UTCB_HANDLERS    0x300000000000ull  /* UTCBs of the client handler ECs, one page each */
