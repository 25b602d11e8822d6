/* SPDX-License-Identifier: MIT */
/* Micro-benchmarks, run as the root task: prints "bench: <name> <cycles per operation>" lines. */

#include <hc.h>
#include <nova/descriptors.h>
#include <nova/events.h>
#include <nova/hip.h>
#include <nova/mtd.h>
#include <nova/utcb.h>
#include <nova/selectors.h>
#include <portal.h>
#include <res.h>
#include <roottask.h>
#include <stdio.h>
#include <thread.h>

#include "../vmm/backend.h"
#include "../vmm/vm.h"

#define ROOT        NOVA_SEL_PD_ROOT
#define ROUNDS      20000
#define EV_UD       6
#define CHILD_UTCB  0x500000000000ull

static struct mb_info boot;
static uint64_t sm_ping, sm_pong, sm_done;
static volatile uint64_t thread_result;
extern char bench_ud[], bench_ud_after[], __text_start[], __text_end[];

static void report(const char *name, uint64_t cycles, uint64_t rounds)
{
    printf("bench: %s %lu\n", name, cycles / rounds);
}

static uint64_t bench_null(void)
{
    uint64_t t0 = rdtsc_now();
    for (unsigned i = 0; i < ROUNDS; i++)
        hc_raw(nova_hc_id(NOVA_HC_RESERVED, 0, 0), 0, 0, 0, 0, 0);
    return rdtsc_now() - t0;
}

/* What a server in another PD does: nothing but reply (one word). */
static uint64_t empty_server(struct portal_ctx *ctx, uint64_t mtd)
{
    (void)ctx;
    (void)mtd;
    return 0;
}

/* The server's context, stack and UTCB live in a page shared with its PD. */
static struct {
    struct portal_ctx ctx;
    uint64_t stack[500];
} server_page __attribute__((aligned(4096)));

static uint64_t bench_ipc_cross_pd(void)
{
    uint64_t child = sel_alloc(1), ec = sel_alloc(1), pt = sel_alloc(1);
    hc_create_pd(child, ROOT);
    for (uint64_t p = (uint64_t)__text_start >> 12; p < (uint64_t)__text_end >> 12; p++)
        hc_ctrl_pd(ROOT, child, p, p, 0, NOVA_PERM_MEM_R | NOVA_PERM_MEM_XU, NOVA_SPC_MEM, NOVA_ACC_CPU_HST, 0);
    uint64_t page = (uint64_t)&server_page >> 12;
    hc_ctrl_pd(ROOT, child, page, page, 0, NOVA_PERM_MEM_R | NOVA_PERM_MEM_W, NOVA_SPC_MEM, NOVA_ACC_CPU_HST, 0);
    server_page.ctx.stack_top = (uint64_t)&server_page.stack[500];
    server_page.ctx.fn = empty_server;
    hc_create_ec(ec, child, CHILD_UTCB, 0, server_page.ctx.stack_top, 0, 0);
    hc_create_pt(pt, ROOT, ec, (uint64_t)portal_entry);
    hc_ctrl_pt(pt, (uint64_t)&server_page.ctx, 0);
    if (hc_ipc_call(pt, 0, 0, 0) != NOVA_SUCCESS)
        printf("bench: ipc setup failed\n");
    uint64_t t0 = rdtsc_now();
    for (unsigned i = 0; i < ROUNDS; i++)
        hc_ipc_call(pt, 0, 0, 0);
    return rdtsc_now() - t0;
}

static void ponger(void *arg)
{
    (void)arg;
    for (;;) {
        hc_sm_down(sm_ping, 0, 0);
        hc_sm_up(sm_pong);
    }
}

static void pinger(void *arg)
{
    (void)arg;
    uint64_t t0 = rdtsc_now();
    for (unsigned i = 0; i < ROUNDS; i++) {
        hc_sm_up(sm_ping);
        hc_sm_down(sm_pong, 0, 0);
    }
    thread_result = rdtsc_now() - t0;
    hc_sm_up(sm_done);
}

static uint64_t skip_ud(struct portal_ctx *ctx, uint64_t mtd)
{
    (void)mtd;
    ctx->utcb->arch.rip = (uint64_t)bench_ud_after;
    return NOVA_MTD_RIP;
}

static void faulter(void *arg)
{
    (void)arg;
    uint64_t t0 = rdtsc_now();
    for (unsigned i = 0; i < ROUNDS; i++)
        __asm__ volatile(".global bench_ud, bench_ud_after\nbench_ud: ud2\nbench_ud_after:" ::: "memory");
    thread_result = rdtsc_now() - t0;
    hc_sm_up(sm_done);
}

static uint64_t run_thread(void (*fn)(void *), uint64_t evt, unsigned prio)
{
    thread_start_evt(sel_alloc(1), sel_alloc(1), 0, utcb_alloc(), stack_alloc(), prio, 1000, fn, 0, evt);
    return 0;
}

