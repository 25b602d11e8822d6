/* SPDX-License-Identifier: MIT */
/* Splitting command lines into blank-separated words. */

#include "words.h"
#include "string.h"

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

const char *word_next(const char **s, size_t *len)
{
    const char *p = *s;
    while (is_blank(*p))
        p++;
    const char *w = p;
    while (*p && !is_blank(*p))
        p++;
    *s = p;
    *len = (size_t)(p - w);
    return *len ? w : NULL;
}

bool word_present(const char *s, const char *word)
{
    size_t len, n = strlen(word);
    for (const char *w; (w = word_next(&s, &len));)
        if (len == n && !strncmp(w, word, n))
            return true;
    return false;
}
