/*
 * record_table.c — a table's rows to record import objects (record_table.h):
 * the header mapped to the register's fields, each cell converted to the
 * JSON type its field takes, every row bounded.
 */
#include "record_table.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "validate.h"

enum { COL_NONE = -3, COL_START = -2, COL_BODY = -1 }; /* else a field index */
#define COL_UNKNOWN (COL_NONE - 1)

/* Hands the file's fault in t->e to the callback; reading stops. */
static void halt(struct record_table *t)
{
	if (!t->stop)
		t->row(t->arg, t->line, NULL, &t->e);
	t->stop = 1;
}

void record_table_fail(struct record_table *t, int status, const char *code, const char *fmt, ...)
{
	va_list ap;
	if (t->stop)
		return;
	t->e = (struct fz_err){ .status = status, .code = code };
	va_start(ap, fmt);
	vsnprintf(t->e.msg, sizeof t->e.msg, fmt, ap);
	va_end(ap);
	utf8_scrub(t->e.msg);
	halt(t);
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
	if (strcmp(name, "body") == 0 || strcmp(name, record_column_label(r, "body")) == 0)
		return COL_BODY;
	if (strcmp(name, "start_date") == 0 || strcmp(name, record_column_label(r, "start_date")) == 0)
		return COL_START;
	for (int i = 0; i < r->nfields; i++)
		if (strcmp(name, r->fields[i].name) == 0 || strcmp(name, r->fields[i].label) == 0)
			return i;
	return COL_UNKNOWN;
}

static const char *column_name(const struct reg_def *r, int col)
{
	return col == COL_BODY ? "body" : col == COL_START ? "start_date" : r->fields[col].name;
}

static void header_cell(struct record_table *t, int at, const char *name)
{
	int c = column_of(t->r, name);
	if (c == COL_NONE)
		return;
	if (at >= IMPORT_MAX_COLS)
		return record_table_fail(t, 422, "bad_header", "表头列数过多（上限 %d 列）", IMPORT_MAX_COLS);
	if (c == COL_UNKNOWN) {
		fz_fail(&t->e, 422, "unknown_column", NULL, "未知的列“%s”：列名应为责任单位、起算日期或%s的字段名称", name,
			t->r->label);
		name_field(&t->e, name);
		return halt(t);
	}
	for (int i = 0; i < t->ncols; i++)
		if (t->col[i] == c) {
			fz_fail(&t->e, 422, "duplicate_column", NULL, "第 %d 列“%s”与第 %d 列重复（都是“%s”）", at + 1, name,
				i + 1, record_column_label(t->r, column_name(t->r, c)));
			name_field(&t->e, name);
			return halt(t);
		}
	while (t->ncols < at)
		t->col[t->ncols++] = COL_NONE;
	t->col[t->ncols++] = c;
}

static int has_column(const struct record_table *t, int c)
{
	for (int i = 0; i < t->ncols; i++)
		if (t->col[i] == c)
			return 1;
	return 0;
}

/* After the header: a column for body, start_date and every required field. */
static void header_end(struct record_table *t)
{
	const struct reg_def *r = t->r;
	static const int needed[] = { COL_BODY, COL_START };
	for (size_t i = 0; i < sizeof needed / sizeof needed[0]; i++)
		if (!has_column(t, needed[i])) {
			const char *name = column_name(r, needed[i]);
			fz_fail(&t->e, 422, "missing_column", name, "缺少必需的列“%s”", record_column_label(r, name));
			return halt(t);
		}
	for (int f = 0; f < r->nfields; f++)
		if (r->fields[f].required && !has_column(t, f)) {
			fz_fail(&t->e, 422, "missing_column", r->fields[f].name, "缺少必填字段“%s”的列", r->fields[f].label);
			return halt(t);
		}
	t->header_done = 1;
}

/* YYYY-M-D or YYYY/M/D (as Excel shows dates) as YYYY-MM-DD; -1 when s is
 * not of that shape (then it goes on as it is, for validation to refuse). */
static int date_form(const char *s, char out[DATE_STR])
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
	snprintf(out, DATE_STR, "%04u-%02u-%02u", y % 10000, m % 100, d % 100);
	return 0;
}

/* An Excel serial day as YYYY-MM-DD; -1 when it is not one (then it goes
 * on as text, for validation to refuse). The 1900 system counts
 * 1900-01-01 as 1 and keeps Lotus 1-2-3's 1900-02-29 (serial 60, which
 * names no day); the 1904 system counts 1904-01-01 as 0. A time of day
 * (the fraction) is dropped. */
