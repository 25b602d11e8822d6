/* SPDX-License-Identifier: MIT */
/* printf-style formatting into a character sink; shared by the hypervisor and user tasks. */

#include "format.h"

#include <stdbool.h>
#include <stdint.h>

struct spec {
    bool left, zero, alt, plus, space;
    int width, prec;
};

struct out {
    format_sink sink;
    void *ctx;
    int count;
};

static void put(struct out *o, char c)
{
    o->sink(o->ctx, c);
    o->count++;
}

static void pad(struct out *o, char c, int n)
{
    while (n-- > 0)
        put(o, c);
}

/* Emit a number already converted to digits (reversed in buf) with sign/prefix and padding. */
static void emit_number(struct out *o, const struct spec *s, const char *prefix, const char *rev, int len)
{
    int plen = 0;
    while (prefix[plen])
        plen++;
    int zeros = s->prec > len ? s->prec - len : 0;
    int total = plen + zeros + len;
    if (!s->left && !(s->zero && s->prec < 0))
        pad(o, ' ', s->width - total);
    for (int i = 0; i < plen; i++)
        put(o, prefix[i]);
    if (!s->left && s->zero && s->prec < 0)
        pad(o, '0', s->width - total);
    pad(o, '0', zeros);
    while (len--)
        put(o, rev[len]);
    if (s->left)
        pad(o, ' ', s->width - total);
}

static void format_unsigned(struct out *o, const struct spec *s, uint64_t v, unsigned base, bool upper,
                            const char *prefix)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char rev[24];
    int len = 0;
    if (v == 0 && s->prec == 0)
        len = 0;
    else
        do {
            rev[len++] = digits[v % base];
            v /= base;
        } while (v);
    emit_number(o, s, prefix, rev, len);
}

static void format_string(struct out *o, const struct spec *s, const char *str)
{
    if (!str)
        str = "(null)";
    int len = 0;
    while ((s->prec < 0 || len < s->prec) && str[len]) /* never read past the precision */
        len++;
    if (!s->left)
        pad(o, ' ', s->width - len);
    for (int i = 0; i < len; i++)
        put(o, str[i]);
    if (s->left)
        pad(o, ' ', s->width - len);
}

static const char *parse_spec(const char *f, struct spec *s, va_list *ap)
{
    *s = (struct spec){.prec = -1};
    for (;; f++) {
        if (*f == '-')
            s->left = true;
        else if (*f == '0')
            s->zero = true;
        else if (*f == '#')
            s->alt = true;
        else if (*f == '+')
            s->plus = true;
        else if (*f == ' ')
            s->space = true;
        else
            break;
    }
    if (*f == '*') {
        s->width = va_arg(*ap, int);
        f++;
    } else
        while (*f >= '0' && *f <= '9')
            s->width = s->width * 10 + (*f++ - '0');
    if (*f == '.') {
        f++;
        s->prec = 0;
        if (*f == '*') {
            s->prec = va_arg(*ap, int);
            f++;
        } else
            while (*f >= '0' && *f <= '9')
                s->prec = s->prec * 10 + (*f++ - '0');
    }
    return f;
}

int vformat(format_sink sink, void *ctx, const char *fmt, va_list ap_in)
{
    struct out o = {sink, ctx, 0};
    va_list ap;
    va_copy(ap, ap_in);

    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            put(&o, *f);
            continue;
        }
        struct spec s;
        f = parse_spec(f + 1, &s, &ap);
        int lng = 0; /* -2 hh, -1 h, 0 int, 1 long, 2 long long / size_t */
        for (;; f++) {
            if (*f == 'l')
                lng++;
            else if (*f == 'h')
                lng--;
            else if (*f == 'z')
                lng = 2;
            else
                break;
        }
        switch (*f) {
        case 'd':
        case 'i': {
            int64_t v = lng >= 1 ? va_arg(ap, long) : va_arg(ap, int);
            if (lng == -1)
                v = (short)v;
            else if (lng == -2)
                v = (signed char)v;
            const char *prefix = v < 0 ? "-" : s.plus ? "+" : s.space ? " " : "";
            format_unsigned(&o, &s, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, false, prefix);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            uint64_t v = lng >= 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
            if (lng == -1)
                v = (unsigned short)v;
            else if (lng == -2)
                v = (unsigned char)v;
            unsigned base = *f == 'u' ? 10 : *f == 'o' ? 8 : 16;
            const char *prefix = "";
            if (s.alt && base == 16)
                prefix = *f == 'X' ? "0X" : "0x";
            else if (s.alt && base == 8)
                prefix = "0";
            format_unsigned(&o, &s, v, base, *f == 'X', prefix);
            break;
        }
        case 'p':
            format_unsigned(&o, &s, (uintptr_t)va_arg(ap, void *), 16, false, "0x");
            break;
        case 's':
            format_string(&o, &s, va_arg(ap, const char *));
            break;
        case 'c': {
            char c[2] = {(char)va_arg(ap, int), 0};
            s.prec = 1;
            format_string(&o, &s, c);
            break;
        }
        case '%':
            put(&o, '%');
            break;
        case '\0':
            f--;
            break;
        default:
            put(&o, '%');
            put(&o, *f);
            break;
        }
    }
    va_end(ap);
    return o.count;
}

struct buffer {
    char *buf;
    size_t size, pos;
};

static void buffer_put(void *ctx, char c)
{
    struct buffer *b = ctx;
    if (b->pos + 1 < b->size)
        b->buf[b->pos] = c;
    b->pos++;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct buffer b = {buf, size, 0};
    int n = vformat(buffer_put, &b, fmt, ap);
    if (size)
        buf[b.pos < size ? b.pos : size - 1] = '\0';
    return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
