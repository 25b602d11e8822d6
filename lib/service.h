/* SPDX-License-Identifier: MIT */
/* The root task's services for the programs it starts: address-space layout, selectors, calls. */
#pragma once

#include <stdint.h>

/*
 * A client's address space. Its ELF segments lie in [SVC_IMAGE_LO, SVC_MEM_WINDOW). Memory it
 * is given appears at SVC_MEM_WINDOW + the physical address (as in the root task's window), so an
 * address names a frame system-wide; only the client's own frames are mapped there.
 */
#define SVC_IMAGE_LO   0x1000ull
#define SVC_MEM_WINDOW 0x100000000000ull
#define SVC_MEM_LIMIT  0x200000000000ull    /* physical addresses the window covers */
#define SVC_STACK_TOP  0x7fffff000000ull    /* initial RSP; the stack is SVC_STACK_SIZE below it */
#define SVC_STACK_SIZE 0x4000ull
#define SVC_INFO_VA    0x7fffffffc000ull    /* struct svc_info, read-only; RDI at entry */
#define SVC_UTCB_VA    0x7fffffffe000ull    /* the client's UTCB */

/* A client's object space: portals for its exceptions at SVC_SEL_EVT + vector and its start-up
   event (event permission only), and the service portal (call permission only). */
#define SVC_SEL_EVT  0x0
#define SVC_SEL_CALL 0x40

/*
 * Calls: ipc_call on SVC_SEL_CALL with word 0 = the operation; the reply's word 0 is the status.
 *   SVC_WRITE  word 1 = length (at most SVC_WRITE_MAX), the bytes from word 2: console output.
 *              The root prints whole lines, prefixed with the client's name when several run.
 *   SVC_ALLOC  word 1 = bytes (rounded up to pages): fresh zeroed memory counted against the
 *              client's limit; reply word 1 = its address (in the window above).
 *   SVC_WAIT   words 1-4 = a client's name (NUL-padded): returns when that client has ended;
 *              reply word 1 = SVC_END_*, word 2 = its exit code.
 *   SVC_EXIT   word 1 = exit code: the client ends and everything it had goes back to the root.
 *   SVC_READ   word 1 = most bytes wanted (at most SVC_READ_MAX): console input typed while the
 *              client has the input focus; waits for at least one byte. Reply word 1 = the
 *              count, the bytes from word 2. The root turns CR into LF and echoes nothing.
 */
enum svc_op { SVC_WRITE = 1, SVC_ALLOC, SVC_WAIT, SVC_EXIT, SVC_READ };

enum svc_status {
    SVC_OK = 0,
    SVC_E_REQUEST,  /* unknown operation or malformed message */
    SVC_E_LIMIT,    /* more than the client's memory limit */
    SVC_E_NOMEM,    /* the root has no free range that large */
    SVC_E_RANGES,   /* the client holds as many separate ranges as the root records */
    SVC_E_NAME,     /* no other client of that name */
};

enum svc_end { SVC_END_EXIT = 1, SVC_END_KILLED };

#define SVC_WRITE_MAX 256
#define SVC_READ_MAX  256
#define SVC_NAME_MAX  32   /* with the NUL */

/* The start-up page: who the client is and what it was given before it ran. */
#define SVC_INFO_MAGIC   0x6f666e6920637673ull /* "svc info" */
#define SVC_INFO_RANGES  12
#define SVC_CMDLINE_MAX  1024 /* with the NUL */

struct svc_range {
    uint64_t phys, va, size;
};

struct svc_info {
    uint64_t magic;
    uint64_t limit;             /* bytes of memory the client may hold */
    uint64_t used;              /* bytes it holds at start: image, stack, this page */
    uint32_t nranges;
    uint32_t pad;
    struct svc_range range[SVC_INFO_RANGES]; /* those bytes, in the order they were given */
    char name[SVC_NAME_MAX];
    char cmdline[SVC_CMDLINE_MAX];
};

_Static_assert(sizeof(struct svc_info) <= 4096, "the start-up page is one page");
