/*
 * textline.h — the pieces the hand-edited data files' loaders share
 * (indicator systems, discretion benchmarks): a slice of a line, trimming,
 * words and ' | ' fields. Nothing allocates; slices point into the text.
 */
#ifndef FAZHI_TEXTLINE_H
#define FAZHI_TEXTLINE_H

#include <stddef.h>

struct slice {
	const char *p;
	size_t n;
};

/* p[0..n) without leading and trailing spaces and tabs. */
struct slice slice_trim(const char *p, size_t n);
/* Whether a is exactly the string s. */
int slice_is(struct slice a, const char *s);
/* The next space-separated word of *rest; *rest moves past it. */
struct slice slice_word(struct slice *rest);
/* Splits t on '|' into trimmed fields f[0..max): returns the count, or
 * max + 1 when there are more. */
int slice_split(struct slice t, struct slice *f, int max);

#endif
