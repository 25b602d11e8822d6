/* SPDX-License-Identifier: MIT */
/* XCR0 belongs to the vCPU: the guest starts with the INIT value, keeps what it sets with XSETBV,
   and the host (this VMM) never runs with the guest's value. */

#include "guests.h"
#include "vm.h"

#include <hc.h>
#include <nova/events.h>
#include <nova/mtd.h>
#include <nova/utcb.h>
#include <stdio.h>
#include <suite.h>

#define SIZE      0x200000ull
#define CODE      0x1000
#define CR4_OSXSAVE (1ull << 18)
#define PORT_HOST 0x80  /* the guest has just run XSETBV: what XCR0 does the VMM run with? */
#define PORT_SEEN 0x81  /* the guest reports its XCR0 (XGETBV) in AL */
#define GUEST_XCR0 3    /* x87 and SSE: AVX off, unlike the kernel's own */

static const uint8_t xcr0_guest[] = {
    0x31, 0xc9,                     /* 1000: xor ecx, ecx */
    0x0f, 0x01, 0xd0,               /* 1002: xgetbv */
    0xe6, PORT_SEEN,                /* 1005: out 0x81, al (the INIT value) */
    0x31, 0xd2,                     /* 1007: xor edx, edx */
    0xb8, GUEST_XCR0, 0, 0, 0,      /* 1009: mov eax, 3 */
    0x0f, 0x01, 0xd1,               /* 100e: xsetbv */
    0xe6, PORT_HOST,                /* 1011: out 0x80, al */
    0x0f, 0x01, 0xd0,               /* 1013: xgetbv */
    0xe6, PORT_SEEN,                /* 1016: out 0x81, al (still the guest's) */
    0xf4,                           /* 1018: hlt */
    0xeb, 0xfe,                     /* 1019: jmp $ */
};

struct xcr0_seen {
    uint64_t host_before, host_at_exit, guest_first, guest_after;
    unsigned reports;
};

static uint64_t xgetbv0(void)
{
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (uint64_t)hi << 32 | lo;
}

static uint64_t xcr0_exit(struct vm *vm, unsigned ev, void *arch)
{
    struct nova_utcb_arch *a = arch;
    struct xcr0_seen *s = vm->ctx;
    switch (ev) {
    case NOVA_EV_GST_STARTUP:
        a->cs = (struct nova_seg){8, 0xc9b, 0xffffffff, 0};
        a->ss = a->ds = a->es = (struct nova_seg){16, 0xc93, 0xffffffff, 0};
        a->cr0 = 0x11;
        a->cr4 = CR4_OSXSAVE;
        a->rip = CODE;
        a->rflags = 2;
        return NOVA_MTD_RIP | NOVA_MTD_RFLAGS | NOVA_MTD_CS_SS | NOVA_MTD_DS_ES | NOVA_MTD_CR;
    case NOVA_EV_SVM_XSETBV: /* VMX (and SVM hardware): emulate it as a VMM would */
        a->xcr0 = (uint32_t)a->rax;
        a->rip += 3;
        return NOVA_MTD_RIP | NOVA_MTD_XSAVE;
    case NOVA_EV_SVM_IOIO:
        if ((a->qual[0] >> 16 & 0xffff) == PORT_HOST)
            s->host_at_exit = xgetbv0();
        else if (s->reports++ == 0)
            s->guest_first = a->rax & 0xff;
        else
            s->guest_after = a->rax & 0xff;
        a->rip += a->inst_len ? a->inst_len : 2;
        return NOVA_MTD_RIP;
    case NOVA_EV_SVM_HLT:
        hc_sm_up(vm->done_sm);
        return NOVA_MTD_POISON;
    default:
        printf("vmm: unexpected event %#x at rip %#lx\n", ev, a->rip);
        hc_sm_up(vm->done_sm);
        return NOVA_MTD_POISON;
    }
}

void cases_xcr0(uint64_t phys, unsigned cpu)
{
    static struct vm vm;
    static struct xcr0_seen seen;
    vm.cpu = cpu;
    vm.ctx = &seen;
    if (vm_create(&vm, phys, SIZE, xcr0_exit) != 0) {
        suite_case("xcr0_vm", 0, "vm_create failed");
        return;
    }
    seen.host_before = xgetbv0();
    vm_load_code(&vm, CODE, xcr0_guest, sizeof(xcr0_guest));
    vm_start(&vm, CODE);
    unsigned st = vm_wait(&vm, 5000);
    suite_case("xcr0_guest_reaches_hlt", st == NOVA_SUCCESS && seen.reports == 2, "%s, %u reports",
               nova_status_name(st), seen.reports);
    suite_case("xcr0_guest_starts_at_init_value", seen.guest_first == 1, "guest read %#lx", seen.guest_first);
    suite_case("xcr0_guest_keeps_its_value", seen.guest_after == GUEST_XCR0, "guest read %#lx", seen.guest_after);
    suite_case("xcr0_host_keeps_its_value", seen.host_at_exit == seen.host_before && seen.host_before != GUEST_XCR0,
               "host %#lx at the exit, %#lx before", seen.host_at_exit, seen.host_before);
}
