/*
 * export_xlsx.c — lists as .xlsx answers: the workbook is written by
 * libxlsxwriter in constant-memory mode (each row goes to disk as it is
 * written) to an unlinked temporary file that the server streams; and the
 * export slots — one export per user at a time, a bound server-wide — so
 * exports cannot take the server's memory or disk together.
 */
#include "api.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define EXPORT_SLOTS_MAX 64 /* upper bound of app->max_exports */

static pthread_mutex_t slots_mu = PTHREAD_MUTEX_INITIALIZER;
static int64_t slots[EXPORT_SLOTS_MAX]; /* user ids; 0 = free */

int api_export_begin(struct api *a)
{
	if (a->exporting)
		return 0;
	int n = a->app->max_exports > 0 && a->app->max_exports < EXPORT_SLOTS_MAX ? a->app->max_exports : EXPORT_SLOTS_MAX;
	int own = 0, free_at = -1;
	pthread_mutex_lock(&slots_mu);
	for (int i = 0; i < n; i++) {
		if (slots[i] == a->user.id)
			own = 1;
		else if (!slots[i] && free_at < 0)
			free_at = i;
	}
	if (!own && free_at >= 0) {
		slots[free_at] = a->user.id;
		a->exporting = 1;
	}
	pthread_mutex_unlock(&slots_mu);
	if (a->exporting)
		return 0;
	http_add_header(a->w, "Retry-After", "10");
	if (own)
		api_error(a, 429, "export_busy", NULL, "您已有一个导出正在进行，请待其完成后再试");
	else
		api_error(a, 429, "export_busy", NULL, "服务器同时进行的导出已达上限（%d 个），请稍后再试", n);
	return -1;
}

void api_export_end(struct api *a)
{
	if (!a->exporting)
		return;
	pthread_mutex_lock(&slots_mu);
	for (int i = 0; i < EXPORT_SLOTS_MAX; i++)
		if (slots[i] == a->user.id) {
			slots[i] = 0;
			break;
		}
	pthread_mutex_unlock(&slots_mu);
	a->exporting = 0;
}

static void cell(lxw_worksheet *ws, int64_t row, int col, json_t *v)
{
	if (json_is_integer(v))
		worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, (double)json_integer_value(v), NULL);
	else if (json_is_string(v))
		worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, json_string_value(v), NULL);
	else if (json_is_boolean(v))
		worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, json_is_true(v) ? "是" : "否", NULL);
}

struct xlsx_export {
	char path[API_TMP_PATH];     /* the temporary file, unlinked when sent */
	lxw_workbook *wb;
	lxw_worksheet *ws;
	const struct list_col *cols;
	const char *sheet;
	int64_t rows;
};

static void export_free(struct xlsx_export *x)
{
	if (x->wb)
		workbook_close(x->wb);
	unlink(x->path);
	free(x);
}

int api_xlsx_tmp(char path[API_TMP_PATH])
{
	const char *dir = getenv("TMPDIR");
	snprintf(path, API_TMP_PATH, "%s/fazhi-export-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/* The workbook and its header row, in constant-memory mode; NULL on failure. */
static struct xlsx_export *export_new(const struct list_col *cols, const char *sheet)
{
	struct xlsx_export *x = calloc(1, sizeof *x);
	if (!x)
		return NULL;
	if (api_xlsx_tmp(x->path) != 0) {
		free(x);
		return NULL;
	}
	x->cols = cols;
	x->sheet = sheet;
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE };
	x->wb = workbook_new_opt(x->path, &opt);
	x->ws = x->wb ? workbook_add_worksheet(x->wb, sheet) : NULL;
	lxw_format *bold = x->ws ? workbook_add_format(x->wb) : NULL;
	if (!bold) {
		export_free(x);
		return NULL;
	}
	format_set_bold(bold);
	for (int c = 0; cols[c].key; c++) /* column widths before any row (constant memory) */
		worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c, 18, NULL);
	for (int c = 0; cols[c].key; c++)
		worksheet_write_string(x->ws, 0, (lxw_col_t)c, cols[c].label, bold);
	return x;
}

struct xlsx_export *api_xlsx_open(struct api *a, const struct list_col *cols, const char *sheet)
{
	if (api_export_begin(a) != 0)
		return NULL;
	struct xlsx_export *x = export_new(cols, sheet);
	if (!x)
		api_error(a, 500, "internal", NULL, "导出失败：无法创建导出文件");
	return x;
}

void api_xlsx_row(struct xlsx_export *x, json_t *row)
{
	x->rows++;
	for (int c = 0; x->cols[c].key; c++)
		cell(x->ws, x->rows, c, json_object_get(row, x->cols[c].key));
}

void api_xlsx_send_file(struct api *a, const char *path, const char *entity, json_t *detail, const char *filename)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	unlink(path);
	if (fd >= 0 && fstat(fd, &sb) != 0) {
		close(fd);
		fd = -1;
	}
	if (fd < 0) {
		json_decref(detail);
		api_error(a, 500, "internal", NULL, "导出失败");
		return;
	}
	/* No export leaves without its audit entry. */
	if (api_audit(a, "export", entity, 0, "ok", detail) != 0) {
		close(fd);
		api_error(a, 500, "audit_failed", NULL, "导出失败：无法写入审计日志");
		return;
	}
	char disposition[160];
	snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"", filename);
	free(a->w->body);
	a->w->body = NULL;
	a->w->fd = fd; /* MHD streams it and closes it */
	a->w->len = (size_t)sb.st_size;
	a->w->status = 200;
	a->w->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	http_add_header(a->w, "Content-Disposition", disposition);
}

void api_xlsx_send(struct api *a, struct xlsx_export *x)
{
	if (db_failures(a->db)) { /* the rows may be partial: no workbook */
		export_free(x);
		api_error(a, 500, "store_error", NULL, "导出查询失败: %s", db_errmsg(a->db));
		return;
	}
	int closed = workbook_close(x->wb) == LXW_NO_ERROR;
	x->wb = NULL;
	if (!closed) {
		export_free(x);
		api_error(a, 500, "internal", NULL, "导出失败");
		return;
	}
	api_xlsx_send_file(a, x->path, x->sheet, json_pack("{s:I}", "rows", (json_int_t)x->rows), "export.xlsx");
	export_free(x);
}

void api_xlsx_abort(struct xlsx_export *x)
{
	if (x)
		export_free(x);
}

void api_send_xlsx(struct api *a, const struct list_col *cols, json_t *rows, const char *sheet)
{
	struct xlsx_export *x = api_xlsx_open(a, cols, sheet);
	size_t i;
	json_t *o;
	if (!x)
		return;
	json_array_foreach(rows, i, o)
		api_xlsx_row(x, o);
	api_xlsx_send(a, x);
}
