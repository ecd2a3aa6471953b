/*
 * docx.c — the body of a 公文 as WordprocessingML (docx.h): 版头, 标题,
 * 主送机关, paragraphs and headings, tables, 落款 and 版记, each a
 * paragraph style of styles.xml (docx_package.c) so the markup stays
 * short. Tables are kept until docx_table_end, which knows where a
 * vertical merge starts and ends.
 */
#include "docx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docx_int.h"

struct table {
	int ncols, nrows, cap;
	struct docx_col cols[DOCX_MAX_COLS]; /* titles point into titles */
	char *titles[DOCX_MAX_COLS];
	char **cells;                        /* nrows × ncols; NULL: merged with the cell above */
};

struct docx {
	struct dbuf body;
	struct docx_meta meta; /* its strings are title and creator */
	char *title, *creator;
	struct table *tbl;
	int ends_with_table;
};

struct docx *docx_new(const struct docx_meta *meta)
{
	struct docx *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->meta.title = d->title = strdup(meta->title ? meta->title : "");
	d->meta.creator = d->creator = strdup(meta->creator ? meta->creator : "");
	d->meta.created = meta->created;
	if (!d->title || !d->creator) {
		docx_free(d);
		return NULL;
	}
	return d;
}

static void table_free(struct table *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	for (int c = 0; c < t->ncols; c++)
		free(t->titles[c]);
	free(t->cells);
	free(t);
}

void docx_free(struct docx *d)
{
	if (!d)
		return;
	dbuf_free(&d->body);
	table_free(d->tbl);
	free(d->title);
	free(d->creator);
	free(d);
}

/* ---- paragraphs and runs ------------------------------------------------ */

/* Width of s in half characters: ASCII takes one, anything else two. */
static int half_width(const char *s)
{
	int n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			n += *p < 0x80 ? 1 : 2;
	return n;
}

static void para_open(struct docx *d, const char *style, const char *ppr)
{
	d->ends_with_table = 0;
	dbuf_printf(&d->body, "<w:p><w:pPr><w:pStyle w:val=\"%s\"/>", style);
	if (ppr)
		dbuf_str(&d->body, ppr);
	dbuf_lit(&d->body, "</w:pPr>");
}

/* A run of text; line breaks in text become w:br. rpr: run properties
 * markup, or NULL. */
static void run(struct docx *d, const char *rpr, const char *text)
{
	dbuf_lit(&d->body, "<w:r>");
	if (rpr)
		dbuf_printf(&d->body, "<w:rPr>%s</w:rPr>", rpr);
	for (const char *line = text;; ) {
		const char *nl = strchr(line, '\n');
		char *part = strndup(line, nl ? (size_t)(nl - line) : strlen(line));
		if (!part) {
			d->body.failed = 1;
			return;
		}
		dbuf_lit(&d->body, "<w:t xml:space=\"preserve\">");
		dbuf_esc(&d->body, part);
		dbuf_lit(&d->body, "</w:t>");
		free(part);
		if (!nl)
			break;
		dbuf_lit(&d->body, "<w:br/>");
		line = nl + 1;
	}
	dbuf_lit(&d->body, "</w:r>");
}

static void para(struct docx *d, const char *style, const char *ppr, const char *rpr, const char *text)
{
	para_open(d, style, ppr);
	if (text && *text)
		run(d, rpr, text);
	dbuf_lit(&d->body, "</w:p>");
}

/* Run properties that set a face (over the paragraph style's). */
static void face_rpr(enum docx_face f, char *out, size_t n)
{
	snprintf(out, n, "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"%s\""
			 " w:hint=\"eastAsia\"/><w:b w:val=\"0\"/>", docx_fonts[f].name);
}

/* ---- the parts of a 公文 ------------------------------------------------- */

void docx_masthead(struct docx *d, const char *mark, const char *number)
{
	/* As large as 小初 (36 pt), smaller when the mark would not fit the
	 * 版心's 156 mm (442 pt). */
	int chars = (half_width(mark) + 1) / 2, pt = 36;
	if (chars > 0 && 442 / chars < pt)
		pt = 442 / chars;
	char rpr[96];
	snprintf(rpr, sizeof rpr, "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>", pt * 2, pt * 2);
	para(d, "Masthead", NULL, rpr, mark);
	para(d, "DocNumber", NULL, NULL, number); /* carries the red line, number or not */
}

void docx_title(struct docx *d, const char *title)
{
	para(d, "Title", NULL, NULL, title);
}

void docx_recipients(struct docx *d, const char *text)
{
	size_t n = strlen(text);
	int colon = (n >= 3 && strcmp(text + n - 3, "：") == 0) || (n && text[n - 1] == ':');
	char *line = NULL;
	if (asprintf(&line, "%s%s", text, colon ? "" : "：") < 0) {
		d->body.failed = 1;
		return;
	}
	para(d, "Recipients", NULL, NULL, line);
	free(line);
}

