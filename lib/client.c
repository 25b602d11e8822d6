/* SPDX-License-Identifier: MIT */
/* Runtime for programs the root task starts: its services as C calls, printf to its console. */

#include "client.h"
#include "hc.h"
#include "stdio.h"

#include <nova/mtd.h>
#include <nova/utcb.h>
#include <string.h>

#define WORD 8u

static union nova_utcb *const utcb = (union nova_utcb *)SVC_UTCB_VA;
static char out[SVC_WRITE_MAX];
static unsigned out_len;

/* Send words 0 .. n-1 of our UTCB to the root; the reply's status, SVC_E_REQUEST if none came. */
static unsigned call(unsigned n)
{
    if (hc_ipc_call(SVC_SEL_CALL, NOVA_MTD_WORDS(n), 0, 0) != NOVA_SUCCESS)
        return SVC_E_REQUEST;
    return (unsigned)utcb->regular.word[0];
}

unsigned client_call(unsigned words)
{
    return call(words);
}

static void flush(void)
{
    if (!out_len)
        return;
    utcb->regular.word[0] = SVC_WRITE;
    utcb->regular.word[1] = out_len;
    memcpy(&utcb->regular.word[2], out, out_len);
    call(2 + (out_len + WORD - 1) / WORD);
    out_len = 0;
}

static void client_putc(char c)
{
    out[out_len++] = c;
    if (c == '\n' || out_len == sizeof(out))
        flush();
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
    unsigned st = call(2);
    if (st == SVC_OK)
        *va = utcb->regular.word[1];
    return st;
}

unsigned client_wait(const char *name, unsigned *how, uint64_t *code)
{
    char padded[SVC_NAME_MAX] = {0};
    size_t n = strlen(name);
    memcpy(padded, name, n < SVC_NAME_MAX - 1 ? n : SVC_NAME_MAX - 1);
    utcb->regular.word[0] = SVC_WAIT;
    memcpy(&utcb->regular.word[1], padded, SVC_NAME_MAX);
    unsigned st = call(1 + SVC_NAME_MAX / WORD);
    if (st == SVC_OK) {
        *how = (unsigned)utcb->regular.word[1];
        *code = utcb->regular.word[2];
    }
    return st;
}

unsigned client_read(char *buf, unsigned max)
{
    flush(); /* a prompt goes out before we wait */
    utcb->regular.word[0] = SVC_READ;
    utcb->regular.word[1] = max;
    if (call(2) != SVC_OK)
        return 0;
    unsigned n = (unsigned)utcb->regular.word[1];
    n = n < max ? n : max;
    memcpy(buf, &utcb->regular.word[2], n);
    return n;
}

void client_exit(unsigned code)
{
    flush();
    utcb->regular.word[0] = SVC_EXIT;
    utcb->regular.word[1] = code;
    call(2);
    hc_ipc_reply_wait(); /* the root takes the PD down */
}
