/* docx_xml.c — the .docx writer's text buffer and XML escaping (docx_int.h). */
#include "docx_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docx.h"

static int reserve(struct dbuf *b, size_t n)
{
	if (b->failed)
		return -1;
	if (b->len + n + 1 <= b->cap)
		return 0;
	if (b->len + n + 1 > DOCX_MAX_BYTES) {
		b->failed = 1;
		return -1;
	}
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + n + 1)
		cap *= 2;
	if (cap > DOCX_MAX_BYTES)
		cap = DOCX_MAX_BYTES;
	char *p = realloc(b->p, cap);
	if (!p) {
		b->failed = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

void dbuf_put(struct dbuf *b, const char *s, size_t n)
{
	if (reserve(b, n) != 0)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

void dbuf_str(struct dbuf *b, const char *s)
{
	dbuf_put(b, s, strlen(s));
}

void dbuf_printf(struct dbuf *b, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof small) { /* only short markup goes through here */
		b->failed = 1;
		return;
	}
	dbuf_put(b, small, (size_t)n);
}

/* Length of the valid UTF-8 sequence at s, 0 when invalid. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
	if (n == 2 && s[0] < 0xC2)
		return 0; /* overlong */
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if ((n == 3 && s[0] == 0xE0 && s[1] < 0xA0) || (n == 4 && s[0] == 0xF0 && s[1] < 0x90))
		return 0; /* overlong */
	if ((n == 3 && s[0] == 0xED && s[1] >= 0xA0) || (n == 4 && (s[0] > 0xF4 || (s[0] == 0xF4 && s[1] >= 0x90))))
		return 0; /* surrogates, past U+10FFFF */
	if (n == 3 && s[0] == 0xEF && s[1] == 0xBF && s[2] >= 0xBE)
		return 0; /* U+FFFE, U+FFFF: not XML characters */
	return n;
}

void dbuf_esc(struct dbuf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t n = utf8_len(p);
		if (n == 0 || (*p < 0x20 && *p != '\t')) {
			p++;
			continue;
		}
		switch (*p) {
		case '&': dbuf_lit(b, "&amp;"); break;
		case '<': dbuf_lit(b, "&lt;"); break;
		case '>': dbuf_lit(b, "&gt;"); break;
		case '"': dbuf_lit(b, "&quot;"); break;
		case '\'': dbuf_lit(b, "&apos;"); break;
		default: dbuf_put(b, (const char *)p, n);
		}
		p += n;
	}
}

void dbuf_free(struct dbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}
