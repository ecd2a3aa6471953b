/* jsonw.c — the buffered JSON writer (see jsonw.h). */
#include "jsonw.h"

#include <stdlib.h>
#include <string.h>

#include "validate.h"

void jw_init(struct jsonw *w, size_t cap)
{
	w->cap = cap < 64 ? 64 : cap;
	w->buf = malloc(w->cap);
	w->len = 0;
	w->oom = w->buf == NULL;
	if (w->buf)
		w->buf[0] = 0;
}

void jw_free(struct jsonw *w)
{
	free(w->buf);
	w->buf = NULL;
	w->len = w->cap = 0;
}

/* Room for n more bytes and the NUL; 0, or -1 (w->oom set). */
static int reserve(struct jsonw *w, size_t n)
{
	if (w->oom)
		return -1;
	if (w->len + n + 1 <= w->cap)
		return 0;
	size_t cap = w->cap * 2;
	while (cap < w->len + n + 1)
		cap *= 2;
	char *b = realloc(w->buf, cap);
	if (!b) {
		w->oom = 1;
		return -1;
	}
	w->buf = b;
	w->cap = cap;
	return 0;
}

void jw_raw(struct jsonw *w, const char *s, size_t n)
{
	if (reserve(w, n) != 0)
		return;
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = 0;
}

/* One pass: ASCII is copied or escaped; every other character is checked
 * (validate_utf8's rules) and copied. Invalid text becomes null. */
void jw_str(struct jsonw *w, const char *s)
{
	size_t n = s ? strlen(s) : 0, start = w->len;
	if (!s) {
		jw_lit(w, "null");
		return;
	}
	if (reserve(w, 6 * n + 2) != 0) /* worst case: every byte \u00XX */
		return;
	char *o = w->buf + w->len;
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	*o++ = '"';
	while (p < end) {
		unsigned char c = *p;
		if (c >= 0x80) {
			size_t adv;
			if (utf8_next(p, (size_t)(end - p), &adv) < 0) {
				w->len = start;
				jw_lit(w, "null");
				return;
			}
			memcpy(o, p, adv);
			o += adv, p += adv;
			continue;
		}
		p++;
		if (c >= 0x20 && c != '"' && c != '\\') {
			*o++ = (char)c;
			continue;
		}
		*o++ = '\\';
		switch (c) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '\b': *o++ = 'b'; break;
		case '\f': *o++ = 'f'; break;
		case '\n': *o++ = 'n'; break;
		case '\r': *o++ = 'r'; break;
		case '\t': *o++ = 't'; break;
		default:
			*o++ = 'u', *o++ = '0', *o++ = '0';
			*o++ = "0123456789ABCDEF"[c >> 4];
			*o++ = "0123456789ABCDEF"[c & 15];
		}
	}
	*o++ = '"';
	*o = 0;
	w->len = (size_t)(o - w->buf);
}

void jw_int(struct jsonw *w, int64_t v)
{
	char num[24], *p = num + sizeof num;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	jw_raw(w, p, (size_t)(num + sizeof num - p));
}

static int dump_chunk(const char *s, size_t n, void *arg)
{
	struct jsonw *w = arg;
	jw_raw(w, s, n);
	return w->oom ? -1 : 0;
}

void jw_json(struct jsonw *w, const json_t *v)
{
	if (json_dump_callback(v, dump_chunk, w, JSON_COMPACT | JSON_REAL_PRECISION(12) | JSON_ENCODE_ANY) != 0)
		w->oom = 1;
}
