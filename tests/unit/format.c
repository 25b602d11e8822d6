/* SPDX-License-Identifier: MIT */
/* Host test of lib/format.c (vformat, vsnprintf, snprintf) against literal expected strings. */

#include <format.h>

#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "check.h"

/* Called through volatile pointers so that GCC can neither fold the calls at compile time nor
   substitute a return value it computed itself: the code under test must do the work. */
static int (*volatile do_vsnprintf)(char *, size_t, const char *, va_list) = vsnprintf;
static int (*volatile do_snprintf)(char *, size_t, const char *, ...) = snprintf;
static const char *volatile null_string;

static char buf[256];

/* Format into buf and compare the text and the returned length with `want`. */
static void __attribute__((format(printf, 2, 3))) expect(const char *want, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    memset(buf, 'Z', sizeof(buf));
    int n = do_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    char name[160] = "\""; /* built without the code under test */
    strncat(strncat(strncat(strncat(name, fmt, 64), "\" -> \"", 8), want, 64), "\"", 2);
    bool ok = n == (int)strlen(want) && strcmp(buf, want) == 0;
    if (!check_begin(ok, name))
        printf("got \"%s\", returned %d\n", buf, n), fflush(stdout);
}

static void test_integers(void)
{
    expect("-42", "%d", -42);
    expect("-7 3", "%i %i", -7, 3);
    expect("0", "%d", 0);
    expect("-2147483648", "%d", INT_MIN);
    expect("2147483647", "%d", INT_MAX);
    expect("-9223372036854775808", "%ld", LONG_MIN);
    expect("9223372036854775807", "%ld", LONG_MAX);
    expect("-9223372036854775808", "%lld", LLONG_MIN);
    expect("4294967295", "%u", UINT_MAX);
    expect("18446744073709551615", "%lu", UINT64_MAX);
    expect("18446744073709551615", "%llu", ULLONG_MAX);
    expect("123456789012", "%zu", (size_t)123456789012);
    expect("deadbeef DEADBEEF", "%x %X", 0xdeadbeefu, 0xdeadbeefu);
    expect("ffffffffffffffff", "%lx", UINT64_MAX);
    expect("0xff 0XFF", "%#x %#X", 255u, 255u);
    expect("0000beef", "%08x", 0xbeefu);
    expect("0x0000beef", "%#010x", 0xbeefu);
    expect("    beef|", "%8x|", 0xbeefu);
    expect("beef    |", "%-8x|", 0xbeefu);
    expect("17 021", "%o %#o", 15u, 17u);
    expect("42   |", "%-5d|", 42);
    expect("  -42", "%5d", -42);
    expect("-0042", "%05d", -42);
    expect("+5 -5", "%+d %+d", 5, -5);
    expect(" 5", "% d", 5);
    expect("007", "%.3d", 7);
    expect("  007", "%5.3d", 7);
    expect("", "%.0d", 0);
    expect("   42", "%*d", 5, 42);
    expect("ff", "%hhx", 0x1ff);
    expect("-1", "%hhd", 0xff);
    expect("-32768", "%hd", 0x18000);
    expect("9029", "%hu", 0x12345);
    expect("10 deadbeefcafe", "%zx %zx", (size_t)16, (size_t)0xdeadbeefcafe);
}

static void test_other(void)
{
    expect("0x1234", "%p", (void *)0x1234);
    expect("0xffff800000001000", "%p", (void *)0xffff800000001000);
    expect("abc", "%s", "abc");
    expect("ab", "%.2s", "abcdef");
    expect("abc", "%.*s", 3, "abcdef");
    expect("", "%.*s", 0, "abcdef");
    expect("ab", "%.5s", "ab");
    expect("   ab|", "%5s|", "ab");
    expect("ab   |", "%-5s|", "ab");
    expect("(null)", "%s", null_string);
    expect("x", "%c", 'x');
    expect("  x|x  |", "%3c|%-3c|", 'x', 'x');
    expect("%", "%%");
    expect("100%", "100%%");
    expect("no conversions", "no conversions");
    expect("", "%s", "");
    expect("a=-1 b=str c=0x2a d=7 e=%", "a=%d b=%s c=%#lx d=%u e=%%", -1, "str", 42ul, 7u);
}

/* vformat with a sink of our own: every character goes through it, and the count matches. */
static char sunk[64];
static unsigned nsunk;

static void sink(void *ctx, char c)
{
    if (ctx == sunk && nsunk < sizeof(sunk) - 1)
        sunk[nsunk] = c;
    nsunk++;
}

static int call_vformat(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vformat(sink, sunk, fmt, ap);
    va_end(ap);
    return n;
}

static void test_truncation(void)
{
    char small[16];
    memset(small, 'Z', sizeof(small));
    int n = do_snprintf(small, 5, "%s", "hello world");
    CHECK_EQ("truncated: returns the full length", n, 11);
    CHECK_STR("truncated: first size - 1 characters, NUL-terminated", small, "hell");
    CHECK("truncated: nothing written past size", small[5] == 'Z' && small[15] == 'Z');

    memset(small, 'Z', sizeof(small));
    n = do_snprintf(small, 6, "%d", 12345);
    CHECK("exact fit: all characters and the NUL", n == 5 && strcmp(small, "12345") == 0 && small[6] == 'Z');
    n = do_snprintf(small, 5, "%d", 12345);
    CHECK("one short: last character dropped", n == 5 && strcmp(small, "1234") == 0);

    memset(small, 'Z', sizeof(small));
    n = do_snprintf(small, 1, "%s", "abc");
    CHECK("size 1: empty string, full length returned", n == 3 && small[0] == '\0' && small[1] == 'Z');

    memset(small, 'Z', sizeof(small));
    n = do_snprintf(small, 0, "%d-%s", 42, "xyz");
    CHECK("size 0: nothing written, full length returned", n == 6 && small[0] == 'Z');
    CHECK_EQ("size 0 with a NULL buffer", do_snprintf(NULL, 0, "%lu", UINT64_MAX), 20);

    memset(small, 'Z', sizeof(small));
    n = do_snprintf(small, 8, "%#018lx", 0x1234ul);
    CHECK("truncated number: returns the full length", n == 18 && strcmp(small, "0x00000") == 0);

    nsunk = 0;
    n = call_vformat("[%5s|%-4d|%x]", "ab", -3, 0xabcu);
    sunk[nsunk < sizeof(sunk) ? nsunk : sizeof(sunk) - 1] = '\0';
    CHECK("vformat: count equals characters sunk", n == 16 && nsunk == 16);
    CHECK_STR("vformat: characters in order", sunk, "[   ab|-3  |abc]");
}

int main(void)
{
    test_integers();
    test_other();
    test_truncation();
    return check_summary();
}
