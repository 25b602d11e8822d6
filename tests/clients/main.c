/* SPDX-License-Identifier: MIT */
/* Test client of the root task's services: runs the commands of its command line in order. */

#include "driver.h"

#include <client.h>
#include <hc.h>
#include <stdio.h>
#include <string.h>
#include <words.h>

/*
 * Commands (words of the configuration's cmdline):
 *   alloc=SIZE    ask for SIZE (K or M suffix) and fill it with a pattern
 *   check         check the pattern of every allocation
 *   overask       ask for one page more than the limit leaves
 *   wait=NAME     wait until client NAME has ended
 *   touch-below   read the page below the lowest frame we were given at start
 *   touch-above   read the page above the highest frame we were given at start
 *   echo=N        read N lines of console input and print each
 *   exit=N        end with code N (default: 0 after the last command)
 *   time          print the root's wall clock reading (SVC_TIME)
 *   module=NAME   map boot module NAME (SVC_MODULE) and print its size and first bytes
 * and the driver commands of driver.c:
 *   pio=BASE:COUNT  ask for I/O ports (0x for hex)
 *   inb=PORT        read a port (one not given kills us)
 *   gsi=N           ask for a GSI
 *   uart-irq=PORT   have the 16550 at PORT interrupt and wait for the last GSI given
 *   uart-raise=PORT have it interrupt, without waiting
 *   irq-pending     whether the last GSI given has an interrupt counted (taking it)
 *   msi=BB:DD.F     ask for a PCI device's MSI
 *   pci-read=BB:DD.F  read a PCI device's vendor and device ID
 *   edu             find our first PCI device (QEMU's edu), map its BAR 0, take its MSI and
 *                   have it raise two interrupts
 *   edu-dma         have edu DMA a pattern through a page we allocated, then read a line of input
 *                   (another client's SVC_ALLOC address, in hex) and have edu DMA there
 */

#define PAGE   4096ull
#define KIB    1024u
#define ALLOCS 8

struct alloc {
    uint64_t *va;
    uint64_t size;
};

static const struct svc_info *info;
static struct alloc allocs[ALLOCS];
static unsigned nallocs;
static uint64_t used;

/* Decimal digits with an optional K or M suffix; 0 if malformed. */
static uint64_t parse_size(const char *s, size_t len)
{
    uint64_t v = 0, mult = 1;
    if (len && (s[len - 1] == 'K' || s[len - 1] == 'M'))
        mult = s[--len] == 'K' ? 1024 : 1024 * 1024;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    return v * mult;
}

/* A word every allocation holds at each address: ours alone (it mixes in our name). */
static uint64_t pattern(const uint64_t *p)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (const char *c = info->name; *c; c++)
        h = (h ^ (uint8_t)*c) * 0x100000001b3ull;
    return h ^ (uint64_t)p;
}

static void do_alloc(uint64_t size)
{
    uint64_t va = 0;
    unsigned st = client_alloc(size, &va);
    if (st != SVC_OK) {
        printf("allocation of %lu KiB refused: %s\n", size / KIB, status_name(st));
        return;
    }
    size = (size + PAGE - 1) & ~(PAGE - 1);
    used += size;
    uint64_t *p = (uint64_t *)va, dirty = 0, bad = 0;
    for (uint64_t i = 0; i < size / 8; i++) {
        dirty += p[i] != 0; /* another client's data must never show */
        p[i] = pattern(&p[i]);
    }
    for (uint64_t i = 0; i < size / 8; i++)
        bad += p[i] != pattern(&p[i]);
    printf("allocated %lu KiB at %#lx, %s, %s\n", size / KIB, va, dirty ? "NOT zeroed" : "zeroed",
           bad ? "pattern does NOT read back" : "pattern reads back");
    if (nallocs < ALLOCS)
        allocs[nallocs++] = (struct alloc){p, size};
}

static void do_check(void)
{
    uint64_t bad = 0, total = 0;
    for (unsigned a = 0; a < nallocs; a++) {
        for (uint64_t i = 0; i < allocs[a].size / 8; i++)
            bad += allocs[a].va[i] != pattern(&allocs[a].va[i]);
        total += allocs[a].size;
    }
    if (bad)
        printf("memory CHANGED: %lu words of %lu KiB\n", bad, total / KIB);
    else
        printf("memory intact: %lu KiB in %u allocations\n", total / KIB, nallocs);
}

static void do_overask(void)
{
    uint64_t ask = info->limit - used + PAGE, va = 0;
    printf("asking for %lu KiB, one page more than the limit leaves\n", ask / KIB);
    unsigned st = client_alloc(ask, &va);
    if (st == SVC_OK)
        printf("over-limit request GRANTED at %#lx\n", va);
    else
        printf("over-limit request refused: %s\n", status_name(st));
}