/* Past leading ASCII and ideographic (U+3000) spaces. */
static const char *skip_spaces(const char *s, const char *end)
{
	for (;;) {
		if (s < end && *s == ' ')
			s++;
		else if (end - s >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0)
			s += 3;
		else
			return s;
	}
}

void docx_text(struct docx *d, const char *text)
{
	for (const char *line = text; line && *line; ) {
		const char *nl = strchr(line, '\n'), *end = nl ? nl : line + strlen(line);
		const char *s = skip_spaces(line, end);
		if (s < end) {
			char *p = strndup(s, (size_t)(end - s));
			if (!p) {
				d->body.failed = 1;
				return;
			}
			para(d, "Body", NULL, NULL, p);
			free(p);
		}
		line = nl ? nl + 1 : NULL;
	}
}

void docx_heading(struct docx *d, int level, const char *head, const char *rest)
{
	static const char *const styles[] = { "Heading1", "Heading2", "Heading3" };
	char rpr[256];
	para_open(d, styles[level >= 1 && level <= 3 ? level - 1 : 0], NULL);
	run(d, NULL, head);
	if (rest && *rest) {
		face_rpr(FACE_FANGSONG, rpr, sizeof rpr);
		run(d, rpr, rest);
	}
	dbuf_lit(&d->body, "</w:p>");
}

/* ---- tables -------------------------------------------------------------- */

void docx_table_begin(struct docx *d, const struct docx_col *cols, int ncols)
{
	if (d->body.failed)
		return;
	table_free(d->tbl);
	d->tbl = calloc(1, sizeof *d->tbl);
	if (!d->tbl || ncols < 1 || ncols > DOCX_MAX_COLS) {
		d->body.failed = 1;
		return;
	}
	d->tbl->ncols = ncols;
	for (int c = 0; c < ncols; c++) {
		d->tbl->cols[c] = cols[c];
		d->tbl->cols[c].title = d->tbl->titles[c] = strdup(cols[c].title ? cols[c].title : "");
		if (!d->tbl->titles[c] || cols[c].width <= 0)
			d->body.failed = 1;
	}
}

void docx_table_row(struct docx *d, const char *const *cells)
{
	struct table *t = d->tbl;
	if (d->body.failed || !t)
		return;
	if (t->nrows == DOCX_MAX_ROWS) {
		d->body.failed = 1;
		return;
	}
	if (t->nrows == t->cap) {
		int cap = t->cap ? t->cap * 2 : 16;
		char **p = realloc(t->cells, (size_t)cap * (size_t)t->ncols * sizeof *p);
		if (!p) {
			d->body.failed = 1;
			return;
		}
		t->cells = p;
		t->cap = cap;
	}
	char **row = t->cells + (size_t)t->nrows * (size_t)t->ncols;
	t->nrows++;
	for (int c = 0; c < t->ncols; c++) {
		/* nothing above the first row: an empty cell, not a merge */
		const char *v = cells[c] ? cells[c] : t->nrows == 1 ? "" : NULL;
		row[c] = v ? strdup(v) : NULL;
		if (v && !row[c])
			d->body.failed = 1;
	}
}

/* One cell: width, where a vertical merge starts (1) or continues (2). */
static void cell(struct docx *d, int width, int merge, int center, const char *rpr, const char *text)
{
	dbuf_printf(&d->body, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>%s<w:vAlign w:val=\"center\"/></w:tcPr>",
		    width, merge == 1 ? "<w:vMerge w:val=\"restart\"/>" : merge == 2 ? "<w:vMerge/>" : "");
	para(d, "TableText", center ? "<w:jc w:val=\"center\"/>" : NULL, rpr, merge == 2 ? NULL : text);
	dbuf_lit(&d->body, "</w:tc>");
}

