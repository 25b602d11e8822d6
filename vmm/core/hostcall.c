/* SPDX-License-Identifier: MIT */
/* The guest-to-VMM hostcall interface (docs/hostcall.md): VMMCALL (VMCALL on VMX) with the
   function in RAX and arguments in RBX, RCX, RDX; the result comes back in RAX. */

#include "core/guest_access.h"
#include "core/hostcall.h"
#include "core/vcpu.h"

#define WRITE_MAX 4096u

static uint64_t hc_write(struct vcpu *v, const struct nova_utcb_arch *a)
{
    struct guest_access g;
    guest_access_init(&g, v, a);
    uint64_t len = a->rcx < WRITE_MAX ? a->rcx : WRITE_MAX;
    char buf[256];
    for (uint64_t done = 0; done < len;) {
        unsigned n = len - done < sizeof(buf) ? (unsigned)(len - done) : sizeof(buf);
        if (guest_copy_from(&g, a->rbx + done, buf, n, 0) != 0)
            return done ? done : HOSTCALL_ERROR;
        vdev_console_write(v->vm, buf, n);
        done += n;
    }
    return len;
}

static uint64_t hc_stats(const struct vcpu *v, uint64_t ev)
{
    const struct vm *vm = v->vm;
    uint64_t n = 0;
    for (unsigned i = 0; i < vm->nvcpus; i++)
        for (unsigned e = 0; e < VM_EVENTS; e++)
            if (ev == HOSTCALL_STATS_ALL || ev == e)
                n += vm->vcpu[i].exits[e];
    return ev == HOSTCALL_STATS_ALL || ev < VM_EVENTS ? n : HOSTCALL_ERROR;
}

uint64_t exit_vmmcall(struct vcpu *v, struct nova_utcb_arch *a, bool *ok)
{
    (void)ok;
    switch (a->rax) {
    case HOSTCALL_SMOKE:
        a->rax = HOSTCALL_SMOKE_ANSWER;
        break;
    case HOSTCALL_WRITE:
        a->rax = hc_write(v, a);
        break;
    case HOSTCALL_BOOT_INFO:
        a->rax = v->vm->boot_info_gpa;
        break;
    case HOSTCALL_STATS:
        a->rax = hc_stats(v, a->rbx);
        break;
    case HOSTCALL_VCPU_ID:
        a->rax = v->id;
        break;
    default:
        a->rax = HOSTCALL_ERROR;
        break;
    }
    vcpu_skip(a, a->inst_len ? a->inst_len : 3);
    return 0;
}
