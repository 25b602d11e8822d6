/* SPDX-License-Identifier: MIT */
/* Splitting command lines into blank-separated words. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* The next word of *s (its length in *len), advancing *s past it; NULL when none is left. */
const char *word_next(const char **s, size_t *len);
/* Whether word occurs in s as a whole word. */
bool word_present(const char *s, const char *word);
