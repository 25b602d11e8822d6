/* SPDX-License-Identifier: MIT */
/* The kernel's log after the console handover: a thread waits on the console semaphore (spec C.1)
   and prints each line the kernel adds to the memory buffer on the root's console. */

#include "klog.h"
#include "console.h"
#include "sel.h"

#include <hc.h>
#include <nova/descriptors.h>
#include <nova/mbuf.h>
#include <nova/selectors.h>
#include <physmap.h>
#include <thread.h>

#define KLOG_PRIO   100     /* as the input thread: above the clients */
#define KLOG_BUDGET 10      /* ms */
#define KLOG_STACK  8192
#define LINE_MAX    200     /* longer lines are cut */

static uint8_t stack[KLOG_STACK] __attribute__((aligned(16)));
static volatile struct nova_mbuf *mbuf;

/* Print every complete line in the ring and consume it; a partial line stays for next time. */
static void relay(void)
{
    char line[LINE_MAX];
    unsigned len = 0;
    uint32_t rd = mbuf->rd_idx, wr = __atomic_load_n(&mbuf->wr_idx, __ATOMIC_ACQUIRE);
    for (; rd != wr; rd = (rd + 1) % NOVA_MBUF_SLOTS) {
        char c = mbuf->buf[rd];
        if (c != '\n') {
            len += len < LINE_MAX - 1;
            line[len - 1] = c;
            continue;
        }
        line[len] = '\0';
        say("%s\n", line);
        len = 0;
        mbuf->rd_idx = (rd + 1) % NOVA_MBUF_SLOTS;
    }
}

static void klog_loop(void *arg)
{
    (void)arg;
    for (;;) {
        relay();
        hc_sm_down(SEL_KLOG_SM, 0, 0);
    }
}

bool klog_start(const struct nova_hip *hip, unsigned cpu)
{
    mbuf = phys_map(hip->mbuf_start, NOVA_MBUF_SIZE, 1);
    unsigned st = mbuf ? NOVA_SUCCESS : NOVA_INS_MEM;
    if (st == NOVA_SUCCESS)
        st = hc_ctrl_pd(NOVA_SEL_PD_NOVA, NOVA_SEL_PD_ROOT, NOVA_SEL_CONSOLE_SM, SEL_KLOG_SM, 0, NOVA_PERM_SM_CTRL_DN,
                        NOVA_SPC_OBJ, 0, 0);
    if (st != NOVA_SUCCESS) {
        say("root: the kernel's later log is not relayed: %s\n", nova_status_name(st));
        return false;
    }
    mbuf->rd_idx = __atomic_load_n(&mbuf->wr_idx, __ATOMIC_ACQUIRE); /* the boot log was on the serial line */
    st = thread_start(SEL_KLOG_EC, SEL_KLOG_SC, cpu, UTCB_KLOG, (uint64_t)stack + KLOG_STACK, KLOG_PRIO, KLOG_BUDGET,
                      klog_loop, 0);
    if (st != NOVA_SUCCESS)
        say("root: the kernel's later log is not relayed: %s\n", nova_status_name(st));
    return st == NOVA_SUCCESS;
}