static void do_wait(const char *name)
{
    unsigned how = 0;
    uint64_t code = 0;
    printf("waiting for %s\n", name);
    unsigned st = client_wait(name, &how, &code);
    if (st != SVC_OK)
        printf("cannot wait for %s: %s\n", name, status_name(st));
    else if (how == SVC_END_KILLED)
        printf("%s has ended: killed\n", name);
    else
        printf("%s has ended: exit code %lu\n", name, code);
}

static void do_echo(uint64_t lines)
{
    char line[SVC_READ_MAX], buf[SVC_READ_MAX];
    unsigned len = 0;
    printf("reading %lu lines\n", lines);
    while (lines) {
        unsigned n = client_read(buf, sizeof(buf));
        if (!n) {
            printf("console input refused\n");
            return;
        }
        for (unsigned i = 0; i < n && lines; i++) {
            if (buf[i] != '\n' && len < sizeof(line)) {
                line[len++] = buf[i];
                continue;
            }
            printf("got '%.*s'\n", (int)len, line);
            len = 0;
            lines--;
        }
    }
}

/* Read a page we were not given: the hardware stops us and the root ends us. */
static void do_touch(bool above)
{
    uint64_t low = ~0ull, high = 0;
    for (unsigned i = 0; i < info->nranges; i++) {
        if (info->range[i].phys < low)
            low = info->range[i].phys;
        if (info->range[i].phys + info->range[i].size > high)
            high = info->range[i].phys + info->range[i].size;
    }
    volatile const uint64_t *p = (const uint64_t *)(SVC_MEM_WINDOW + (above ? high : low - PAGE));
    printf("touching %#lx, the page %s the memory we started with\n", (uint64_t)p, above ? "above" : "below");
    uint64_t v = *p;
    printf("touch survived, read %#lx\n", v);
}

static void do_time(void)
{
    uint64_t wall, tsc, hz;
    unsigned st = client_time(&wall, &tsc, &hz);
    if (st != SVC_OK)
        printf("time: status %u\n", st);
    else
        printf("time: wall %lu at tsc %lu, %lu Hz, %lu s since\n", wall, tsc, hz, hz ? (rdtsc_now() - tsc) / hz : 0);
}

static void do_module(const char *name)
{
    const void *bytes;
    uint64_t size;
    unsigned st = client_module(name, &bytes, &size);
    if (st != SVC_OK) {
        printf("module %s: status %u\n", name, st);
        return;
    }
    const uint8_t *b = bytes;
    printf("module %s: %lu bytes at %#lx, starting %02x %02x %02x %02x\n", name, size, (uint64_t)bytes, b[0], b[1],
           b[2], b[3]);
}

__attribute__((noreturn)) void user_main(uint64_t info_va, uint64_t unused, uint64_t sp);
void user_main(uint64_t info_va, uint64_t unused, uint64_t sp)
{
    (void)unused;
    (void)sp;
    info = client_init(info_va);
    if (!info)
        hc_ipc_reply_wait(); /* not started by the root: no console */
    used = info->used;
    printf("started with %lu KiB of %lu KiB, command line '%s'\n", used / KIB, info->limit / KIB, info->cmdline);

    char buf[SVC_NAME_MAX];
    const char *s = info->cmdline, *w;
    size_t len;
    while ((w = word_next(&s, &len))) {
        if (len > 6 && !strncmp(w, "alloc=", 6))
            do_alloc(parse_size(w + 6, len - 6));
        else if (len == 5 && !strncmp(w, "check", 5))
            do_check();
        else if (len == 7 && !strncmp(w, "overask", 7))
            do_overask();
        else if (len > 5 && len - 5 < sizeof(buf) && !strncmp(w, "wait=", 5)) {
            memcpy(buf, w + 5, len - 5);
            buf[len - 5] = '\0';
            do_wait(buf);
        } else if (len == 11 && !strncmp(w, "touch-below", 11))
            do_touch(false);
        else if (len == 11 && !strncmp(w, "touch-above", 11))
            do_touch(true);
        else if (len > 5 && !strncmp(w, "echo=", 5))
            do_echo(parse_size(w + 5, len - 5));
        else if (len == 4 && !strncmp(w, "time", 4))
            do_time();
        else if (len > 7 && len - 7 < sizeof(buf) && !strncmp(w, "module=", 7)) {
            memcpy(buf, w + 7, len - 7);
            buf[len - 7] = '\0';
            do_module(buf);
        } else if (driver_command(w, len))
            continue;
        else if (len > 5 && !strncmp(w, "exit=", 5))
            client_exit((unsigned)parse_size(w + 5, len - 5));
        else
            printf("unknown command '%.*s'\n", (int)len, w);
    }
    printf("done\n");
    client_exit(0);
}
