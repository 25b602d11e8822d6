/* SPDX-License-Identifier: MIT */
/* Host test of hypervisor/core/cmdline.c: switches, warnings for unknown words, the skipped image path. */

#include "core/cmdline.h"

#include <stddef.h>
#include <string.h>

#include "check.h"

/* The words cmdline_parse() reported, as (offset into the line, length) pairs. */
static const char *line;
static struct {
    long off;
    unsigned len;
} warned[8];
static unsigned nwarned;

static void warn(const char *word, unsigned len)
{
    if (nwarned < sizeof(warned) / sizeof(warned[0]))
        warned[nwarned].off = word - line, warned[nwarned].len = len;
    nwarned++;
}

/* Parse s from a clean state and return the switches it set. */
static struct cmdline parse(const char *s)
{
    memset(&cmdline, 0, sizeof(cmdline));
    nwarned = 0;
    line = s;
    cmdline_parse(s, warn);
    return cmdline;
}

static bool none_set(struct cmdline c)
{
    return !c.insecure && !c.nodl && !c.nopcid && !c.nosmmu && !c.noturbo && !c.nouart && !c.novpid;
}

/* Whether report i was the word at offset off of the line, of length len. */
static bool warned_is(unsigned i, long off, unsigned len)
{
    return i < nwarned && warned[i].off == off && warned[i].len == len;
}

static void test_switches(void)
{
    struct cmdline c = parse("insecure nodl nopcid nosmmu noturbo nouart novpid");
    CHECK("all seven switches", c.insecure && c.nodl && c.nopcid && c.nosmmu && c.noturbo && c.nouart && c.novpid);
    CHECK_EQ("all seven switches: no warning", nwarned, 0);

    static const struct {
        const char *word;
        size_t offset; /* of the flag in struct cmdline */
    } one[] = {
        {"insecure", offsetof(struct cmdline, insecure)}, {"nodl", offsetof(struct cmdline, nodl)},
        {"nopcid", offsetof(struct cmdline, nopcid)},     {"nosmmu", offsetof(struct cmdline, nosmmu)},
        {"noturbo", offsetof(struct cmdline, noturbo)},   {"nouart", offsetof(struct cmdline, nouart)},
        {"novpid", offsetof(struct cmdline, novpid)},
    };
    for (unsigned i = 0; i < sizeof(one) / sizeof(one[0]); i++) {
        c = parse(one[i].word);
        bool *flag = (bool *)((char *)&c + one[i].offset);
        bool only = *flag;
        *flag = false;
        char name[48];
        snprintf(name, sizeof(name), "'%s' sets only its flag", one[i].word);
        CHECK(name, only && none_set(c) && nwarned == 0);
    }
    c = parse("nodl nodl");
    CHECK("repeated switch", c.nodl && nwarned == 0);
}

static void test_unknown(void)
{
    struct cmdline c = parse("foo nodl barbaz");
    CHECK("unknown words: known one still set", c.nodl && !c.novpid);
    CHECK("unknown words: reported with exact word and length",
          nwarned == 2 && warned_is(0, 0, 3) && warned_is(1, 9, 6));

    /* Prefixes, extensions and other case of a switch are not the switch. */
    c = parse("nod nodlx NODL no-dl");
    CHECK("near misses: no flag set", none_set(c));
    CHECK("near misses: all four reported",
          nwarned == 4 && warned_is(0, 0, 3) && warned_is(1, 4, 5) && warned_is(2, 10, 4) && warned_is(3, 15, 5));
    c = parse("novpid=1");
    CHECK("switch with a value is unknown", none_set(c) && nwarned == 1 && warned_is(0, 0, 8));
}

static void test_path(void)
{
    struct cmdline c = parse("/boot/nova nopcid");
    CHECK("leading image path skipped", c.nopcid && nwarned == 0);
    c = parse("  \t/boot/nova.elf");
    CHECK("image path alone, after blanks", none_set(c) && nwarned == 0);
    c = parse("nova.elf nodl");
    CHECK("first word without '/' is reported", c.nodl && nwarned == 1 && warned_is(0, 0, 8));
    c = parse("nodl /x/y nouart");
    CHECK("later word with '/' is reported", c.nodl && c.nouart && nwarned == 1 && warned_is(0, 5, 4));
    c = parse("/a/b /c/d");
    CHECK("only the first path is skipped", nwarned == 1 && warned_is(0, 5, 4));
    c = parse("nodl/ novpid");
    CHECK("first word 'nodl/' skipped as a path", !c.nodl && c.novpid && nwarned == 0);
}

static void test_blanks(void)
{
    struct cmdline c = parse("");
    CHECK("empty line", none_set(c) && nwarned == 0);
    c = parse("   ");
    CHECK("blank line", none_set(c) && nwarned == 0);
    c = parse(" \t \t");
    CHECK("blanks and tabs only", none_set(c) && nwarned == 0);
    c = parse("nodl\tnopcid\t\tfoo\t");
    CHECK("tabs separate words", c.nodl && c.nopcid && nwarned == 1 && warned_is(0, 13, 3));
    c = parse("  nouart   novpid  ");
    CHECK("runs of spaces, leading and trailing", c.nouart && c.novpid && nwarned == 0);
    c = parse("nosmmu\r\nnoturbo\n");
    CHECK("CR and LF separate words", c.nosmmu && c.noturbo && nwarned == 0);
}

int main(void)
{
    test_switches();
    test_unknown();
    test_path();
    test_blanks();
    return check_summary();
}
