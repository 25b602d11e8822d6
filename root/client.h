/* SPDX-License-Identifier: MIT */
/* Clients of the root task: user programs in their own PDs, loaded from ELF boot modules. */
#pragma once

#include <nova/events.h>
#include <portal.h>
#include <service.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CLIENT_MAX     16
#define CLIENT_RANGES  32                        /* separate memory ranges one client can hold */
#define CLIENT_EVENTS  (NOVA_EV_HST_STARTUP + 1) /* exception vectors and the start-up event */
#define CLIENT_CALL    CLIENT_EVENTS             /* ctx[] index of the service portal */
#define CLIENT_LINE    256                       /* console line buffer */
#define CLIENT_INPUT   256                       /* typed bytes not yet read */
#define HANDLER_STACK  8192

enum client_state { CLIENT_UNUSED, CLIENT_LOADED, CLIENT_RUNNING, CLIENT_ENDING, CLIENT_GONE };

struct client_range {
    uint64_t phys, va, size;
    bool dma;                       /* also in its DMA space, at I/O address phys */
};

struct client {
    enum client_state state;
    bool vmm;                       /* it runs a VM (the VMM program for a VM section) */
    bool dma;                       /* its devices are assigned to its PD: SVC_ALLOC memory is DMA-mapped */
    char name[SVC_NAME_MAX];
    uint64_t sel;                   /* its block of CS_BLOCK selectors in the root's space */
    uint64_t entry;
    unsigned cpu;                   /* where its thread and handler run */
    uint64_t limit, used;           /* bytes */
    unsigned nranges;
    struct client_range range[CLIENT_RANGES];
    enum svc_end end;               /* how it ended, once it is ENDING */
    uint64_t code;                  /* exit code, or the vector that killed it */
    bool waiting;                   /* its handler sleeps in SVC_WAIT */
    bool reading;                   /* its handler sleeps in SVC_READ */
    unsigned in_head, in_len;       /* ring of typed bytes */
    char in[CLIENT_INPUT];
    unsigned line_len;
    char line[CLIENT_LINE];
    struct portal_ctx ctx[CLIENT_CALL + 1];
    uint8_t stack[HANDLER_STACK] __attribute__((aligned(16)));  /* of its handler EC */
};

/* A client's selectors in the root's object space, from client.sel. The event portals are
   delegated to SVC_SEL_EVT + event in the client's space, the call portal to SVC_SEL_CALL. */
enum {
    CS_PT_EVT = 0,
    CS_PT_CALL = CLIENT_EVENTS,
    CS_HANDLER,                     /* the local EC behind all its portals */
    CS_PD,
    CS_EC,
    CS_SC,
    CS_WAIT_SM,                     /* its handler blocks here in SVC_WAIT */
    CS_INPUT_SM,                    /* and here in SVC_READ */
    CS_BLOCK = 64,
};

/* Set up the locks and semaphores (selectors from res.h). */
void clients_init(void);
/* Load the ELF image elf (size bytes, from the module called file) as client name with a memory
   limit in bytes, for cpu, with cmdline; say why not and return NULL if it cannot. It runs from
   clients_run on. A VMM gets its VM's section vm in its start-up page, its own PD and a copy of
   the HIP (vm is NULL for a program). */
struct client *client_load(const char *name, const void *elf, size_t size, const char *file, uint64_t limit,
                            unsigned cpu, const char *cmdline, const struct svc_vm *vm);
/* Let every loaded client run, and wait until all have ended, taking each down as it ends; the
   number of clients that did not exit with code 0. */
unsigned clients_run(void);

/* For the portal handlers (service.c): */
/* Fresh memory for c at its window address: SVC_OK and *va, or why not. */
unsigned client_grant(struct client *c, uint64_t size, uint64_t *va);
/* Wait for the other client called name to end (SVC_OK, *how, *code), or SVC_E_NAME. */
unsigned client_wait(struct client *c, const char *name, unsigned *how, uint64_t *code);
/* Record how c ended and have the main thread take it down. */
void client_end(struct client *c, enum svc_end end, uint64_t code);
/* The name of the client holding physical address phys, or NULL. */
const char *client_owner(uint64_t phys, char *buf, size_t len);
/* Console output of c: whole lines go out, prefixed with its name when several clients run; with
   push, an incomplete line (a prompt) goes out too. */
void client_output(struct client *c, const char *text, size_t len, bool push);
/* Copy up to max typed bytes for c to buf, waiting for one if wait is set; the count. */
unsigned client_read(struct client *c, char *buf, unsigned max, bool wait);

/* For the console input thread (input.c): */
/* A typed byte for the client with the input focus (dropped when none has it or its buffer is full). */
void clients_input(char ch);
/* Give the focus to the n-th client loaded (from 1), or to the next running one when n is 0. */
void clients_focus(unsigned n);
