/* SPDX-License-Identifier: MIT */
/* Parser for VM configuration files (docs/config.md): one message per mistake, bad VMs left out. */

#include "config.h"

#include <format.h>
#include <stdarg.h>
#include <string.h>

#define QUOTE_MAX 40 /* characters of a word quoted in a message; longer ones end in "..." */

/* A piece of the text: not NUL-terminated. */
struct span {
    const char *p;
    size_t n;
};

enum key { KEY_MEMORY, KEY_VCPUS, KEY_CPU, KEY_KERNEL, KEY_INITRD, KEY_CMDLINE, KEY_DEVICE, KEYS };

static const char *const key_names[KEYS] = {
    [KEY_MEMORY] = "memory", [KEY_VCPUS] = "vcpus",   [KEY_CPU] = "cpu",
    [KEY_KERNEL] = "kernel", [KEY_INITRD] = "initrd", [KEY_CMDLINE] = "cmdline",
    [KEY_DEVICE] = "device",
};

/* The one table of device types; docs/config.md lists the same names in the same order. */
static const char *const device_names[CONFIG_DEV_TYPES] = {
    [CONFIG_DEV_UART] = "uart",     [CONFIG_DEV_RTC] = "rtc",
    [CONFIG_DEV_PIT] = "pit",       [CONFIG_DEV_PIC] = "pic",
    [CONFIG_DEV_IOAPIC] = "ioapic", [CONFIG_DEV_LAPIC] = "lapic",
    [CONFIG_DEV_HPET] = "hpet",     [CONFIG_DEV_ACPI] = "acpi",
    [CONFIG_DEV_PCI] = "pci",       [CONFIG_DEV_VIRTIO_CONSOLE] = "virtio-console",
};

/* Values of parse.cur besides a slot: before the first vm line; in a section past the limit;
   after an unknown word before the first vm line (maybe a misspelled vm line). */
enum { NO_SECTION = -1, IGNORED_SECTION = -2, LOST_SECTION = -3 };

/* The parser's state while it walks one file. */
struct parse {
    const char *file;
    config_report_fn report;
    void *ctx;
    struct config *out;
    unsigned line;             /* number of the line being parsed, from 1 */
    int cur;                   /* slot in out->vm of the current section, or a *_SECTION */
    unsigned sections;         /* slots used so far */
    uint32_t failed;           /* bit i: the section in slot i had a mistake */
    bool header_ok;            /* the current section's vm line was valid */
    bool unsure;               /* it has a line whose key is unknown (maybe a misspelled one) */
    unsigned key_line[KEYS];   /* where each key of the current section first appeared, or 0 */
    char quote[QUOTE_MAX + 4]; /* the word quoted in the next message */
};

_Static_assert(CONFIG_MAX_VMS <= 32, "struct parse.failed has one bit per section");

/* Report one mistake at line, and drop the current section (if any). */
__attribute__((format(printf, 3, 4))) static void problem(struct parse *ps, unsigned line,
                                                          const char *fmt, ...)
{
    char msg[CONFIG_MESSAGE_MAX];
    size_t n = (size_t)snprintf(msg, sizeof(msg), "%s:%u: ", ps->file, line);
    va_list ap;
    va_start(ap, fmt);
    if (n < sizeof(msg))
        vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
    va_end(ap);
    ps->out->errors++;
    if (ps->cur >= 0)
        ps->failed |= 1u << ps->cur;
    if (ps->report)
        ps->report(ps->ctx, msg);
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool span_is(struct span s, const char *word)
{
    return s.n == strlen(word) && memcmp(s.p, word, s.n) == 0;
}

/* Take the next blank-separated word of *rest; false when only blanks are left. */
static bool word_take(struct span *rest, struct span *word)
{
    while (rest->n && is_blank(*rest->p))
        rest->p++, rest->n--;
    word->p = rest->p;
    while (rest->n && !is_blank(*rest->p))
        rest->p++, rest->n--;
    word->n = (size_t)(rest->p - word->p);
    return word->n != 0;
}

/* Copy a word into a buffer of size (> s.n) bytes as a C string. */
static void span_copy(char *dst, struct span s)
{
    memcpy(dst, s.p, s.n);
    dst[s.n] = '\0';
}

/* A word of the line as a C string for a message, cut to QUOTE_MAX characters ("%.*s" is not
   used: the words are not NUL-terminated, and a precision must never let printf read past). */
static const char *quoted(struct parse *ps, struct span w)
{
    struct span cut = {w.p, w.n > QUOTE_MAX ? QUOTE_MAX : w.n};
    span_copy(ps->quote, cut);
    if (w.n > QUOTE_MAX)
        memcpy(ps->quote + QUOTE_MAX, "...", 4);
    return ps->quote;
}

/* Check the bytes of a raw line; report the first bad one (or the length). Comment lines may
   hold non-ASCII bytes (UTF-8 prose); no line may hold NUL or control characters. */
static bool line_check(struct parse *ps, struct span line, bool comment)
{
    if (line.n > CONFIG_LINE_MAX) {
        problem(ps, ps->line, "line too long (%zu characters, at most %u)", line.n,
                CONFIG_LINE_MAX);
        return false;
    }
    for (size_t i = 0; i < line.n; i++) {
        unsigned char c = (unsigned char)line.p[i];
        if (c == 0) {
            problem(ps, ps->line, "NUL byte at column %zu", i + 1);
            return false;
        }
        if (c >= 0x80 && !comment) {
            problem(ps, ps->line, "non-ASCII byte 0x%02x at column %zu", c, i + 1);
            return false;
        }
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            problem(ps, ps->line, "control character 0x%02x at column %zu", c, i + 1);
            return false;
        }
    }
    return true;
}

