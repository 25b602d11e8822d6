/* SPDX-License-Identifier: MIT */
/* The root task: checks the HIP, takes the UART, and reports what the hypervisor handed over. */

#include <hc.h>
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

__attribute__((noreturn)) void user_main(uint64_t magic, uint64_t info, const struct nova_hip *hip);
void user_main(uint64_t magic, uint64_t info, const struct nova_hip *hip)
{
    if (!roottask_console())
        hc_ipc_reply_wait(); /* no console: nothing useful can be said */

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

    printf("root: ready\n");
    roottask_finish(&boot, 0);
}
