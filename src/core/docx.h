/*
 * docx.h — a Word (.docx) document in the 党政机关公文 format of GB/T
 * 9704-2012: A4, 版心 156 mm × 225 mm (天头 37 mm, 订口 28 mm), 22 lines of
 * 28 characters, 正文 3号仿宋, 标题 2号小标宋, 一、 in 黑体 and （一） in
 * 楷体, page numbers "— 1 —" in 4号宋体 (odd pages right, even left). The
 * caller writes the parts in reading order — 版头, 标题, 主送机关, body,
 * tables, 落款, 版记 — and docx_finish packages WordprocessingML written
 * as escaped text into a ZIP made by libzip. It knows nothing of what the
 * document says.
 *
 * Errors are sticky (out of memory, past DOCX_MAX_BYTES or a table's
 * bounds): every call after one does nothing and docx_finish fails.
 */
#ifndef FAZHI_DOCX_H
#define FAZHI_DOCX_H

#include <stddef.h>
#include <stdint.h>

/* The largest document.xml written: past it the document fails. */
#define DOCX_MAX_BYTES (32u << 20)
#define DOCX_MAX_COLS 12
#define DOCX_MAX_ROWS 5000

struct docx;

struct docx_meta {
	const char *title;   /* docProps/core.xml dc:title */
	const char *creator; /* dc:creator */
	int64_t created;     /* Unix seconds (written as UTC) */
};

/* A table column: its header, its share of the 版心 width (any positive
 * numbers; they are scaled to 156 mm) and whether its cells are centred. */
struct docx_col {
	const char *title;
	int width;
	int center;
};

/* A new document, or NULL without memory. meta's strings are copied. */
struct docx *docx_new(const struct docx_meta *meta);
void docx_free(struct docx *d);

/* 版头: the 发文机关标志 (mark, e.g. "…办文件") in red 小标宋, 35 mm below
 * the top of the 版心; the 发文字号 (number, may be NULL) two lines below
 * it; then the red separator line across the 版心. */
void docx_masthead(struct docx *d, const char *mark, const char *number);
/* 标题: 2号小标宋, centred, two lines below the separator. */
void docx_title(struct docx *d, const char *title);
/* 主送机关: flush left one line below the title; "：" is added when the
 * text does not end with one. */
void docx_recipients(struct docx *d, const char *text);
/* 正文: one paragraph per line of text (empty lines skipped, leading
 * spaces dropped), indented two characters. */
void docx_text(struct docx *d, const char *text);
/* A heading at 公文 level 1 (一、 黑体), 2 (（一） 楷体) or 3 (1. 仿宋 bold)
 * as its own paragraph; with rest (not NULL), rest follows in the same
 * paragraph in the body face ("（一）压实责任。各单位要……"). */
void docx_heading(struct docx *d, int level, const char *head, const char *rest);

/* A table: columns (at most DOCX_MAX_COLS), a header row repeated on each
 * page, then rows of ncols cells (strings are copied). A NULL cell
 * continues the cell above it (vertical merge). Written at docx_table_end;
 * every table has its w:tblGrid. */
void docx_table_begin(struct docx *d, const struct docx_col *cols, int ncols);
void docx_table_row(struct docx *d, const char *const *cells);
void docx_table_end(struct docx *d);

/* 落款 without a seal: the issuing body one line below the body, two
 * characters from the right, the 成文日期 (date "YYYY-MM-DD") under it
 * starting two characters further right (GB/T 9704-2012 7.3.5.2). */
void docx_signature(struct docx *d, const char *issuer, const char *date);
/* 版记: 抄送机关 (cc, may be NULL) and 印发机关 with the 印发日期 (date
 * "YYYY-MM-DD") between a thick first and last line, thin between. */
void docx_record(struct docx *d, const char *cc, const char *printer, const char *date);

/* The package (.docx bytes, malloc'd, the caller frees *out): 0, or -1
 * when the document failed or packaging did. The document cannot be
 * written to afterwards; free it. */
int docx_finish(struct docx *d, char **out, size_t *len);

/* "2026-12-04" → "2026年12月4日" (GB/T 9704-2012 7.3.5.1: Arabic numerals,
 * no leading zeros); the input unchanged when it is not such a date. */
void docx_date_cn(const char *date, char *out, size_t n);

/* The package around a document body (document.xml's w:body content,
 * without w:sectPr): the parts a reader needs (content types, relations,
 * styles, settings, fonts, footers, core and app properties), zipped by
 * libzip. 0, or -1 (out of memory, libzip failed). docx_finish calls it. */
int docx_package(const char *body, size_t len, const struct docx_meta *meta, char **out, size_t *outlen);

#endif