/* Parse a decimal number of at most max; false for anything else (also on overflow). */
static bool number_parse(struct span s, uint64_t max, uint64_t *value)
{
    uint64_t v = 0;
    bool over = false;
    if (s.n == 0)
        return false;
    for (size_t i = 0; i < s.n; i++) {
        if (s.p[i] < '0' || s.p[i] > '9')
            return false;
        if (!over)
            v = v * 10 + (uint64_t)(s.p[i] - '0');
        over = over || v > max;
    }
    *value = v;
    return !over;
}

/* Take exactly one value word after key: report a missing or extra word. */
static bool value_take(struct parse *ps, const char *key, struct span *rest, struct span *value,
                       const char *expected)
{
    struct span extra;
    if (!word_take(rest, value)) {
        problem(ps, ps->line, "%s: expected %s", key, expected);
        return false;
    }
    if (word_take(rest, &extra)) {
        problem(ps, ps->line, "%s: unexpected extra word '%s'", key, quoted(ps, extra));
        return false;
    }
    return true;
}

/* memory <size>: decimal digits with an optional K, M or G suffix (either case). */
static void key_memory(struct parse *ps, struct config_vm *vm, struct span rest)
{
    static const char expected[] = "a size like 512M";
    struct span w, digits;
    unsigned shift = 0;
    uint64_t v;
    if (!value_take(ps, "memory", &rest, &w, expected))
        return;
    digits = w;
    for (unsigned i = 0; i < 3; i++)
        if ((w.p[w.n - 1] & ~0x20) == "KMG"[i]) /* either case */
            shift = 10 * (i + 1), digits.n--;
    for (size_t i = 0; i < digits.n; i++)
        if (digits.p[i] < '0' || digits.p[i] > '9')
            digits.n = 0;
    if (digits.n == 0) {
        problem(ps, ps->line, "memory '%s': expected %s", quoted(ps, w), expected);
        return;
    }
    if (!number_parse(digits, CONFIG_MEMORY_MAX >> shift, &v) || (v << shift) < CONFIG_MEMORY_MIN) {
        problem(ps, ps->line, "memory '%s': must be from 1M to 64G", quoted(ps, w));
        return;
    }
    if ((v << shift) % CONFIG_PAGE_SIZE) {
        problem(ps, ps->line, "memory '%s': not a multiple of 4K", quoted(ps, w));
        return;
    }
    vm->memory = v << shift;
}

/* vcpus <n> and cpu <n>: a decimal number in [min, max]. */
static bool key_number(struct parse *ps, const char *key, struct span rest, uint64_t min,
                       uint64_t max, const char *what, uint64_t *value)
{
    char expected[64];
    struct span w;
    snprintf(expected, sizeof(expected), "%s from %llu to %llu", what, (unsigned long long)min,
             (unsigned long long)max);
    if (!value_take(ps, key, &rest, &w, expected))
        return false;
    if (!number_parse(w, max, value) || *value < min) {
        problem(ps, ps->line, "%s '%s': expected %s", key, quoted(ps, w), expected);
        return false;
    }
    return true;
}

