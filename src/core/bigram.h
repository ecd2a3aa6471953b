/*
 * bigram.h — the law library's search tokens (docs/laws.md): overlapping
 * CJK bigrams, so that any Chinese term of two or more characters is found
 * as a phrase of its bigrams, and ASCII letters and digits as lower-case
 * words. The same tokens feed SQLite's FTS5 (the tokenizer "fazhi_bigram",
 * registered on every connection by db_sqlite.c) and PostgreSQL's tsvector
 * (built here as text), so both backends answer alike.
 */
#ifndef FAZHI_BIGRAM_H
#define FAZHI_BIGRAM_H

#include <stddef.h>

#define BIGRAM_MAX_WORD 64 /* longer ASCII words are cut */

/* One token: its text (not NUL-terminated) and where it lies in the input
 * (byte offsets [start, end)). Non-zero from emit stops the scan. */
typedef int (*bigram_emit)(void *ctx, const char *tok, int len, int start, int end);

/* Tokens of text[0..n). A document (query 0): each run of CJK characters
 * gives its overlapping bigrams and then its last character alone (so a
 * one-character prefix query finds a character ending a run). A query
 * (query 1): a one-character run gives that character (searched as a
 * prefix), a longer run only its bigrams. Invalid UTF-8 separates tokens.
 * Returns emit's first non-zero answer, or 0. */
int bigram_tokens(const char *text, size_t n, int query, bigram_emit emit, void *ctx);

/* Whether the code point is a CJK ideograph (the characters paired). */
int bigram_is_cjk(unsigned cp);

/* PostgreSQL: the document tokens of text as tsvector text
 * ("'行政':1 '政复':2 …", positions from 1, at most 16,383), malloc'd;
 * NULL when out of memory. */
char *bigram_tsvector(const char *text);

/* PostgreSQL: a tsquery for the user's words (blank-separated terms, all
 * required): each term the phrase of its query tokens ('a' <-> 'b'), a
 * single CJK character a prefix ('复':*). malloc'd; "" when q has no
 * token; NULL when out of memory. */
char *bigram_tsquery(const char *q);

/* SQLite FTS5: the MATCH expression for the same words (each term a quoted
 * phrase, a single CJK character "复"*). malloc'd; "" when none. */
char *bigram_fts5_query(const char *q);

/* Registers the FTS5 tokenizer "fazhi_bigram" on an SQLite connection
 * (a sqlite3 *): 0, or -1 when FTS5 is missing. */
int bigram_fts5_register(void *sqlite_handle);



/* A piece of text around the first place one of q's terms occurs (width
 * characters or so), HTML-escaped, every occurrence of a term in it then
 * wrapped in <mark>…</mark>, "…" where text was cut. ASCII compared without
 * case. malloc'd; NULL when out of memory. */
char *bigram_snippet(const char *text, const char *q, int width);

#endif
