/* SPDX-License-Identifier: MIT */
/* Host test of lib/config.c: golden files in tests/unit/config/ plus direct edge-case checks. */

#include <config.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* Usage: config [DIR]       check every DIR/NAME.conf against DIR/NAME.out (default below)
          config --print F  print the canonical form of file F (to write a new golden file) */
#define DEFAULT_DIR "tests/unit/config"

static struct config cfg; /* large: kept out of the stack */

/* Collects the messages of one parse as "error <message>" lines. */
struct sink {
    FILE *f;
    unsigned messages;
};

static void collect(void *ctx, const char *msg)
{
    struct sink *s = ctx;
    fprintf(s->f, "error %s\n", msg);
    s->messages++;
}

/* Parse text and return (malloc'd) its canonical form: the messages in the order reported,
   then every VM with every field, then "N vms, M errors". */
static char *render(const char *name, const char *text, size_t len)
{
    char *buf = NULL;
    size_t size = 0;
    struct sink s = {open_memstream(&buf, &size), 0};
    int n = config_parse(name, text, len, &cfg, collect, &s);

    for (unsigned i = 0; i < cfg.count; i++) {
        const struct config_vm *vm = &cfg.vm[i];
        fprintf(s.f, "vm %s (line %u)\n", vm->name, vm->line);
        fprintf(s.f, "  memory %llu\n", (unsigned long long)vm->memory);
        fprintf(s.f, "  vcpus %u\n", vm->vcpus);
        if (vm->cpu == CONFIG_CPU_ANY)
            fprintf(s.f, "  cpu any\n");
        else
            fprintf(s.f, "  cpu %d\n", vm->cpu);
        fprintf(s.f, "  kernel \"%s\"\n", vm->kernel);
        fprintf(s.f, "  initrd \"%s\"\n", vm->initrd);
        fprintf(s.f, "  cmdline \"%s\"\n", vm->cmdline);
        for (unsigned d = 0; d < vm->devices; d++)
            fprintf(s.f, "  device %s \"%s\" (line %u)\n", config_device_name(vm->device[d].type),
                    vm->device[d].options, vm->device[d].line);
    }
    fprintf(s.f, "%d vms, %u errors\n", n, cfg.errors);
    /* Lines no golden file has: they make the comparison fail if the counts disagree. */
    if (n < 0 || (unsigned)n != cfg.count)
        fprintf(s.f, "inconsistent: returned %d, count %u\n", n, cfg.count);
    if (s.messages != cfg.errors)
        fprintf(s.f, "inconsistent: %u messages, errors %u\n", s.messages, cfg.errors);
    fclose(s.f);
    return buf;
}

/* Read a whole file into a buffer of exactly its size (so that ASan sees any over-read). */
static char *file_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc(size > 0 ? (size_t)size : 1);
    *len = size > 0 ? fread(buf, 1, (size_t)size, f) : 0;
    fclose(f);
    return buf;
}

/* Compare got with the golden text line by line; describe the first difference in why. */
static bool golden_same(const char *got, const char *want, char *why, size_t whylen)
{
    for (unsigned line = 1;; line++) {
        size_t g = strcspn(got, "\n"), w = strcspn(want, "\n");
        if (!*got && !*want)
            return true;
        if (g != w || memcmp(got, want, g) != 0 || !*got != !*want) {
            snprintf(why, whylen, "line %u: got \"%.*s\", want \"%.*s\"", line, (int)g, got, (int)w,
                     want);
            return false;
        }
        got += g + (got[g] == '\n');
        want += w + (want[w] == '\n');
    }
}

