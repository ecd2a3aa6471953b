/*
 * jsonw.h — a JSON text written straight into one growing buffer, for
 * answers of many rows (lists): no tree of jansson values to build and
 * free per row. Strings are escaped as jansson's json_dumps escapes them
 * (", \, control characters; UTF-8 passes through), so a document made
 * here reads the same as one jansson made. Documents with structure come
 * from jansson; jw_json() embeds one.
 */
#ifndef FAZHI_JSONW_H
#define FAZHI_JSONW_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct jsonw {
	char *buf; /* malloc'd, NUL-terminated; the caller takes it */
	size_t len, cap;
	int oom;   /* an allocation failed: the text is incomplete */
};

void jw_init(struct jsonw *w, size_t cap);
void jw_free(struct jsonw *w);
/* Appends n bytes as they are (punctuation, keys known to need no escape). */
void jw_raw(struct jsonw *w, const char *s, size_t n);
#define jw_lit(w, s) jw_raw((w), (s), sizeof(s) - 1)
/* A string value; NULL or invalid UTF-8 is written as null. */
void jw_str(struct jsonw *w, const char *s);
void jw_int(struct jsonw *w, int64_t v);
/* A jansson value, compact, as api_json writes it. */
void jw_json(struct jsonw *w, const json_t *v);

#endif
