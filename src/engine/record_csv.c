/*
 * record_csv.c — CSV rows to record import objects (record_csv.h). libcsv
 * does the parsing; this file maps the header to the register's fields,
 * converts each cell to the JSON type its field takes, numbers rows as
 * Excel does and bounds every row.
 */
#include "record_csv.h"

#include <csv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

#define CSV_MAX_COLS 64
#define CSV_CHUNK 4096

enum { COL_NONE = -3, COL_START = -2, COL_BODY = -1 }; /* else a field index */

struct csv_state {
	const struct reg_def *r;
	record_row_fn row;
	void *arg;
	int col[CSV_MAX_COLS];
	int ncols;
	int header_done;
	int64_t line;       /* the row being read (the header is 1) */
	int cells;          /* cells of the row so far */
	int nonempty;       /* of them, not empty */
	size_t bytes;       /* the row's bytes so far */
	json_t *o, *data;   /* the row's import object */
	struct fz_err e;    /* the row's first error (e.code set) */
	int prev_end;       /* the last row's terminator, to see CRLF as one */
	int stop;
};

static const char BAD_ENCODING[] = "文件不是 UTF-8 编码：请在 Excel 中“另存为”并选择“CSV UTF-8（逗号分隔）(*.csv)”，"
				   "或用文本编辑器另存为 UTF-8 编码";

/* Hands a file-level fault to row() and stops. */
static void fatal(struct csv_state *st)
{
	if (!st->stop)
		st->row(st->arg, st->line, NULL, &st->e);
	st->stop = 1;
}

/* A row over the limit: libcsv cannot find where it ends, so reading stops. */
static void too_large(struct csv_state *st)
{
	fz_fail(&st->e, 413, "too_large", NULL, "行过长（上限 %d 字节），其后各行未检查", IMPORT_MAX_LINE);
	fatal(st);
}

/* Keeps a column name from the input as the error's field. */
static void name_field(struct fz_err *e, const char *name)
{
	snprintf(e->field_buf, sizeof e->field_buf, "%s", name);
	utf8_scrub(e->field_buf);
	e->field = e->field_buf;
}

/* The column a header cell names: body, start_date or a field, by name or label. */
static int column_of(const struct reg_def *r, const char *name)
{
	if (!*name)
		return COL_NONE;
	if (strcmp(name, "body") == 0 || strcmp(name, "责任单位") == 0)
		return COL_BODY;
	if (strcmp(name, "start_date") == 0 || strcmp(name, "起算日期") == 0)
		return COL_START;
	for (int i = 0; i < r->nfields; i++)
		if (strcmp(name, r->fields[i].name) == 0 || strcmp(name, r->fields[i].label) == 0)
			return i;
	return COL_NONE - 1; /* unknown */
}

static const char *column_name(const struct reg_def *r, int col)
{
	return col == COL_BODY ? "body" : col == COL_START ? "start_date" : r->fields[col].name;
}

static void header_cell(struct csv_state *st, const char *name)
{
	int c = column_of(st->r, name);
	if (st->ncols == CSV_MAX_COLS) {
		fz_fail(&st->e, 422, "bad_header", NULL, "表头列数过多（上限 %d 列）", CSV_MAX_COLS);
		return fatal(st);
	}
	if (c < COL_NONE) {
		fz_fail(&st->e, 422, "unknown_column", NULL,
			"未知的列“%s”：列名应为 body（责任单位）、start_date（起算日期）或%s的字段名、中文名", name,
			st->r->label);
		name_field(&st->e, name);
		return fatal(st);
	}
	for (int i = 0; c != COL_NONE && i < st->ncols; i++)
		if (st->col[i] == c) {
			fz_fail(&st->e, 422, "duplicate_column", NULL, "第 %d 列“%s”与第 %d 列重复（都是 %s）",
				st->ncols + 1, name, i + 1, column_name(st->r, c));
			name_field(&st->e, name);
			return fatal(st);
		}
	st->col[st->ncols++] = c;
}

