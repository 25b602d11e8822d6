/* SPDX-License-Identifier: MIT */
/* The VMM's console: its own messages (printf) and its guest's serial output go to the root's
   console service a whole line at a time, and typed input comes back from it, through one thread
   (the other threads cannot make calls with their own UTCBs at any moment: vCPU handlers are in
   the middle of an exit). A guest line left incomplete for CONSOLE_IDLE_MS (a shell prompt) is
   pushed out as it is. */

#include "core/console.h"

#include <client.h>
#include <hc.h>
#include <lock.h>
#include <nova/hip.h>
#include <res.h>
#include <stdio.h>
#include <string.h>
#include <thread.h>

#define STREAM_SIZE     8192
#define INPUT_SIZE      256
#define CONSOLE_IDLE_MS 10      /* the thread's period, and how long a partial guest line may wait */
#define CONSOLE_PRIO    30      /* above the vCPUs (10) and the device thread (20) */
#define CONSOLE_BUDGET  10      /* ms */
#define FLUSH_WAIT_MS   1000

struct stream {
    char buf[STREAM_SIZE];
    unsigned len;
    uint64_t last;              /* TSC of the last byte */
};

static struct stream msgs, guest;
static struct lock lock;        /* both streams and the input ring */
static uint64_t wake_sm;
static bool running;
static char in[INPUT_SIZE];
static unsigned in_head, in_len;
static char chunk[STREAM_SIZE]; /* the console thread's copy of what it sends */
static bool sending;            /* chunk holds bytes the root has not had yet */

/* Append c to s; when s is full, wait for the console thread to empty it. */
static void put(struct stream *s, char c)
{
    lock_take(&lock);
    while (s->len == STREAM_SIZE && running) {
        lock_give(&lock);
        hc_sm_up(wake_sm);
        nap_ms(1);
        lock_take(&lock);
    }
    if (s->len < STREAM_SIZE) {
        s->buf[s->len++] = c;
        s->last = rdtsc_now();
    }
    bool wake = c == '\n' && s == &msgs;
    lock_give(&lock);
    if (wake)
        hc_sm_up(wake_sm);
}

static void msg_putc(char c)
{
    put(&msgs, c);
}

void host_console_putc(char c)
{
    put(&guest, c);
}

int host_console_getc(void)
{
    int c = -1;
    lock_take(&lock);
    if (in_len) {
        c = (unsigned char)in[in_head];
        in_head = (in_head + 1) % INPUT_SIZE;
        in_len--;
    }
    lock_give(&lock);
    return c;
}

/* Take the whole lines of s (everything when it is full or push is set) into chunk; the count. */
static unsigned take_lines(struct stream *s, bool push)
{
    lock_take(&lock);
    unsigned n = s->len;
    if (!push && n < STREAM_SIZE)
        while (n && s->buf[n - 1] != '\n')
            n--;
    memcpy(chunk, s->buf, n);
    memmove(s->buf, s->buf + n, s->len - n);
    s->len -= n;
    sending = n != 0;
    lock_give(&lock);
    return n;
}

/* Send what take_lines took; console_flush waits for this too, not just for empty streams. */
static void send(union nova_utcb *u, unsigned n, bool push)
{
    for (unsigned off = 0; off < n; off += SVC_WRITE_MAX) {
        unsigned len = n - off < SVC_WRITE_MAX ? n - off : SVC_WRITE_MAX;
        client_write_on(u, chunk + off, len, push && off + len == n);
    }
    lock_take(&lock);
    sending = false;
    lock_give(&lock);
}

/* Typed bytes waiting at the root go into the ring while it has room. */
static void poll_input(union nova_utcb *u)
{
    char buf[SVC_READ_MAX];
    lock_take(&lock);
    unsigned room = INPUT_SIZE - in_len;
    lock_give(&lock);
    if (!room)
        return;
    unsigned n = client_read_on(u, buf, room < SVC_READ_MAX ? room : SVC_READ_MAX, false);
    lock_take(&lock);
    for (unsigned i = 0; i < n && in_len < INPUT_SIZE; i++)
        in[(in_head + in_len++) % INPUT_SIZE] = buf[i];
    lock_give(&lock);
}

static void console_main(void *arg)
{
    union nova_utcb *u = arg;
    uint64_t hz = ((const struct nova_hip *)NOVA_HIP_VADDR)->stc_freq;
    for (;;) {
        send(u, take_lines(&msgs, false), false);
        lock_take(&lock);
        bool idle = guest.len && rdtsc_now() - guest.last >= hz / 1000 * CONSOLE_IDLE_MS;
        lock_give(&lock);
        send(u, take_lines(&guest, idle), idle);
        poll_input(u);
        hc_sm_down(wake_sm, 0, deadline_ms(CONSOLE_IDLE_MS));
    }
}

int console_start(unsigned cpu)
{
    uint64_t utcb = utcb_alloc();
    wake_sm = sel_alloc(1);
    if (lock_init(&lock, sel_alloc(1)) != NOVA_SUCCESS || hc_create_sm(wake_sm, NOVA_SEL_PD_ROOT, 0) != NOVA_SUCCESS)
        return -1;
    if (thread_start(sel_alloc(1), sel_alloc(1), cpu, utcb, stack_alloc(), CONSOLE_PRIO, CONSOLE_BUDGET,
                     console_main, (void *)utcb) != NOVA_SUCCESS)
        return -1;
    running = true;
    stdio_set_output(msg_putc);
    return 0;
}

void console_flush(void)
{
    if (!running)
        return;
    for (unsigned ms = 0; ms < FLUSH_WAIT_MS; ms++) {
        lock_take(&lock);
        bool empty = !msgs.len && !guest.len && !sending; /* the last line may be on its way */
        if (guest.len)
            guest.last = 0; /* push a partial line at once */
        lock_give(&lock);
        if (empty)
            return;
        hc_sm_up(wake_sm);
        nap_ms(1);
    }
}