/* kernel <module> and initrd <module>: one word naming a boot module. */
static void key_module(struct parse *ps, const char *key, struct span rest, char *dst)
{
    struct span w;
    if (!value_take(ps, key, &rest, &w, "a module name"))
        return;
    if (w.n > CONFIG_MODULE_MAX) {
        problem(ps, ps->line, "%s '%s': longer than %u characters", key, quoted(ps, w),
                CONFIG_MODULE_MAX);
        return;
    }
    span_copy(dst, w);
}

/* cmdline <rest of line>: kept as written, without the blanks around it. */
static void key_cmdline(struct config_vm *vm, struct span rest)
{
    while (rest.n && is_blank(*rest.p))
        rest.p++, rest.n--;
    while (rest.n && is_blank(rest.p[rest.n - 1]))
        rest.n--;
    if (rest.n > CONFIG_CMDLINE_MAX) /* cannot happen: lines are shorter */
        rest.n = CONFIG_CMDLINE_MAX;
    span_copy(vm->cmdline, rest);
}

/* Whether w looks like key=value: key from [a-z0-9_-], both parts non-empty. */
static bool option_valid(struct span w)
{
    const char *eq = memchr(w.p, '=', w.n);
    if (!eq || eq == w.p || eq == w.p + w.n - 1)
        return false;
    for (const char *c = w.p; c < eq; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '-'))
            return false;
    return true;
}

/* Hex digits of w as a number of at most max; false for anything else. */
static bool hex_parse(struct span w, unsigned max, unsigned *value)
{
    unsigned v = 0;
    if (w.n == 0 || w.n > 2)
        return false;
    for (size_t i = 0; i < w.n; i++) {
        char c = w.p[i];
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                     : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (unsigned)((c | 0x20) - 'a' + 10)
                                                               : 16;
        if (d == 16)
            return false;
        v = v * 16 + d;
    }
    *value = v;
    return v <= max;
}

/* A pci device's bdf=BB:DD.F: valid, and given to no other device of this or an earlier
   section still loading. */
static bool pci_bdf_check(struct parse *ps, const struct config_device *dev)
{
    const char *v;
    size_t n;
    unsigned bdf, other;
    if (dev->type != CONFIG_DEV_PCI || !config_device_option(dev, "bdf", &v, &n))
        return true;
    if (!config_pci_bdf(dev, &bdf)) {
        problem(ps, ps->line, "device pci: bdf '%s': expected BB:DD.F (bus 00-ff, device 00-1f, function 0-7)",
                quoted(ps, (struct span){v, n}));
        return false;
    }
    for (int i = 0; i <= ps->cur; i++) {
        const struct config_vm *vm = &ps->out->vm[i];
        if (i < ps->cur && (ps->failed & (1u << i)))
            continue;
        for (unsigned d = 0; d < vm->devices; d++)
            if (&vm->device[d] != dev && config_pci_bdf(&vm->device[d], &other) && other == bdf) {
                problem(ps, ps->line, "device pci bdf=%02x:%02x.%u: already given to vm '%s' (line %u)",
                        CONFIG_PCI_BUS(bdf), CONFIG_PCI_DEV(bdf), CONFIG_PCI_FN(bdf), vm->name,
                        vm->device[d].line);
                return false;
            }
    }
    return true;
}

/* device <type> [key=value ...]: a type from device_names and well-formed options. */
static void key_device(struct parse *ps, struct config_vm *vm, struct span rest)
{
    struct span w, type;
    size_t used = 0;
    unsigned t = 0;
    if (!word_take(&rest, &type)) {
        problem(ps, ps->line, "device: expected a type");
        return;
    }
    while (t < CONFIG_DEV_TYPES && !span_is(type, device_names[t]))
        t++;
    if (t == CONFIG_DEV_TYPES) {
        char known[160];
        size_t at = 0;
        for (unsigned i = 0; i < CONFIG_DEV_TYPES && at < sizeof(known); i++)
            at +=
                (size_t)snprintf(known + at, sizeof(known) - at, i ? " %s" : "%s", device_names[i]);
        problem(ps, ps->line, "device '%s': unknown type (known: %s)", quoted(ps, type), known);
        return;
    }
    for (struct span scan = rest; word_take(&scan, &w);) {
        if (!option_valid(w)) {
            problem(ps, ps->line, "device %s: option '%s': expected key=value", device_names[t],
                    quoted(ps, w));
            return;
        }
        used += (used ? 1 : 0) + w.n;
    }
    if (used > CONFIG_OPTIONS_MAX) {
        problem(ps, ps->line, "device %s: options longer than %u characters", device_names[t],
                CONFIG_OPTIONS_MAX);
        return;
    }
    if (vm->devices == CONFIG_MAX_DEVICES) {
        problem(ps, ps->line, "too many devices (at most %u)", CONFIG_MAX_DEVICES);
        return;
    }
    struct config_device *dev = &vm->device[vm->devices++];
    dev->type = (enum config_device_type)t;
    dev->line = ps->line;
    used = 0;
    while (word_take(&rest, &w)) {
        if (used)
            dev->options[used++] = ' ';
        memcpy(dev->options + used, w.p, w.n);
        used += w.n;
    }
    dev->options[used] = '\0';
    if (!pci_bdf_check(ps, dev))
        vm->devices--;
}