static int has_column(const struct csv_state *st, int c)
{
	for (int i = 0; i < st->ncols; i++)
		if (st->col[i] == c)
			return 1;
	return 0;
}

/* After the header: a column for body, start_date and every required field. */
static void header_end(struct csv_state *st)
{
	const struct reg_def *r = st->r;
	if (!has_column(st, COL_BODY) || !has_column(st, COL_START)) {
		int body = !has_column(st, COL_BODY);
		fz_fail(&st->e, 422, "missing_column", body ? "body" : "start_date", "缺少必需的列 %s",
			body ? "body（责任单位）" : "start_date（起算日期）");
		return fatal(st);
	}
	for (int f = 0; f < r->nfields; f++)
		if (r->fields[f].required && !has_column(st, f)) {
			fz_fail(&st->e, 422, "missing_column", r->fields[f].name, "缺少必填字段的列 %s（%s）",
				r->fields[f].name, r->fields[f].label);
			return fatal(st);
		}
	st->header_done = 1;
}

/* YYYY-M-D or YYYY/M/D (as Excel shows dates) as YYYY-MM-DD; -1 when s is
 * not of that shape (then it goes on as it is, for validation to refuse). */
static int date_form(const char *s, char out[11])
{
	unsigned y = 0, m = 0, d = 0;
	int i = 0, k;
	for (k = 0; k < 4 && s[i] >= '0' && s[i] <= '9'; k++)
		y = y * 10 + (unsigned)(s[i++] - '0');
	char sep = s[i];
	if (k != 4 || (sep != '-' && sep != '/'))
		return -1;
	for (i++, k = 0; k < 2 && s[i] >= '0' && s[i] <= '9'; k++)
		m = m * 10 + (unsigned)(s[i++] - '0');
	if (k == 0 || s[i] != sep)
		return -1;
	for (i++, k = 0; k < 2 && s[i] >= '0' && s[i] <= '9'; k++)
		d = d * 10 + (unsigned)(s[i++] - '0');
	if (k == 0 || s[i])
		return -1;
	snprintf(out, 11, "%04u-%02u-%02u", y % 10000, m % 100, d % 100);
	return 0;
}

/* An integer cell: optional minus and 1 to 18 digits. */
static int int_form(const char *s, json_int_t *out)
{
	const char *p = s + (*s == '-');
	size_t n = strlen(p);
	if (n == 0 || n > 18 || strspn(p, "0123456789") != n)
		return -1;
	*out = strtoll(s, NULL, 10);
	return 0;
}

/* The JSON value of a non-empty cell for its column: what the JSON path
 * would carry (an integer for an int field, YYYY-MM-DD dates, else the
 * text). A cell not of its type stays text: validation names the rule. */
static json_t *cell_value(const struct reg_def *r, int col, const char *s)
{
	char date[11];
	json_int_t n;
	enum reg_field_type t = col >= 0 ? r->fields[col].type : col == COL_START ? RF_DATE : RF_STRING;
	if (t == RF_DATE && date_form(s, date) == 0)
		return json_string(date);
	if ((t == RF_INT || t == RF_REF) && int_form(s, &n) == 0)
		return json_integer(n);
	return json_string(s);
}

/* Copies a cell, line breaks as LF (Excel may write CRLF inside quotes). */
static char *cell_text(const char *s, size_t len)
{
	char *out = malloc(len + 1);
	size_t n = 0;
	for (size_t i = 0; out && i < len; i++)
		if (!(s[i] == '\r' && i + 1 < len && s[i + 1] == '\n'))
			out[n++] = s[i];
	if (out)
		out[n] = 0;
	return out;
}