void docx_table_end(struct docx *d)
{
	struct table *t = d->tbl;
	int w[DOCX_MAX_COLS], sum = 0;
	d->tbl = NULL;
	if (d->body.failed || !t) {
		table_free(t);
		return;
	}
	for (int c = 0; c < t->ncols; c++)
		sum += t->cols[c].width;
	dbuf_printf(&d->body, "<w:tbl><w:tblPr><w:tblStyle w:val=\"Grid\"/><w:tblW w:w=\"%d\" w:type=\"dxa\"/>"
			      "<w:jc w:val=\"center\"/><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>", DOCX_TEXT_WIDTH);
	for (int c = 0, left = DOCX_TEXT_WIDTH; c < t->ncols; c++) {
		w[c] = c == t->ncols - 1 ? left : (int)((long)DOCX_TEXT_WIDTH * t->cols[c].width / sum);
		left -= w[c];
		dbuf_printf(&d->body, "<w:gridCol w:w=\"%d\"/>", w[c]);
	}
	dbuf_lit(&d->body, "</w:tblGrid><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
	for (int c = 0; c < t->ncols; c++)
		cell(d, w[c], 0, 1, "<w:b/>", t->cols[c].title);
	dbuf_lit(&d->body, "</w:tr>");
	for (int r = 0; r < t->nrows; r++) {
		char **row = t->cells + (size_t)r * (size_t)t->ncols, **next = r + 1 < t->nrows ? row + t->ncols : NULL;
		dbuf_lit(&d->body, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
		for (int c = 0; c < t->ncols; c++)
			cell(d, w[c], !row[c] ? 2 : next && !next[c] ? 1 : 0, t->cols[c].center, NULL, row[c]);
		dbuf_lit(&d->body, "</w:tr>");
	}
	dbuf_lit(&d->body, "</w:tbl>");
	d->ends_with_table = 1;
	table_free(t);
}

/* ---- 落款 and 版记 -------------------------------------------------------- */

void docx_date_cn(const char *date, char *out, size_t n)
{
	int y, m, dd;
	char tail;
	if (date && strlen(date) == 10 && sscanf(date, "%4d-%2d-%2d%c", &y, &m, &dd, &tail) == 3)
		snprintf(out, n, "%d年%d月%d日", y, m, dd);
	else
		snprintf(out, n, "%s", date ? date : "");
}

void docx_signature(struct docx *d, const char *issuer, const char *date)
{
	char cn[64], ppr[96];
	docx_date_cn(date, cn, sizeof cn);
	/* In half characters: the issuer two characters from the right, the
	 * date's first character two to the right of the issuer's; a date
	 * longer than that keeps two from the right and moves the issuer. */
	int s = half_width(issuer), dl = half_width(cn);
	int sig = s >= dl + 4 ? 4 : 8 + dl - s, dat = s >= dl + 4 ? s - dl : 4;
	snprintf(ppr, sizeof ppr, "<w:ind w:right=\"%d\"/>", sig * DOCX_CHAR / 2);
	para(d, "Signature", ppr, NULL, issuer);
	snprintf(ppr, sizeof ppr, "<w:ind w:right=\"%d\"/>", dat * DOCX_CHAR / 2);
	para(d, "SignatureDate", ppr, NULL, cn);
}

/* A 版记 row: one cell across both columns, or a cell each side. */
static void record_cell(struct docx *d, int width, const char *span, const char *jc, const char *text)
{
	dbuf_printf(&d->body, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>%s</w:tcPr>", width, span);
	para(d, "Record", jc, NULL, text);
	dbuf_lit(&d->body, "</w:tc>");
}

void docx_record(struct docx *d, const char *cc, const char *printer, const char *date)
{
	char cn[64], text[4096];
	int half = DOCX_TEXT_WIDTH / 2;
	docx_date_cn(date, cn, sizeof cn);
	para(d, "Body", NULL, NULL, NULL); /* a line between the body and the 版记 */
	dbuf_printf(&d->body, "<w:tbl><w:tblPr><w:tblW w:w=\"%d\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>"
			      "<w:tblBorders><w:top w:val=\"single\" w:sz=\"8\" w:space=\"0\" w:color=\"000000\"/>"
			      "<w:bottom w:val=\"single\" w:sz=\"8\" w:space=\"0\" w:color=\"000000\"/>"
			      "<w:insideH w:val=\"single\" w:sz=\"6\" w:space=\"0\" w:color=\"000000\"/></w:tblBorders>"
			      "<w:tblLayout w:type=\"fixed\"/></w:tblPr>", DOCX_TEXT_WIDTH);
	dbuf_printf(&d->body, "<w:tblGrid><w:gridCol w:w=\"%d\"/><w:gridCol w:w=\"%d\"/></w:tblGrid>", half,
		    DOCX_TEXT_WIDTH - half);
	if (cc && *cc) {
		size_t n = strlen(cc);
		int stop = n >= 3 && strcmp(cc + n - 3, "。") == 0;
		snprintf(text, sizeof text, "抄送：%s%s", cc, stop ? "" : "。");
		dbuf_lit(&d->body, "<w:tr>");
		record_cell(d, DOCX_TEXT_WIDTH, "<w:gridSpan w:val=\"2\"/>", NULL, text);
		dbuf_lit(&d->body, "</w:tr>");
	}
	snprintf(text, sizeof text, "%s印发", cn);
	dbuf_lit(&d->body, "<w:tr>");
	record_cell(d, half, "", NULL, printer);
	record_cell(d, DOCX_TEXT_WIDTH - half, "", "<w:jc w:val=\"right\"/>", text);
	dbuf_lit(&d->body, "</w:tr></w:tbl>");
	d->ends_with_table = 1;
}

int docx_finish(struct docx *d, char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	if (d->tbl)
		docx_table_end(d);
	if (d->ends_with_table) /* a body ends with a paragraph: the smallest one */
		dbuf_lit(&d->body, "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"20\" w:lineRule=\"exact\"/></w:pPr></w:p>");
	if (d->body.failed)
		return -1;
	int rc = docx_package(d->body.p ? d->body.p : "", d->body.len, &d->meta, out, len);
	d->body.failed = 1; /* finished: nothing more is written */
	return rc;
}