/* After a line whose key is unknown: it may have been a misspelled required key, or before the
   first vm line, a misspelled vm line whose keys would each be "outside a vm section". */
static void key_unknown(struct parse *ps)
{
    ps->unsure = true;
    if (ps->cur == NO_SECTION)
        ps->cur = LOST_SECTION;
}

/* A key line inside a section (or outside one, which is itself the mistake). */
static void key_line(struct parse *ps, struct span key, struct span rest)
{
    unsigned k = 0;
    while (k < KEYS && !span_is(key, key_names[k]))
        k++;
    if (k == KEYS) {
        problem(ps, ps->line, "unknown key '%s'", quoted(ps, key));
        key_unknown(ps);
        return;
    }
    if (ps->cur < 0) {
        problem(ps, ps->line, "'%s' outside a vm section", key_names[k]);
        return;
    }
    if (ps->key_line[k] && k != KEY_DEVICE) {
        problem(ps, ps->line, "duplicate key '%s' (first at line %u)", key_names[k],
                ps->key_line[k]);
        return;
    }
    if (!ps->key_line[k])
        ps->key_line[k] = ps->line;

    struct config_vm *vm = &ps->out->vm[ps->cur];
    uint64_t n;
    switch ((enum key)k) {
    case KEY_MEMORY:
        key_memory(ps, vm, rest);
        break;
    case KEY_VCPUS:
        if (key_number(ps, "vcpus", rest, 1, CONFIG_VCPUS_MAX, "a number", &n))
            vm->vcpus = (unsigned)n;
        break;
    case KEY_CPU:
        if (key_number(ps, "cpu", rest, 0, CONFIG_CPU_MAX, "a CPU number", &n))
            vm->cpu = (int)n;
        break;
    case KEY_KERNEL:
        key_module(ps, "kernel", rest, vm->kernel);
        break;
    case KEY_INITRD:
        key_module(ps, "initrd", rest, vm->initrd);
        break;
    case KEY_CMDLINE:
        key_cmdline(vm, rest);
        break;
    case KEY_DEVICE:
        key_device(ps, vm, rest);
        break;
    case KEYS:
        break;
    }
}

/* End the current section: it must have memory and kernel. Not checked when its vm line was
   broken or a line's key is unknown: that mistake, already reported, may be the missing key. */
static void section_close(struct parse *ps)
{
    if (ps->cur >= 0 && ps->header_ok && !ps->unsure) {
        const struct config_vm *vm = &ps->out->vm[ps->cur];
        if (!ps->key_line[KEY_MEMORY])
            problem(ps, vm->line, "vm '%s' has no memory", vm->name);
        if (!ps->key_line[KEY_KERNEL])
            problem(ps, vm->line, "vm '%s' has no kernel", vm->name);
    }
    ps->cur = NO_SECTION;
}

/* A "vm" line starts a section, in the next slot; past CONFIG_MAX_VMS it is ignored whole. */
static bool section_open(struct parse *ps)
{
    section_close(ps);
    if (ps->sections == CONFIG_MAX_VMS) {
        ps->cur = IGNORED_SECTION;
        problem(ps, ps->line, "too many vm sections (at most %u): this one is ignored",
                CONFIG_MAX_VMS);
        return false;
    }
    ps->cur = (int)ps->sections++;
    ps->header_ok = false;
    ps->unsure = false;
    memset(ps->key_line, 0, sizeof(ps->key_line));
    struct config_vm *vm = &ps->out->vm[ps->cur];
    vm->line = ps->line;
    vm->vcpus = 1;
    vm->cpu = CONFIG_CPU_ANY;
    return true;
}

