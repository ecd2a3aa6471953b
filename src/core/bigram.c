/*
 * bigram.c — the law library's search tokens (bigram.h): the scanner, the
 * FTS5 tokenizer over it, and the PostgreSQL tsvector / tsquery text built
 * from the same tokens.
 */
#include "bigram.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jsonw.h"

/* Appends printf-style text to w (a growing string). */
__attribute__((format(printf, 2, 3))) static void put(struct jsonw *w, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof small)
		jw_raw(w, small, (size_t)n);
	else
		w->oom = 1; /* no piece is this long: tokens are at most 64 bytes */
}

/* w's text, or NULL (and freed) when an allocation failed. */
static char *take(struct jsonw *w)
{
	jw_raw(w, "", 0);
	if (w->oom || !w->buf) {
		jw_free(w);
		return NULL;
	}
	return w->buf;
}

int bigram_is_cjk(unsigned cp)
{
	return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0x20000 && cp <= 0x2FFFF) || cp == 0x3007; /* 〇 */
}

/* The code point at s[0..n) and its length; 0 for an invalid sequence. */
static int utf8_at(const unsigned char *s, size_t n, unsigned *cp)
{
	int len = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
	if (len == 0 || (size_t)len > n)
		return 0;
	unsigned c = len == 1 ? s[0] : len == 2 ? s[0] & 0x1F : len == 3 ? s[0] & 0x0F : s[0] & 0x07;
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	static const unsigned least[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (c < least[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

static int is_word(unsigned cp) { return cp < 0x80 && ((cp | 0x20) - 'a' < 26 || cp - '0' < 10); }

struct scan {
	bigram_emit emit;
	void *ctx;
	int query;
	int run;          /* CJK characters in the current run */
	int prev, prev_end; /* the run's last character [prev, prev_end) */
	int word;         /* start of the current ASCII word, or -1 */
};

/* The end of a CJK run: its last character alone where the mode wants it. */
static int run_end(struct scan *s, const char *text)
{
	int rc = 0;
	if (s->run > 0 && (!s->query || s->run == 1))
		rc = s->emit(s->ctx, text + s->prev, s->prev_end - s->prev, s->prev, s->prev_end);
	s->run = 0;
	return rc;
}

static int word_end(struct scan *s, const char *text, int end)
{
	if (s->word < 0)
		return 0;
	char low[BIGRAM_MAX_WORD];
	int n = end - s->word < BIGRAM_MAX_WORD ? end - s->word : BIGRAM_MAX_WORD;
	for (int i = 0; i < n; i++)
		low[i] = (char)((text[s->word + i] >= 'A' && text[s->word + i] <= 'Z') ? text[s->word + i] + 32
											: text[s->word + i]);
	int rc = s->emit(s->ctx, low, n, s->word, end);
	s->word = -1;
	return rc;
}

int bigram_tokens(const char *text, size_t n, int query, bigram_emit emit, void *ctx)
{
	struct scan s = { .emit = emit, .ctx = ctx, .query = query, .word = -1 };
	const unsigned char *u = (const unsigned char *)text;
	size_t i = 0;
	int rc = 0;
	while (rc == 0 && i < n && n < (size_t)1 << 30) {
		unsigned cp = 0;
		int len = utf8_at(u + i, n - i, &cp);
		int at = (int)i, cjk = len && bigram_is_cjk(cp), word = len && is_word(cp);
		i += len ? (size_t)len : 1;
		if (!word)
			rc = word_end(&s, text, at);
		if (rc == 0 && !cjk)
			rc = run_end(&s, text);
		if (rc == 0 && cjk) {
			if (s.run > 0)
				rc = emit(ctx, text + s.prev, (int)i - s.prev, s.prev, (int)i);
			s.run++;
			s.prev = at;
			s.prev_end = (int)i;
		} else if (word && s.word < 0) {
			s.word = at;
		}
	}
	if (rc == 0)
		rc = word_end(&s, text, (int)i);
	if (rc == 0)
		rc = run_end(&s, text);
	return rc;
}

/* ---- PostgreSQL text ---- */

struct tsv {
	struct jsonw w; /* a growing string */
	int pos, count;
	const char *first; /* a query term's first token */
	int first_len, first_cjk1;
};

static int tsv_doc(void *ctx, const char *tok, int len, int start, int end)
{
	struct tsv *t = ctx;
	char num[16];
	if (t->pos < 16383)
		t->pos++;
	snprintf(num, sizeof num, ":%d", t->pos);
	put(&t->w, "%s'%.*s'%s", t->count++ ? " " : "", len, tok, num);
	return 0;
}

char *bigram_tsvector(const char *text)
{
	struct tsv t = { .pos = 0 };
	jw_init(&t.w, strlen(text) * 3 + 64);
	bigram_tokens(text, strlen(text), 0, tsv_doc, &t);
	return take(&t.w);
}

static int tsq_term(void *ctx, const char *tok, int len, int start, int end)
{
	struct tsv *t = ctx;
	unsigned cp = 0;
	if (t->count == 0)
		t->first_cjk1 = utf8_at((const unsigned char *)tok, (size_t)len, &cp) == len && bigram_is_cjk(cp);
	put(&t->w, "%s'%.*s'", t->count++ ? " <-> " : "", len, tok);
	return 0;
}

/* Calls each(term, len, ctx) for the blank-separated terms of q. */
static void terms(const char *q, void (*each)(const char *, int, void *), void *ctx)
{
	const char *p = q;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || strncmp(p, "\xE3\x80\x80", 3) == 0)
			p += *p == '\xE3' ? 3 : 1;
		const char *b = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' && strncmp(p, "\xE3\x80\x80", 3) != 0)
			p++;
		if (p > b)
			each(b, (int)(p - b), ctx);
	}
}

struct query_out {
	struct jsonw w;
	int n, fts5;
};

static void tsq_each(const char *term, int len, void *ctx)
{
	struct query_out *o = ctx;
	struct tsv t = { .pos = 0 };
	jw_init(&t.w, 256);
	bigram_tokens(term, (size_t)len, 1, tsq_term, &t);
	char *one = take(&t.w);
	if (!one)
		o->w.oom = 1;
	if (one && t.count > 0) {
		if (o->fts5) {
			put(&o->w, "%s\"", o->n++ ? " " : "");
			for (int i = 0; i < len; i++)
				jw_raw(&o->w, term[i] == '"' ? "\"\"" : term + i, term[i] == '"' ? 2 : 1);
			put(&o->w, "\"%s", t.count == 1 && t.first_cjk1 ? "*" : "");
		} else {
			put(&o->w, "%s%s", o->n ? " & " : "", t.count > 1 ? "(" : "");
			jw_raw(&o->w, one, strlen(one));
			put(&o->w, "%s%s", t.count == 1 && t.first_cjk1 ? ":*" : "", t.count > 1 ? ")" : "");
			o->n++;
		}
	}
	free(one);
}

static char *query_text(const char *q, int fts5)
{
	struct query_out o = { .fts5 = fts5 };
	jw_init(&o.w, strlen(q) * 8 + 16);
	terms(q, tsq_each, &o);
	return take(&o.w);
}

char *bigram_tsquery(const char *q) { return query_text(q, 0); }
char *bigram_fts5_query(const char *q) { return query_text(q, 1); }

/* ---- SQLite FTS5 tokenizer ---- */

struct fts_call {
	void *pctx;
	int (*token)(void *, int, const char *, int, int, int);
};

static int fts_emit(void *ctx, const char *tok, int len, int start, int end)
{
	struct fts_call *c = ctx;
	return c->token(c->pctx, 0, tok, len, start, end);
}

static int tk_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	static int one;
	*out = (Fts5Tokenizer *)&one; /* stateless */
	return SQLITE_OK;
}

static void tk_delete(Fts5Tokenizer *t) {}

static int tk_tokenize(Fts5Tokenizer *t, void *pctx, int flags, const char *text, int n,
		       int (*token)(void *, int, const char *, int, int, int))
{
	struct fts_call c = { pctx, token };
	return bigram_tokens(text, n > 0 ? (size_t)n : 0, (flags & FTS5_TOKENIZE_QUERY) != 0, fts_emit, &c);
}

int bigram_fts5_register(void *sqlite_handle)
{
	sqlite3 *h = sqlite_handle;
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	static fts5_tokenizer tk = { tk_create, tk_delete, tk_tokenize };
	if (sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (!api || api->iVersion < 2)
		return -1;
	return api->xCreateTokenizer(api, "fazhi_bigram", NULL, &tk, NULL) == SQLITE_OK ? 0 : -1;
}

/* ---- snippets ---- */

#define SNIPPET_TERMS 16

struct term_list {
	const char *t[SNIPPET_TERMS];
	int len[SNIPPET_TERMS];
	int n;
};

static void term_add(const char *term, int len, void *ctx)
{
	struct term_list *l = ctx;
	if (l->n < SNIPPET_TERMS)
		l->t[l->n] = term, l->len[l->n++] = len;
}

/* The length of the longest term at s, or 0. */
static int term_at(const struct term_list *l, const char *s)
{
	int best = 0;
	for (int i = 0; i < l->n; i++)
		if (l->len[i] > best && strncasecmp(s, l->t[i], (size_t)l->len[i]) == 0)
			best = l->len[i];
	return best;
}

/* Byte offset of the character count chars before (dir -1) or after (+1) at. */
static size_t chars_from(const char *s, size_t n, size_t at, int count, int dir)
{
	while (count-- > 0) {
		if (dir < 0 && at == 0)
			break;
		if (dir > 0 && at >= n)
			break;
		at = dir < 0 ? at - 1 : at + 1;
		while (at > 0 && at < n && ((unsigned char)s[at] & 0xC0) == 0x80)
			at = dir < 0 ? at - 1 : at + 1;
	}
	return at;
}

static void escaped(struct jsonw *w, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *e = s[i] == '<' ? "&lt;" : s[i] == '>' ? "&gt;" : s[i] == '&' ? "&amp;"
			      : s[i] == '"' ? "&quot;" : s[i] == '\'' ? "&#39;" : NULL;
		jw_raw(w, e ? e : s + i, e ? strlen(e) : 1);
	}
}

char *bigram_snippet(const char *text, const char *q, int width)
{
	struct term_list l = { .n = 0 };
	struct jsonw w;
	size_t n = strlen(text), first = n, i;
	terms(q ? q : "", term_add, &l);
	for (i = 0; i < n && first == n; i++)
		if (term_at(&l, text + i))
			first = i;
	if (first == n)
		first = 0;
	size_t from = chars_from(text, n, first, width / 3, -1), to = chars_from(text, n, from, width, 1);
	jw_init(&w, (to - from) * 2 + 64);
	if (from > 0)
		jw_raw(&w, "…", strlen("…"));
	for (i = from; i < to;) {
		int m = term_at(&l, text + i);
		if (m > 0 && i + (size_t)m <= n) {
			jw_raw(&w, "<mark>", 6);
			escaped(&w, text + i, (size_t)m);
			jw_raw(&w, "</mark>", 7);
			i += (size_t)m;
		} else {
			size_t next = chars_from(text, n, i, 1, 1);
			escaped(&w, text + i, next - i);
			i = next;
		}
	}
	if (to < n)
		jw_raw(&w, "…", strlen("…"));
	return take(&w);
}
