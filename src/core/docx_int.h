/*
 * docx_int.h — what docx.c and docx_package.c share: a bounded text buffer
 * with a sticky failure (DOCX_MAX_BYTES) and XML escaping. Not for
 * callers of docx.h.
 */
#ifndef FAZHI_DOCX_INT_H
#define FAZHI_DOCX_INT_H

#include <stddef.h>

struct dbuf {
	char *p;     /* malloc'd, NUL-terminated */
	size_t len, cap;
	int failed;  /* out of memory or past DOCX_MAX_BYTES: nothing more is written */
};

void dbuf_put(struct dbuf *b, const char *s, size_t n);
#define dbuf_lit(b, s) dbuf_put((b), (s), sizeof(s) - 1)
void dbuf_str(struct dbuf *b, const char *s);
void dbuf_printf(struct dbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s as XML character data or attribute value: & < > " ' escaped; bytes
 * XML 1.0 does not allow (controls other than tab) and invalid UTF-8
 * dropped. */
void dbuf_esc(struct dbuf *b, const char *s);
void dbuf_free(struct dbuf *b);

/* Page geometry in twips (1/1440 inch; 1 mm = 56.69 twips), GB/T 9704-2012 5.2. */
#define DOCX_TEXT_WIDTH 8844 /* 版心 width, 156 mm */
#define DOCX_LINE 579        /* one line of the 22-line grid: 225 mm / 22 */
#define DOCX_CHAR 320        /* one character of 3号 (16 pt) */

/* The faces a 公文 uses, as Word names them, with the name a reader
 * without them may know them by (fontTable.xml altName). */
enum docx_face { FACE_FANGSONG, FACE_HEI, FACE_KAI, FACE_XBS, FACE_SONG, FACE_COUNT };
struct docx_font {
	const char *name;
	const char *alt;
};
extern const struct docx_font docx_fonts[FACE_COUNT];

#endif

