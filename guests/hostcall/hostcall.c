/* SPDX-License-Identifier: MIT */
/* hostcall: a guest-side tool for the VMM's hostcall interface (docs/hostcall.md), for the
   initramfs. Static, without libc: raw Linux system calls and VMMCALL (AMD) or VMCALL (Intel).
   Usage: hostcall smoke | write TEXT | info | stats [EVENT] | vcpu | outs TEXT
   (outs is not a hostcall: it sends TEXT and a newline to the debug console port 0xe9 with one
   REP OUTSB, which exercises the VMM's string I/O emulation.) */

#include <stdint.h>

#define SYS_WRITE 1
#define SYS_EXIT  60
#define SYS_IOPERM 173
#define DEBUGCON  0xe9

static long sys3(long nr, long a, long b, long c)
{
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return ret;
}

static int intel(void)
{
    uint32_t a = 0, b, c, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
    return b == 0x756e6547; /* "Genu" */
}

/* The hostcall itself: function in RAX, arguments in RBX, RCX, RDX, result in RAX. */
static uint64_t hostcall(uint64_t fn, uint64_t a, uint64_t b, uint64_t c)
{
    if (intel())
        __asm__ volatile("vmcall" : "+a"(fn) : "b"(a), "c"(b), "d"(c) : "memory");
    else
        __asm__ volatile("vmmcall" : "+a"(fn) : "b"(a), "c"(b), "d"(c) : "memory");
    return fn;
}

static unsigned long slen(const char *s)
{
    unsigned long n = 0;
    while (s[n])
        n++;
    return n;
}

static void out(const char *s)
{
    sys3(SYS_WRITE, 1, (long)s, (long)slen(s));
}

static void out_num(uint64_t v)
{
    char buf[24];
    int i = sizeof(buf) - 1;
    buf[i] = 0;
    do
        buf[--i] = (char)('0' + v % 10);
    while ((v /= 10) && i > 0);
    out(buf + i);
}

static int same(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static uint64_t parse(const char *s)
{
    uint64_t v = 0;
    int base = 10;
    if (s[0] == '0' && s[1] == 'x')
        base = 16, s += 2;
    for (; *s; s++) {
        unsigned d = *s >= '0' && *s <= '9' ? (unsigned)(*s - '0') : *s >= 'a' && *s <= 'f' ? (unsigned)(*s - 'a' + 10) : 99;
        if (d >= (unsigned)base)
            break;
        v = v * (uint64_t)base + d;
    }
    return v;
}

static int run(int argc, char **argv)
{
    if (argc >= 2 && same(argv[1], "smoke")) {
        out_num(hostcall(0, 0, 0, 0));
    } else if (argc >= 3 && same(argv[1], "write")) {
        uint64_t n = hostcall(1, (uint64_t)argv[2], slen(argv[2]), 0);
        hostcall(1, (uint64_t)"\r\n", 2, 0);
        out_num(n);
    } else if (argc >= 2 && same(argv[1], "info")) {
        out("0x");
        uint64_t v = hostcall(2, 0, 0, 0);
        char hex[17];
        for (int i = 15; i >= 0; i--, v >>= 4)
            hex[i] = "0123456789abcdef"[v & 15];
        hex[16] = 0;
        out(hex);
    } else if (argc >= 2 && same(argv[1], "stats")) {
        out_num(hostcall(3, argc >= 3 ? parse(argv[2]) : ~0ull, 0, 0));
    } else if (argc >= 3 && same(argv[1], "outs")) {
        char buf[256];
        unsigned long n = slen(argv[2]) < sizeof(buf) - 2 ? slen(argv[2]) : sizeof(buf) - 2;
        for (unsigned long i = 0; i < n; i++)
            buf[i] = argv[2][i];
        buf[n++] = '\r';
        buf[n++] = '\n';
        if (sys3(SYS_IOPERM, DEBUGCON, 1, 1) != 0) {
            out("ioperm failed\n");
            return 1;
        }
        const char *p = buf;
        __asm__ volatile("rep outsb" : "+S"(p), "+c"(n) : "d"(DEBUGCON) : "memory");
        out_num(n);
    } else if (argc >= 2 && same(argv[1], "vcpu")) {
        out_num(hostcall(4, 0, 0, 0));
    } else {
        out("usage: hostcall smoke | write TEXT | info | stats [EVENT] | vcpu | outs TEXT");
        out("\n");
        return 2;
    }
    out("\n");
    return 0;
}

/* The entry point: argc at (%rsp), argv after it. */
__attribute__((noreturn, used)) static void start_c(long *sp)
{
    sys3(SYS_EXIT, run((int)sp[0], (char **)(sp + 1)), 0, 0);
    __builtin_unreachable();
}

__asm__(".globl _start\n_start:\n    mov %rsp, %rdi\n    and $-16, %rsp\n    call start_c\n");
