/*
 * record_csv.c — CSV rows to record import objects (record_csv.h). libcsv
 * does the parsing; this file checks the encoding, numbers rows as Excel
 * does and bounds a row libcsv has not ended yet; record_table.c maps the
 * cells to the register's fields.
 */
#include "record_csv.h"
#include "record_table.h"

#include <csv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

#define CSV_CHUNK 4096

struct csv_state {
	struct record_table t;
	int cells;          /* cells of the row so far */
	int prev_end;       /* the last row's terminator, to see CRLF as one */
};

static const char BAD_ENCODING[] = "文件不是 UTF-8 编码：请在 Excel 中“另存为”并选择“CSV UTF-8（逗号分隔）(*.csv)”，"
				   "或用文本编辑器另存为 UTF-8 编码";

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

static void on_cell(void *s, size_t len, void *arg)
{
	struct csv_state *st = arg;
	if (st->t.stop)
		return;
	if (!s || len == 0)
		s = "";
	if (validate_utf8(s, len) != 0)
		return record_table_fail(&st->t, 400, "bad_utf8", "%s", BAD_ENCODING);
	char *text = cell_text(s, len);
	if (!text)
		return record_table_fail(&st->t, 500, "internal", "内存不足");
	record_table_cell(&st->t, st->cells++, text, strlen(text), 0);
	free(text);
}

static void on_row_end(int c, void *arg)
{
	struct csv_state *st = arg;
	int crlf = c == '\n' && st->prev_end == '\r' && st->cells == 0;
	st->prev_end = c;
	if (st->t.stop || crlf)
		return;
	record_table_row_end(&st->t);
	st->cells = 0;
	st->t.line++;
}

/* A row over the limit: libcsv cannot find where it ends, so reading stops. */
static void too_large(struct csv_state *st)
{
	record_table_fail(&st->t, 413, "too_large", "行过长（上限 %d 字节），其后各行未检查", IMPORT_MAX_LINE);
}

/* Feeds the parser one chunk; a row still open must stay in bounds. */
static void feed(struct csv_state *st, struct csv_parser *p, const char *buf, size_t n)
{
	if (csv_parse(p, buf, n, on_cell, on_row_end, st) != n && !st->t.stop)
		return record_table_fail(&st->t, 422, "bad_csv", "CSV 格式错误：引号不配对（含逗号、引号或换行的内容应整体加英文双引号，"
					 "其中的双引号写作两个）");
	if (!st->t.stop && st->t.bytes + p->entry_pos > IMPORT_MAX_LINE)
		too_large(st);
}

int record_csv_read(const struct reg_def *r, FILE *in, record_row_fn row, void *arg)
{
	struct csv_state st = { 0 };
	struct csv_parser p;
	char buf[CSV_CHUNK];
	size_t n, off;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL) != 0)
		return -1;
	record_table_init(&st.t, r, row, arg);
	for (int first = 1; !st.t.stop && (n = fread(buf, 1, sizeof buf, in)) > 0; first = 0) {
		off = first && n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0; /* the BOM */
		feed(&st, &p, buf + off, n - off);
	}
	if (!st.t.stop && ferror(in))
		record_table_fail(&st.t, 500, "io_error", "读取文件失败");
	if (!st.t.stop && csv_fini(&p, on_cell, on_row_end, &st) != 0)
		record_table_fail(&st.t, 422, "bad_csv", "CSV 格式错误：文件末尾的引号没有配对");
	csv_free(&p);
	int rc = record_table_end(&st.t);
	record_table_free(&st.t);
	return rc;
}
