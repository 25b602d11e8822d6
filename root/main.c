/* SPDX-License-Identifier: MIT */
/* The root task: checks the HIP, takes the UART and all RAM, reports what the hypervisor handed
   over, and starts the clients a configuration module names. */

#include "clock.h"
#include "console.h"
#include "launch.h"
#include "memory.h"
#include "sel.h"

#include <hc.h>
#include <nova/descriptors.h>
#include <words.h>
#include <hip_text.h>
#include <nova/hip.h>
#include <nova/mbuf.h>
#include <nova/selectors.h>
#include <physmap.h>
#include <roottask.h>
#include <stdio.h>

static struct mb_info boot;

/* Show how much of the kernel's log the memory-buffer console (spec C.1) holds, and its last line. */
static void report_mbuf(const struct nova_hip *hip)
{
    const struct nova_mbuf *m = phys_map(hip->mbuf_start, hip->mbuf_end - hip->mbuf_start, 0);
    if (!m) {
        printf("root: mbuf cannot be mapped\n");
        return;
    }
    uint32_t rd = m->rd_idx, wr = m->wr_idx, n = (wr + NOVA_MBUF_SLOTS - rd) % NOVA_MBUF_SLOTS;
    char last[128];
    unsigned len = 0;
    uint32_t i = (wr + NOVA_MBUF_SLOTS - 1) % NOVA_MBUF_SLOTS; /* skip the final newline */
    while (i != rd && len < n) {
        uint32_t prev = (i + NOVA_MBUF_SLOTS - 1) % NOVA_MBUF_SLOTS;
        if (m->buf[prev] == '\n')
            break;
        i = prev;
        len++;
    }
    for (unsigned k = 0; k < len && k < sizeof(last) - 1; k++)
        last[k] = m->buf[(i + k) % NOVA_MBUF_SLOTS];
    last[len < sizeof(last) - 1 ? len : sizeof(last) - 1] = '\0';
    printf("root: mbuf holds %u bytes of kernel log, last line '%s'\n", n, last);
}

static void report_boot(void)
{
    for (unsigned i = 0; i < boot.nmods; i++)
        printf("root: module %u [%#lx-%#lx) %s\n", i, boot.mods[i].start, boot.mods[i].end, boot.mods[i].cmdline);
    for (unsigned i = 0; i < boot.nmem; i++)
        printf("root: mem [%#lx-%#lx) type %u %s\n", boot.mem[i].base, boot.mem[i].base + boot.mem[i].len,
               boot.mem[i].type, multiboot_mem_type_name(boot.mem[i].type));
}

/* "poweroff" or "reset" on our command line: ask the hypervisor (ctrl_hw). Until the ACPI
   interpreter reads _S5 from the DSDT, SLP_TYP 0 is used: QEMU's value for S5 (a test fixture). */
static void power_request(const struct mb_info *mb)
{
    const char *cmd = mb->nmods ? mb->mods[0].cmdline : "";
    uint64_t desc;
    if (word_present(cmd, "poweroff")) {
        printf("root: powering off (S5)\n");
        desc = nova_ctrl_hw_sleep(5, 0, 0);
    } else if (word_present(cmd, "reset")) {
        printf("root: resetting\n");
        desc = nova_ctrl_hw_sleep(NOVA_SLEEP_RESET, 0, 0);
    } else {
        return;
    }
    unsigned st = hc_raw(nova_hc_id(NOVA_CTRL_HW, NOVA_CTRL_HW_SLEEP, desc), 0, 0, 0, 0, 0);
    printf("root: ctrl_hw returned %s\n", nova_status_name(st));
}

__attribute__((noreturn)) void user_main(uint64_t magic, uint64_t info, const struct nova_hip *hip);
void user_main(uint64_t magic, uint64_t info, const struct nova_hip *hip)
{
    if (!roottask_console())
        hc_ipc_reply_wait(); /* no console: nothing useful can be said */
    console_init(SEL_CONSOLE_LOCK);

    char line[400];
    hip_text(line, sizeof(line), hip);
    printf("root: hip %s\n", line);
    if (nova_hip_valid(hip, NOVA_PAGE_SIZE))
        printf("root: hip checksum ok\n");
    else
        printf("root: hip INVALID (signature %#x, length %#x, sum %#x)\n", hip->signature, hip->length,
               nova_hip_sum(hip, hip->length));

    report_mbuf(hip);
    enum mb_status st = roottask_boot_info(magic, info, &boot);
    if (st != MB_OK)
        printf("root: multiboot information unreadable (%d)\n", st);
    else
        report_boot();
    bool pool = st == MB_OK && memory_init(hip, &boot, SEL_POOL_LOCK);

    clock_init();
    printf("root: ready\n");
    unsigned status = pool ? launch(hip, &boot) : 1;
    power_request(&boot);
    roottask_finish(&boot, status);
}