/* The rest of a valid-looking "vm" line: the name, unique in the file. */
static void section_name(struct parse *ps, struct span rest)
{
    struct config_vm *vm = &ps->out->vm[ps->cur];
    struct span name;
    if (!value_take(ps, "vm", &rest, &name, "a name"))
        return;
    bool ok = name.n <= CONFIG_NAME_MAX;
    for (size_t i = 0; i < name.n && ok; i++) {
        char c = name.p[i];
        ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }
    if (!ok) {
        problem(ps, ps->line, "vm name '%s': expected 1 to %u characters from a-z 0-9 _ -",
                quoted(ps, name), CONFIG_NAME_MAX);
        return;
    }
    span_copy(vm->name, name);
    ps->header_ok = true;
    for (int i = 0; i < ps->cur; i++)
        if (strcmp(ps->out->vm[i].name, vm->name) == 0) {
            problem(ps, ps->line, "duplicate vm name '%s' (first at line %u)", vm->name,
                    ps->out->vm[i].line);
            return;
        }
}

/* One line, without its line end. */
static void line_parse(struct parse *ps, struct span line)
{
    struct span rest = line, first;
    bool any = word_take(&rest, &first);
    bool comment = any && first.p[0] == '#';
    bool vm = any && span_is(first, "vm");

    if ((ps->cur == IGNORED_SECTION || ps->cur == LOST_SECTION) && !vm)
        return;
    if (vm && !section_open(ps))
        return;
    if (!line_check(ps, line, comment)) {
        /* A key on a broken line still counts as present for the required-key checks. */
        unsigned k = 0;
        while (k < KEYS && !span_is(first, key_names[k]))
            k++;
        if (k < KEYS && !ps->key_line[k])
            ps->key_line[k] = ps->line;
        if (k == KEYS && !vm && !comment && any)
            key_unknown(ps);
        return;
    }
    if (!any || comment)
        return;
    if (vm)
        section_name(ps, rest);
    else
        key_line(ps, first, rest);
}

int config_parse(const char *file_name, const char *text, size_t len, struct config *out,
                 config_report_fn report, void *ctx)
{
    struct parse ps = {
        .file = file_name ? file_name : "(config)",
        .report = report,
        .ctx = ctx,
        .out = out,
        .cur = NO_SECTION,
    };
    size_t pos = 0;

    memset(out, 0, sizeof(*out));
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        struct span line = {text + pos, nl ? (size_t)(nl - (text + pos)) : len - pos};
        pos += line.n + 1;
        if (line.n && line.p[line.n - 1] == '\r')
            line.n--;
        ps.line++;
        line_parse(&ps, line);
    }
    section_close(&ps);

    /* Keep the sections without mistakes, in file order, and clear the other slots. */
    for (unsigned i = 0; i < ps.sections; i++) {
        if (ps.failed & (1u << i))
            continue;
        if (i != out->count)
            memcpy(&out->vm[out->count], &out->vm[i], sizeof(out->vm[i]));
        out->count++;
    }
    memset(&out->vm[out->count], 0, (CONFIG_MAX_VMS - out->count) * sizeof(out->vm[0]));
    return (int)out->count;
}

const char *config_device_name(enum config_device_type type)
{
    return (unsigned)type < CONFIG_DEV_TYPES ? device_names[type] : NULL;
}

bool config_device_option(const struct config_device *dev, const char *key, const char **value,
                          size_t *len)
{
    struct span rest = {dev->options, strlen(dev->options)}, w;
    size_t klen = strlen(key);
    while (word_take(&rest, &w))
        if (w.n > klen && w.p[klen] == '=' && memcmp(w.p, key, klen) == 0) {
            *value = w.p + klen + 1;
            *len = w.n - klen - 1;
            return true;
        }
    return false;
}

bool config_pci_bdf(const struct config_device *dev, unsigned *bdf)
{
    const char *v;
    size_t n;
    unsigned bus, slot, fn;
    if (dev->type != CONFIG_DEV_PCI || !config_device_option(dev, "bdf", &v, &n))
        return false;
    const char *colon = memchr(v, ':', n), *dot = memchr(v, '.', n);
    if (!colon || !dot || dot < colon)
        return false;
    struct span b = {v, (size_t)(colon - v)}, d = {colon + 1, (size_t)(dot - colon - 1)};
    struct span f = {dot + 1, n - (size_t)(dot + 1 - v)};
    if (!hex_parse(b, CONFIG_PCI_BUS_MAX, &bus) || !hex_parse(d, CONFIG_PCI_DEV_MAX, &slot) || f.n != 1 ||
        !hex_parse(f, CONFIG_PCI_FN_MAX, &fn))
        return false;
    *bdf = CONFIG_PCI_BDF(bus, slot, fn);
    return true;
}