static int serial_date(const char *s, int date1904, char out[DATE_STR])
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || *end || !(v >= 1 && v < 2958466)) /* 9999-12-31 */
		return -1;
	int serial = (int)v;
	if (!date1904 && serial == 60)
		return -1;
	static const struct date y1904 = { 1904, 1, 1 }, y1899 = { 1899, 12, 31 };
	int days = date1904 ? date_to_days(y1904) + serial
			    : date_to_days(y1899) + serial - (serial > 60);
	struct date d = date_from_days(days);
	if (!date_valid(d))
		return -1;
	date_format(d, out);
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
static json_t *cell_value(const struct record_table *t, int col, const char *s, int number)
{
	char date[DATE_STR];
	json_int_t n;
	enum reg_field_type type = col >= 0 ? t->r->fields[col].type : col == COL_START ? RF_DATE : RF_STRING;
	if (type == RF_DATE && (number ? serial_date(s, t->date1904, date) : date_form(s, date)) == 0)
		return json_string(date);
	if ((type == RF_INT || type == RF_REF || type == RF_SUBJECT) && int_form(s, &n) == 0)
		return json_integer(n);
	return json_string(s);
}

static void data_cell(struct record_table *t, int at, const char *s, int number)
{
	if (!*s || t->e.code)
		return;
	t->nonempty++;
	if (at >= t->ncols || t->col[at] == COL_NONE) {
		fz_fail(&t->e, 422, "invalid", NULL, "第 %d 列有内容但没有表头", at + 1);
		return;
	}
	int c = t->col[at];
	json_t *v = cell_value(t, c, s, number);
	json_object_set_new(c >= 0 ? t->data : t->o, column_name(t->r, c), v);
}

void record_table_cell(struct record_table *t, int col, const char *text, size_t len, int number)
{
	if (t->stop)
		return;
	t->bytes += len + 1;
	if (t->bytes > IMPORT_MAX_LINE)
		return record_table_fail(t, 413, "too_large", "行过长（上限 %d 字节），其后各行未检查", IMPORT_MAX_LINE);
	char *s = strndup(text, len);
	if (!s)
		return record_table_fail(t, 500, "internal", "内存不足");
	if (*s)
		t->nonempty += !t->header_done;
	if (!t->header_done)
		header_cell(t, col, s);
	else
		data_cell(t, col, s, number);
	free(s);
}

void record_table_bad_cell(struct record_table *t, int col, const char *what)
{
	if (t->stop || !t->header_done) {
		record_table_fail(t, 422, "invalid", "表头第 %d 列是错误值 %.32s，应为列名", col + 1, what);
		return;
	}
	t->nonempty++;
	if (t->e.code)
		return;
	const char *name = col < t->ncols && t->col[col] != COL_NONE ? column_name(t->r, t->col[col]) : NULL;
	fz_fail(&t->e, 422, "invalid", name, "第 %d 列是错误值 %.32s（公式出错），应填写内容", col + 1, what);
}

/* Starts the next row's object; -1 without memory. */
static int row_reset(struct record_table *t)
{
	json_decref(t->o);
	t->o = json_object();
	json_t *data = json_object();
	t->data = json_object_set_new(t->o, "data", data) == 0 ? data : NULL; /* data released on failure */
	memset(&t->e, 0, sizeof t->e);
	t->nonempty = 0;
	t->bytes = 0;
	return t->data ? 0 : -1;
}

void record_table_row_end(struct record_table *t)
{
	if (t->stop)
		return;
	if (!t->header_done && t->nonempty > 0)
		header_end(t);
	else if (!t->header_done)
		t->ncols = 0; /* a row of empty cells before the header */
	else if (t->nonempty > 0 && t->row(t->arg, t->line, t->e.code ? NULL : t->o, t->e.code ? &t->e : NULL) != 0)
		t->stop = 1;
	if (row_reset(t) != 0)
		record_table_fail(t, 500, "internal", "内存不足");
}

void record_table_init(struct record_table *t, const struct reg_def *r, record_row_fn row, void *arg)
{
	memset(t, 0, sizeof *t);
	t->r = r;
	t->row = row;
	t->arg = arg;
	t->line = 1;
	if (row_reset(t) != 0)
		record_table_fail(t, 500, "internal", "内存不足");
}

void record_table_free(struct record_table *t)
{
	json_decref(t->o);
	t->o = t->data = NULL;
}

int record_table_end(struct record_table *t)
{
	if (!t->stop && !t->header_done)
		record_table_fail(t, 422, "bad_header", "没有表头：第一行应为列名（责任单位、起算日期及各字段名称）");
	return t->stop ? -1 : 0;
}