static int name_order(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Check one NAME.conf against NAME.out; good_* files must have no error, bad_* at least one. */
static void golden_check(const char *dir, const char *conf)
{
    char path[4096], why[4608] = "";
    size_t len, olen, stem = strlen(conf) - strlen(".conf");
    snprintf(path, sizeof(path), "%s/%s", dir, conf);
    char *text = file_read(path, &len);
    snprintf(path, sizeof(path), "%s/%.*s.out", dir, (int)stem, conf);
    char *want = file_read(path, &olen);
    char *got = text ? render(conf, text, len) : NULL;

    bool ok = false;
    if (!text)
        snprintf(why, sizeof(why), "cannot read %s/%s", dir, conf);
    else if (!want)
        snprintf(why, sizeof(why), "no golden file %s", path);
    else if (strncmp(conf, "good_", 5) == 0 && cfg.errors)
        snprintf(why, sizeof(why), "a good_ file with %u errors", cfg.errors);
    else if (strncmp(conf, "bad_", 4) == 0 && !cfg.errors)
        snprintf(why, sizeof(why), "a bad_ file without errors");
    else {
        want = realloc(want, olen + 1);
        want[olen] = '\0';
        ok = golden_same(got, want, why, sizeof(why));
    }
    if (!check_begin(ok, conf))
        printf("%s\n", why);
    free(text), free(want), free(got);
}

/* Every *.conf in dir, in name order; returns how many there were. */
static unsigned golden_run(const char *dir)
{
    DIR *d = opendir(dir);
    char *names[256];
    unsigned n = 0;
    for (struct dirent *e; d && (e = readdir(d)) && n < 256;) {
        size_t l = strlen(e->d_name);
        if (l > 5 && strcmp(e->d_name + l - 5, ".conf") == 0)
            names[n++] = strdup(e->d_name);
    }
    if (d)
        closedir(d);
    qsort(names, n, sizeof(names[0]), name_order);
    for (unsigned i = 0; i < n; i++)
        golden_check(dir, names[i]), free(names[i]);
    return n;
}

/* The messages of the last parse() call, and whether all were printable ASCII of bounded length. */
#define KEEP_MAX 8
static char messages[KEEP_MAX][CONFIG_MESSAGE_MAX];
static unsigned nmessages;
static bool messages_clean;

static void keep(void *ctx, const char *msg)
{
    size_t len = strlen(msg);
    (void)ctx;
    for (size_t i = 0; i < len; i++)
        messages_clean = messages_clean && msg[i] >= 0x20 && msg[i] < 0x7f;
    messages_clean = messages_clean && len < CONFIG_MESSAGE_MAX && strncmp(msg, "t.conf:", 7) == 0;
    if (nmessages < KEEP_MAX)
        memcpy(messages[nmessages], msg, len < CONFIG_MESSAGE_MAX ? len + 1 : 0);
    nmessages++;
}

/* Parse len bytes of s as file "t.conf", from a copy of exactly that size. */
static int parse(const char *s, size_t len)
{
    char *buf = malloc(len ? len : 1);
    memcpy(buf, s, len);
    nmessages = 0;
    messages_clean = true;
    int n = config_parse("t.conf", buf, len, &cfg, keep, NULL);
    free(buf);
    return n;
}
#define PARSE(lit) parse((lit), sizeof(lit) - 1)

static void test_bytes(void)
{
    CHECK_EQ("NUL byte: the other vm loads",
             PARSE("vm a\nmemory 1\0M\nkernel k\n"
                   "vm b\nmemory 1M\nkernel k\n"),
             1);
    CHECK_STR("NUL byte: loaded vm", cfg.vm[0].name, "b");
    CHECK_EQ("NUL byte: one message", nmessages, 1);
    CHECK_STR("NUL byte: message", messages[0], "t.conf:2: NUL byte at column 9");
    CHECK_EQ("NUL byte in a comment", PARSE("# a\0b\nvm a\nmemory 1M\nkernel k\n"), 1);
    CHECK_STR("NUL byte in a comment: message", messages[0], "t.conf:1: NUL byte at column 4");

    CHECK_EQ("non-ASCII byte: vm dropped", PARSE("vm a\nmemory 1M\nkernel b\xc3\xa9\n"), 0);
    CHECK_EQ("non-ASCII byte: one message (kernel counts as present)", nmessages, 1);
    CHECK_STR("non-ASCII byte: message", messages[0], "t.conf:3: non-ASCII byte 0xc3 at column 9");
    CHECK_EQ("UTF-8 in a comment is fine", PARSE("vm a\n  # caf\xc3\xa9\nmemory 1M\nkernel k\n"),
             1);
    CHECK_EQ("UTF-8 in a comment: no message", nmessages, 0);

    CHECK_EQ("lone CR: vm dropped", PARSE("vm a\nmemory 1M\rkernel k\n"), 0);
    CHECK_STR("lone CR: message", messages[0], "t.conf:2: control character 0x0d at column 10");
    CHECK_EQ("DEL byte", PARSE("vm a\x7f\n"), 0);
    CHECK_STR("DEL byte: message", messages[0], "t.conf:1: control character 0x7f at column 5");
    CHECK_EQ("DEL byte: no 'has no' messages for a broken vm line", nmessages, 1);
}

static void test_line_ends(void)
{
    static const char lf[] = "vm a\nmemory 1M\nkernel k\n\nvm b\nmemory 2M\nkernel k\nmemroy 1\n";
    static const char crlf[] = "vm a\r\nmemory 1M\r\nkernel k\r\n\r\nvm b\r\nmemory 2M\r\n"
                               "kernel k\r\nmemroy 1\r\n";
    static const char mixed[] = "vm a\nmemory 1M\r\nkernel k\n\r\nvm b\r\nmemory 2M\n"
                                "kernel k\r\nmemroy 1";
    char *a = render("t.conf", lf, sizeof(lf) - 1);
    char *b = render("t.conf", crlf, sizeof(crlf) - 1);
    char *c = render("t.conf", mixed, sizeof(mixed) - 1);
    CHECK("CRLF: same result as LF", strcmp(a, b) == 0);
    CHECK("mixed line ends, no final newline: same result as LF", strcmp(a, c) == 0);
    CHECK("CRLF: the error is on line 8", strstr(b, "error t.conf:8: unknown key 'memroy'\n"));
    free(a), free(b), free(c);

    CHECK_EQ("no final newline", PARSE("vm a\nmemory 1M\nkernel bz"), 1);
    CHECK_STR("no final newline: last word kept", cfg.vm[0].kernel, "bz");
    CHECK_EQ("no final newline after a size", PARSE("vm a\nkernel k\nmemory 2M"), 1);
    CHECK_EQ("no final newline after a size: value", cfg.vm[0].memory, 2u << 20);
    CHECK_EQ("no final newline after CR", PARSE("vm a\nkernel k\nmemory 3M\r"), 1);
    CHECK_EQ("no final newline after CR: value", cfg.vm[0].memory, 3u << 20);
    CHECK_EQ("tabs separate words", PARSE("vm\ta\n\tmemory\t1M\t\nkernel \t k\n"), 1);
    CHECK_EQ("tabs separate words: no message", nmessages, 0);
    CHECK_EQ("empty text", config_parse("t.conf", NULL, 0, &cfg, keep, NULL), 0);
    CHECK_EQ("empty text: no errors", cfg.errors, 0);
    CHECK_EQ("only comments and blanks", PARSE("# x\n\n  \t\n   # y\r\n"), 0);
    CHECK_EQ("only comments and blanks: no errors", cfg.errors, 0);
}

static void test_line_length(void)
{
    static char text[200000];
    size_t head = (size_t)snprintf(text, sizeof(text), "vm a\nmemory 1M\nkernel k\ncmdline ");
    memset(text + head, 'x', sizeof(text) - head);

    /* Line 4 is "cmdline " plus the x's: 1023 characters in all is the longest accepted. */
    CHECK_EQ("1023-character line", parse(text, head + 1015), 1);
    CHECK_EQ("1023-character line: cmdline kept", strlen(cfg.vm[0].cmdline), 1015);
    memcpy(text + head + 1015, "\r\n", 2);
    CHECK_EQ("1023-character line with CRLF", parse(text, head + 1017), 1);
    text[head + 1015] = 'x', text[head + 1016] = 'x';
    CHECK_EQ("1024-character line: vm dropped", parse(text, head + 1016), 0);
    CHECK_STR("1024-character line: message", messages[0],
              "t.conf:4: line too long (1024 characters, at most 1023)");
    CHECK_EQ("1024-character line: one message", nmessages, 1);
    CHECK_EQ("199976-character line", parse(text, sizeof(text)), 0);
    CHECK_STR("199976-character line: message", messages[0],
              "t.conf:4: line too long (199976 characters, at most 1023)");
}

/* n vm sections; section bad (if < n) has no kernel; past the limit, the last has junk lines. */
static int parse_vms(unsigned n, unsigned bad)
{
    static char text[8192];
    size_t at = 0;
    for (unsigned i = 0; i < n; i++)
        at += (size_t)snprintf(text + at, sizeof(text) - at, "vm v%u\nmemory 1M\n%s\n", i,
                               i == bad ? "cpu 1\n#" : "kernel k");
    if (n > CONFIG_MAX_VMS)
        at += (size_t)snprintf(text + at, sizeof(text) - at, "memroy 1\n\x80\n");
    return parse(text, at);
}

static void test_overflow(void)
{
    CHECK_EQ("16 vms load", parse_vms(16, 99), 16);
    CHECK_STR("16 vms: the last", cfg.vm[15].name, "v15");
    CHECK_EQ("16 vms: no message", nmessages, 0);
    CHECK_EQ("17 vms: 16 load", parse_vms(17, 99), 16);
    CHECK_STR("17 vms: the first 16 load", cfg.vm[15].name, "v15");
    CHECK_EQ("17 vms: one message (the 17th section is ignored whole)", nmessages, 1);
    CHECK_STR("17 vms: message", messages[0],
              "t.conf:49: too many vm sections (at most 16): this one is ignored");
    CHECK_EQ("18 vms: 16 load", parse_vms(18, 99), 16);
    CHECK_EQ("18 vms: one message per ignored section", nmessages, 2);
    CHECK_EQ("17 vms, one broken: the limit counts sections", parse_vms(17, 3), 15);
    CHECK_EQ("17 vms, one broken: two messages", nmessages, 2);
    CHECK_STR("17 vms, one broken: no kernel", messages[0], "t.conf:10: vm 'v3' has no kernel");
    CHECK_STR("17 vms: v4 moved to slot 3", cfg.vm[3].name, "v4");
    CHECK_EQ("17 vms: unused slot cleared", cfg.vm[15].line, 0);

    char text[2048];
    size_t at = (size_t)snprintf(text, sizeof(text), "vm a\nmemory 1M\nkernel k\n");
    for (unsigned i = 0; i < 17; i++)
        at += (size_t)snprintf(text + at, sizeof(text) - at, "device pci\n");
    CHECK_EQ("17 devices: vm dropped", parse(text, at), 0);
    CHECK_STR("17 devices: message", messages[0], "t.conf:20: too many devices (at most 16)");
    CHECK_EQ("16 devices: vm loads", parse(text, at - strlen("device pci\n")), 1);
    CHECK_EQ("16 devices: all kept", cfg.vm[0].devices, 16);
}

static void test_memory(void)
{
    static const struct {
        const char *size;
        unsigned long long bytes; /* 0: rejected */
    } cases[] = {
        {"1M", 1ull << 20},
        {"1m", 1ull << 20},
        {"1024K", 1ull << 20},
        {"1048576", 1ull << 20},
        {"1052672", 1052672},
        {"64G", 64ull << 30},
        {"65536M", 64ull << 30},
        {"68719476736", 64ull << 30},
        {"0064g", 64ull << 30},
        {"1020K", 0},
        {"1048575", 0},
        {"1048577", 0},
        {"65G", 0},
        {"68719480832", 0},
        {"0", 0},
        {"99999999999999999999999G", 0},
        {"M", 0},
        {"1.5G", 0},
        {"512MB", 0},
        {"-1M", 0},
        {"0x100000", 0},
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char text[128], name[64];
        int len = snprintf(text, sizeof(text), "vm a\nkernel k\nmemory %s\n", cases[i].size);
        snprintf(name, sizeof(name), "memory %s", cases[i].size);
        int n = parse(text, (size_t)len);
        if (cases[i].bytes)
            CHECK_EQ(name, n == 1 ? cfg.vm[0].memory : 0, cases[i].bytes);
        else
            CHECK(name, n == 0 && nmessages == 1);
    }
}

static void test_api(void)
{
    const char *v;
    size_t len;
    CHECK_EQ("device options",
             PARSE("vm a\nmemory 1M\nkernel k\n"
                   "device uart   port=0x3f8\tirq=4 name=a=b\n"),
             1);
    const struct config_device *d = &cfg.vm[0].device[0];
    CHECK_STR("device options: joined by single spaces", d->options, "port=0x3f8 irq=4 name=a=b");
    CHECK("option irq", config_device_option(d, "irq", &v, &len) && len == 1 && *v == '4');
    CHECK("option name keeps later '='",
          config_device_option(d, "name", &v, &len) && len == 3 && memcmp(v, "a=b", 3) == 0);
    CHECK("option prefix does not match", !config_device_option(d, "ir", &v, &len));
    CHECK("option absent", !config_device_option(d, "port=", &v, &len));

    bool names_ok = true;
    for (unsigned t = 0; t < CONFIG_DEV_TYPES; t++)
        for (unsigned u = 0; u < t; u++)
            names_ok = names_ok && config_device_name(t) && config_device_name(u) &&
                       strcmp(config_device_name(t), config_device_name(u)) != 0;
    CHECK("device names distinct", names_ok);
    CHECK("device name out of range", config_device_name(CONFIG_DEV_TYPES) == NULL);
    CHECK_STR("device name virtio-console", config_device_name(CONFIG_DEV_VIRTIO_CONSOLE),
              "virtio-console");

    CHECK_EQ("no report function", config_parse("t.conf", "vm A\nfoo\n", 9, &cfg, NULL, NULL), 0);
    CHECK_EQ("no report function: errors counted", cfg.errors, 2);

    char name[400];
    memset(name, 'f', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    nmessages = 0;
    config_parse(name, "foo\n", 4, &cfg, keep, NULL);
    CHECK_EQ("long file name: message cut", strlen(messages[0]), CONFIG_MESSAGE_MAX - 1);

    memset(&cfg, 0xa5, sizeof(cfg));
    PARSE("vm a\nmemory 1M\nkernel k\n");
    static const struct config_vm zero;
    CHECK("output cleared first", cfg.count == 1 && memcmp(&cfg.vm[1], &zero, sizeof(zero)) == 0);
}

/* Random byte changes to a valid file: no crash (ASan), at most 16 vms, clean messages. */
static void test_mutations(void)
{
    static const char base[] = "# two vms\nvm web\nmemory 512M\nvcpus 2\ncpu 1\nkernel bzImage\n"
                               "initrd initrd.cpio\ncmdline console=ttyS0 quiet\n"
                               "device uart port=0x3f8 irq=4\ndevice virtio-console\n"
                               "vm db\nmemory 1G\nkernel bzImage\n";
    static const char alphabet[] = "vm \t\n\r#=0123456789KMGx\0\x80-_";
    char text[sizeof(base)];
    unsigned seed = 12345, bad = 0;
    for (unsigned round = 0; round < 20000; round++) {
        memcpy(text, base, sizeof(base));
        for (unsigned k = 0; k < 1 + round % 4; k++) {
            seed = seed * 1103515245u + 12345u;
            unsigned at = (seed >> 8) % (sizeof(base) - 1);
            seed = seed * 1103515245u + 12345u;
            text[at] = alphabet[(seed >> 8) % (sizeof(alphabet) - 1)];
        }
        seed = seed * 1103515245u + 12345u;
        int n = parse(text, (seed >> 8) % sizeof(base));
        bad += n < 0 || n > CONFIG_MAX_VMS || nmessages != cfg.errors || !messages_clean;
    }
    CHECK_EQ("20000 mutated files: consistent results and clean messages", bad, 0);
}

static void config_edge_checks(void)
{
    test_bytes();
    test_line_ends();
    test_line_length();
    test_overflow();
    test_memory();
    test_api();
    test_mutations();
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--print") == 0) {
        size_t len;
        char *text = file_read(argv[2], &len);
        if (!text)
            return perror(argv[2]), 2;
        const char *base = strrchr(argv[2], '/');
        char *out = render(base ? base + 1 : argv[2], text, len);
        fputs(out, stdout);
        free(text), free(out);
        return 0;
    }
    const char *dir = argc > 1 ? argv[1] : DEFAULT_DIR;
    unsigned files = golden_run(dir);
    CHECK("golden files found", files >= 16);
    config_edge_checks();
    return check_summary();
}