/* A real-mode guest: CPUID in a loop, then OUT in a loop, each ended by HLT. */
#define GUEST_PHYS 0x4000000ull
#define VM_ROUNDS  5000
static const uint8_t exit_guest[] = {
    0x66, 0xb9, VM_ROUNDS & 0xff, VM_ROUNDS >> 8, 0, 0, /* 1000: mov ecx, VM_ROUNDS */
    0x66, 0x31, 0xc0,                                   /* 1006: xor eax, eax */
    0x0f, 0xa2,                                         /* 1009: cpuid */
    0x66, 0x49,                                         /* 100b: dec ecx */
    0x75, 0xf7,                                         /* 100d: jnz 1006 */
    0xf4,                                               /* 100f: hlt */
    0x66, 0xb9, VM_ROUNDS & 0xff, VM_ROUNDS >> 8, 0, 0, /* 1010: mov ecx, VM_ROUNDS */
    0xe6, 0x80,                                         /* 1016: out 0x80, al */
    0x66, 0x49,                                         /* 1018: dec ecx */
    0x75, 0xfa,                                         /* 101a: jnz 1016 */
    0xf4,                                               /* 101c: hlt */
    0xeb, 0xfe,                                         /* 101d: jmp $ */
};
static uint64_t hlt_tsc[3];
static unsigned hlts;

static uint64_t bench_exit(struct vm *vm, unsigned ev, void *arch)
{
    struct nova_utcb_arch *a = arch;
    switch (ev) {
    case NOVA_EV_GST_STARTUP:
        a->cs = (struct nova_seg){0, 0x9b, 0xffff, 0};
        a->rip = 0x1000;
        a->rflags = 2;
        hlt_tsc[hlts++] = rdtsc_now();
        return NOVA_MTD_RIP | NOVA_MTD_RFLAGS | NOVA_MTD_CS_SS;
    case NOVA_EV_SVM_CPUID:
        a->rip += 2;
        return NOVA_MTD_RIP;
    case NOVA_EV_SVM_IOIO:
        a->rip += a->inst_len;
        return NOVA_MTD_RIP;
    case NOVA_EV_SVM_HLT:
        if (hlts < 3)
            hlt_tsc[hlts++] = rdtsc_now();
        a->rip += 1;
        if (hlts == 3)
            hc_sm_up(vm->done_sm);
        return NOVA_MTD_RIP;
    default:
        return NOVA_MTD_POISON;
    }
}

static void bench_vm_exits(const struct nova_hip *hip)
{
    backend_init(hip->features);
    if (!(hip->features & (NOVA_HIP_FEAT_SVM | NOVA_HIP_FEAT_VMX)))
        return;
    static struct vm vm;
    vm.mtd = NOVA_MTD_RIP | NOVA_MTD_RFLAGS | NOVA_MTD_CS_SS;
    if (vm_create(&vm, GUEST_PHYS, 0x200000, bench_exit) < 0) {
        printf("bench: vm setup failed\n");
        return;
    }
    for (unsigned i = 0; i < sizeof(exit_guest); i++)
        vm.mem[0x1000 + i] = exit_guest[i];
    vm_start(&vm, 0x1000);
    if (vm_wait(&vm, 60000) != NOVA_SUCCESS) {
        printf("bench: the guest did not finish\n");
        return;
    }
    uint64_t cpuid = (hlt_tsc[1] - hlt_tsc[0]) / VM_ROUNDS, io = (hlt_tsc[2] - hlt_tsc[1]) / VM_ROUNDS;
    printf("bench: vm_exit_cpuid_round_trip %lu\n", cpuid);
    printf("bench: vm_exit_port_io_round_trip %lu\n", io);
    printf("bench: vm_exit_cpuid_ns %lu\n", (uint64_t)(cpuid * 1000000000ull / hip->stc_freq));
    printf("bench: vm_exit_port_io_ns %lu\n", (uint64_t)(io * 1000000000ull / hip->stc_freq));
}

__attribute__((noreturn)) void user_main(uint64_t magic, uint64_t info, const struct nova_hip *hip);
void user_main(uint64_t magic, uint64_t info, const struct nova_hip *hip)
{
    if (!roottask_console())
        hc_ipc_reply_wait();
    roottask_boot_info(magic, info, &boot);
    printf("bench: stc_freq %lu\n", hip->stc_freq);
    thread_init_cpu(0, sel_alloc(1), utcb_alloc());
    sm_ping = sel_alloc(1);
    sm_pong = sel_alloc(1);
    sm_done = sel_alloc(1);
    hc_create_sm(sm_ping, ROOT, 0);
    hc_create_sm(sm_pong, ROOT, 0);
    hc_create_sm(sm_done, ROOT, 0);

    bench_null(); /* warm up */
    report("null_hypercall", bench_null(), ROUNDS);
    report("ipc_call_reply_cross_pd", bench_ipc_cross_pd(), ROUNDS);

    run_thread(ponger, thread_evt(0), 50);
    run_thread(pinger, thread_evt(0), 50);
    hc_sm_down(sm_done, 0, 0);
    report("sm_ping_pong", thread_result, ROUNDS);

    uint64_t evt = sel_alloc(0x40);
    static struct portal_ctx ud_ctx;
    ud_ctx.stack_top = stack_alloc();
    ud_ctx.fn = skip_ud;
    portal_create(sel_alloc(1), evt + EV_UD, 0, utcb_alloc(), 0, &ud_ctx);
    hc_ctrl_pt(evt + EV_UD, (uint64_t)&ud_ctx, NOVA_MTD_RIP);
    run_thread(faulter, evt, 60);
    hc_sm_down(sm_done, 0, 0);
    report("exception_portal_round_trip", thread_result, ROUNDS);

    bench_vm_exits(hip);
    printf("bench: done\n");
    roottask_finish(&boot, 0);
}
