/* SPDX-License-Identifier: MIT */
/* Hypervisor command line: the switches of the NOVA interface. */

#include "core/cmdline.h"

#include <string.h>
#include <words.h>

struct cmdline cmdline;

static const struct {
    const char *name;
    bool *flag;
} options[] = {
    {"insecure", &cmdline.insecure}, {"nodl", &cmdline.nodl},     {"nopcid", &cmdline.nopcid},
    {"nosmmu", &cmdline.nosmmu},     {"noturbo", &cmdline.noturbo}, {"nouart", &cmdline.nouart},
    {"novpid", &cmdline.novpid},
};

void cmdline_parse(const char *s, void (*warn)(const char *word, unsigned len))
{
    size_t len;
    bool first = true;
    for (const char *w; (w = word_next(&s, &len)); first = false) {
        if (first && memchr(w, '/', len))
            continue; /* the image path QEMU and some loaders put first */
        unsigned i;
        for (i = 0; i < sizeof(options) / sizeof(options[0]); i++)
            if (strlen(options[i].name) == len && !strncmp(options[i].name, w, len))
                break;
        if (i < sizeof(options) / sizeof(options[0]))
            *options[i].flag = true;
        else
            warn(w, (unsigned)len);
    }
}