static void data_cell(struct csv_state *st, const char *s)
{
	int i = st->cells;
	if (!*s || st->e.code)
		return;
	st->nonempty++;
	if (i >= st->ncols || st->col[i] == COL_NONE) {
		fz_fail(&st->e, 422, "invalid", NULL, "第 %d 列有内容但没有表头", i + 1);
		return;
	}
	json_t *v = cell_value(st->r, st->col[i], s);
	if (st->col[i] == COL_BODY)
		json_object_set_new(st->o, "body", v);
	else if (st->col[i] == COL_START)
		json_object_set_new(st->o, "start_date", v);
	else
		json_object_set_new(st->data, st->r->fields[st->col[i]].name, v);
}

static void on_cell(void *s, size_t len, void *arg)
{
	struct csv_state *st = arg;
	if (st->stop)
		return;
	st->bytes += len + 1;
	if (st->bytes > IMPORT_MAX_LINE)
		return too_large(st);
	if (!s || len == 0)
		s = "";
	if (validate_utf8(s, len) != 0) {
		fz_fail(&st->e, 400, "bad_utf8", NULL, "%s", BAD_ENCODING);
		return fatal(st);
	}
	char *text = cell_text(s, len);
	if (!text) {
		fz_fail(&st->e, 500, "internal", NULL, "内存不足");
		return fatal(st);
	}
	if (!st->header_done)
		header_cell(st, text);
	else
		data_cell(st, text);
	free(text);
	st->cells++;
}

/* Starts the next row's object. */
static void row_reset(struct csv_state *st)
{
	json_decref(st->o);
	st->o = json_object();
	st->data = json_object();
	json_object_set_new(st->o, "data", st->data);
	memset(&st->e, 0, sizeof st->e);
	st->cells = st->nonempty = 0;
	st->bytes = 0;
}

static void on_row_end(int c, void *arg)
{
	struct csv_state *st = arg;
	int crlf = c == '\n' && st->prev_end == '\r' && st->cells == 0;
	st->prev_end = c;
	if (st->stop || crlf)
		return;
	if (!st->header_done && st->cells > 0)
		header_end(st);
	else if (st->nonempty > 0 && st->row(st->arg, st->line, st->e.code ? NULL : st->o, st->e.code ? &st->e : NULL) != 0)
		st->stop = 1;
	row_reset(st);
	st->line++;
}

/* Feeds the parser one chunk; a row still open must stay in bounds. */
static void feed(struct csv_state *st, struct csv_parser *p, const char *buf, size_t n)
{
	if (csv_parse(p, buf, n, on_cell, on_row_end, st) != n && !st->stop) {
		fz_fail(&st->e, 422, "bad_csv", NULL, "CSV 格式错误：引号不配对（含逗号、引号或换行的内容应整体加英文双引号，"
			"其中的双引号写作两个）");
		return fatal(st);
	}
	if (!st->stop && st->bytes + p->entry_pos > IMPORT_MAX_LINE)
		too_large(st);
}

int record_csv_read(const struct reg_def *r, FILE *in, record_row_fn row, void *arg)
{
	struct csv_state st = { .r = r, .row = row, .arg = arg, .line = 1 };
	struct csv_parser p;
	char buf[CSV_CHUNK];
	size_t n, off;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL) != 0)
		return -1;
	row_reset(&st);
	for (int first = 1; !st.stop && (n = fread(buf, 1, sizeof buf, in)) > 0; first = 0) {
		off = first && n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0; /* the BOM */
		feed(&st, &p, buf + off, n - off);
	}
	if (!st.stop && ferror(in)) {
		fz_fail(&st.e, 500, "io_error", NULL, "读取文件失败");
		fatal(&st);
	}
	if (!st.stop && csv_fini(&p, on_cell, on_row_end, &st) != 0 && !st.stop) {
		fz_fail(&st.e, 422, "bad_csv", NULL, "CSV 格式错误：文件末尾的引号没有配对");
		fatal(&st);
	}
	if (!st.stop && !st.header_done) {
		fz_fail(&st.e, 422, "bad_header", NULL, "文件为空：第一行应为表头");
		fatal(&st);
	}
	csv_free(&p);
	json_decref(st.o);
	return st.stop ? -1 : 0;
}
