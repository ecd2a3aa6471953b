/*
 * textline.c — slices of a data file's line (textline.h).
 */
#include "textline.h"

#include <string.h>

struct slice slice_trim(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return (struct slice){ p, n };
}

int slice_is(struct slice a, const char *s)
{
	return a.n == strlen(s) && memcmp(a.p, s, a.n) == 0;
}

struct slice slice_word(struct slice *rest)
{
	struct slice t = slice_trim(rest->p, rest->n);
	size_t i = 0;
	while (i < t.n && t.p[i] != ' ' && t.p[i] != '\t')
		i++;
	*rest = (struct slice){ t.p + i, t.n - i };
	return (struct slice){ t.p, i };
}

int slice_split(struct slice t, struct slice *f, int max)
{
	int nf = 0;
	const char *p = t.p, *end = t.p + t.n;
	while (nf <= max) {
		const char *bar = memchr(p, '|', (size_t)(end - p));
		const char *e = bar ? bar : end;
		if (nf < max)
			f[nf] = slice_trim(p, (size_t)(e - p));
		nf++;
		if (!bar)
			break;
		p = bar + 1;
	}
	return nf;
}
