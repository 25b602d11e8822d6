/* SPDX-License-Identifier: MIT */
/* Runtime for programs the root task starts: its services as C calls, printf to its console. */

#include "client.h"
#include "hc.h"
#include "stdio.h"

#include <nova/mtd.h>
#include <string.h>

#define WORD 8u

static union nova_utcb *const utcb = (union nova_utcb *)SVC_UTCB_VA;
static char out[SVC_WRITE_MAX];
static unsigned out_len;

/* Send words 0 .. n-1 of u (the calling thread's UTCB) to the root; the reply's status,
   SVC_E_REQUEST if none came. */
static unsigned call(union nova_utcb *u, unsigned n)
{
    if (hc_ipc_call(SVC_SEL_CALL, NOVA_MTD_WORDS(n), 0, 0) != NOVA_SUCCESS)
        return SVC_E_REQUEST;
    return (unsigned)u->regular.word[0];
}

unsigned client_call(unsigned words)
{
    return call(utcb, words);
}

unsigned client_write_on(union nova_utcb *u, const char *text, unsigned len, bool push)
{
    if (len > SVC_WRITE_MAX)
        return SVC_E_REQUEST;
    u->regular.word[0] = SVC_WRITE;
    u->regular.word[1] = len | (push ? SVC_WRITE_PUSH : 0);
    memcpy(&u->regular.word[2], text, len);
    return call(u, 2 + (len + WORD - 1) / WORD);
}

static void flush(bool push)
{
    if (out_len || push)
        client_write_on(utcb, out, out_len, push);
    out_len = 0;
}

static void client_putc(char c)
{
    out[out_len++] = c;
    if (c == '\n' || out_len == sizeof(out))
        flush(false);
}

const struct svc_info *client_init(uint64_t info_va)
{
    const struct svc_info *info = (const struct svc_info *)info_va;
    if (info_va != SVC_INFO_VA || info->magic != SVC_INFO_MAGIC)
        return 0;
    stdio_set_output(client_putc);
    return info;
}

unsigned client_alloc(uint64_t size, uint64_t *va)
{
    utcb->regular.word[0] = SVC_ALLOC;
    utcb->regular.word[1] = size;
    unsigned st = call(utcb, 2);
    if (st == SVC_OK)
        *va = utcb->regular.word[1];
    return st;
}

/* Words 1 .. max / WORD of u: name, NUL-padded to max bytes. */
static void put_name(union nova_utcb *u, const char *name, size_t max)
{
    char padded[SVC_MODULE_NAME] = {0};
    size_t n = strlen(name);
    memcpy(padded, name, n < max - 1 ? n : max - 1);
    memcpy(&u->regular.word[1], padded, max);
}

unsigned client_wait(const char *name, unsigned *how, uint64_t *code)
{
    utcb->regular.word[0] = SVC_WAIT;
    put_name(utcb, name, SVC_NAME_MAX);
    unsigned st = call(utcb, 1 + SVC_NAME_MAX / WORD);
    if (st == SVC_OK) {
        *how = (unsigned)utcb->regular.word[1];
        *code = utcb->regular.word[2];
    }
    return st;
}

unsigned client_read_on(union nova_utcb *u, char *buf, unsigned max, bool wait)
{
    u->regular.word[0] = SVC_READ;
    u->regular.word[1] = max;
    u->regular.word[2] = wait ? 0 : SVC_READ_NOWAIT;
    if (call(u, 3) != SVC_OK)
        return 0;
    unsigned n = (unsigned)u->regular.word[1];
    n = n < max ? n : max;
    memcpy(buf, &u->regular.word[2], n);
    return n;
}

unsigned client_read(char *buf, unsigned max)
{
    flush(out_len != 0); /* a prompt goes out before we wait */
    return client_read_on(utcb, buf, max, true);
}

unsigned client_time(uint64_t *wall, uint64_t *tsc, uint64_t *tsc_hz)
{
    utcb->regular.word[0] = SVC_TIME;
    unsigned st = call(utcb, 1);
    if (st == SVC_OK) {
        *wall = utcb->regular.word[1];
        *tsc = utcb->regular.word[2];
        *tsc_hz = utcb->regular.word[3];
    }
    return st;
}

unsigned client_module(const char *name, const void **bytes, uint64_t *size)
{
    utcb->regular.word[0] = SVC_MODULE;
    put_name(utcb, name, SVC_MODULE_NAME);
    unsigned st = call(utcb, 1 + SVC_MODULE_NAME / WORD);
    if (st == SVC_OK) {
        *bytes = (const void *)utcb->regular.word[1];
        *size = utcb->regular.word[2];
    }
    return st;
}

void client_exit(unsigned code)
{
    flush(false);
    utcb->regular.word[0] = SVC_EXIT;
    utcb->regular.word[1] = code;
    call(utcb, 2);
    hc_ipc_reply_wait(); /* the root takes the PD down */
}
