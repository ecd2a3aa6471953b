/*
 * list.c — the generic list answer: one page of rows plus the total, or
 * the whole filtered list as an .xlsx workbook (libxlsxwriter), columns
 * titled in Chinese. A store error answers 500: never a partial page, a
 * total of 0, a 404 for a row that could not be read, nor an export whose
 * rows or audit entry are missing.
 */
#include "api.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "jsonw.h"


json_t *api_row(db_stmt *st, const struct list_col *cols)
{
	json_t *o = json_object();
	for (int i = 0; cols[i].key; i++) {
		json_t *v;
		if (db_col_isnull(st, i))
			v = json_null();
		else if (cols[i].is_int)
			v = json_integer(db_col_int(st, i));
		else
			v = json_string(db_col_text(st, i));
		json_object_set_new(o, cols[i].key, v ? v : json_null());
	}
	return o;
}

/* One row of st as an object, written as api_row's object would dump. */
static void write_row(struct jsonw *w, db_stmt *st, const struct list_col *cols)
{
	jw_lit(w, "{");
	for (int i = 0; cols[i].key; i++) {
		jw_raw(w, i ? ",\"" : "\"", i ? 2 : 1);
		jw_raw(w, cols[i].key, strlen(cols[i].key)); /* keys are identifiers */
		jw_lit(w, "\":");
		if (db_col_isnull(st, i))
			jw_lit(w, "null");
		else if (cols[i].is_int)
			jw_int(w, db_col_int(st, i));
		else
			jw_str(w, db_col_text(st, i));
	}
	jw_lit(w, "}");
}

/* A last row saying the export was cut at limit (its first column). */
static void truncated_row(struct api *a, struct xlsx_export *x, const struct list_col *cols, int64_t limit)
{
	char msg[256];
	snprintf(msg, sizeof msg, "已截断：只导出了前 %" PRId64 " 行（设置 export_max_rows），请缩小筛选范围后分批导出", limit);
	json_t *o = json_pack("{s:s}", cols[0].key, msg);
	if (o)
		api_xlsx_row(x, o);
	json_decref(o);
	http_add_header(a->w, "X-Truncated", "true");
}

/* Every row of st (up to the export_max_rows setting, then a 已截断 row)
 * as an .xlsx answer, each row written as it is read; a store error or no
 * memory part way answers 500, never a partial workbook. */
static void send_xlsx(struct api *a, db_stmt *st, const struct list_col *cols, const char *sheet,
		      json_t *(*fix)(struct api *, json_t *))
{
	struct xlsx_export *x = api_xlsx_open(a, cols, sheet);
	int64_t n = 0, limit = a->app->cfg.export_max_rows;
	int rc = x ? DB_ROW : DB_ERR;
	while (x && n < limit && (rc = db_step(st)) == DB_ROW) {
		json_t *o = api_row(st, cols);
		if (o && fix)
			o = fix(a, o);
		if (!o) {
			rc = DB_ERR;
			break;
		}
		api_xlsx_row(x, o);
		json_decref(o);
		n++;
	}
	if (x && n == limit && rc == DB_ROW && (rc = db_step(st)) == DB_ROW) /* more than the limit */
		truncated_row(a, x, cols, limit);
	db_done(st);
	if (!x)
		return; /* answered */
	if (rc < 0 && !db_failures(a->db)) { /* no memory for a row */
		api_xlsx_abort(x);
		api_error(a, 500, "internal", NULL, "导出失败：内存不足");
		return;
	}
	api_xlsx_send(a, x);
}

void api_list(struct api *a, struct query *sel, struct query *count, const char *order,
	      const struct list_col *cols, const char *sheet, json_t *(*fix)(struct api *, json_t *))
{
	struct fz_err e;
	struct page p;
	const char *format = http_query(a->r, "format");
	int xlsx = format && strcmp(format, "xlsx") == 0;
	if (format && !xlsx) {
		api_error(a, 400, "bad_param", "format", "参数 format 仅支持 xlsx");
		return;
	}
	if (api_page(a, &p, &e) != 0) {
		api_fail(a, &e);
		return;
	}
	query_raw(sel, " ORDER BY ");
	query_raw(sel, order);
	if (!xlsx)
		query_add(sel, " LIMIT ? OFFSET ?", "ii", p.limit, p.offset);
	db_stmt *st = query_prepare(a->db, sel);
	if (!st) {
		api_error(a, 500, "store_error", NULL, "列表查询失败: %s", db_errmsg(a->db));
		return;
	}
	if (xlsx) {
		send_xlsx(a, st, cols, sheet, fix);
		return;
	}
	/* The page is written straight into the answer's buffer: a tree of
	 * jansson values per row costs more than the query (bench/http.sh). */
	struct jsonw w;
	jw_init(&w, 16384);
	jw_lit(&w, "{\"items\":[");
	int rc;
	for (int n = 0; (rc = db_step(st)) == DB_ROW; n++) {
		if (n)
			jw_lit(&w, ",");
		if (fix) {
			json_t *o = api_row(st, cols);
			o = o ? fix(a, o) : NULL;
			if (!o)
				w.oom = 1;
			jw_json(&w, o);
			json_decref(o);
		} else {
			write_row(&w, st, cols);
		}
	}
	db_done(st);
	int64_t total = 0;
	db_stmt *ct = query_prepare(a->db, count);
	int crc = db_step(ct);
	if (crc == DB_ROW)
		total = db_col_int(ct, 0);
	db_done(ct);
	if (rc != DB_DONE || crc != DB_ROW) { /* never a partial page or total 0 */
		jw_free(&w);
		api_error(a, 500, "store_error", NULL, "列表查询失败: %s", db_errmsg(a->db));
		return;
	}
	jw_lit(&w, "],\"total\":");
	jw_int(&w, total);
	jw_lit(&w, ",\"page\":");
	jw_int(&w, p.page);
	jw_lit(&w, ",\"limit\":");
	jw_int(&w, p.limit);
	jw_lit(&w, "}");
	api_json_text(a, 200, &w);
}

json_t *api_fetch_row(struct api *a, struct query *q, const struct list_col *cols)
{
	db_stmt *st = query_prepare(a->db, q);
	int rc = st ? db_step(st) : DB_ERR;
	json_t *o = rc == DB_ROW ? api_row(st, cols) : NULL;
	db_done(st);
	if (rc == DB_DONE)
		api_not_found(a);
	else if (rc != DB_ROW) /* an error is not "absent" */
		api_error(a, 500, "store_error", NULL, "查询失败: %s", db_errmsg(a->db));
	else if (!o)
		api_error(a, 500, "internal", NULL, "内存不足");
	return o;
}

void api_show_row(struct api *a, struct query *q, const struct list_col *cols, int status,
		  json_t *(*fix)(struct api *, json_t *))
{
	json_t *o = api_fetch_row(a, q, cols);
	if (o && fix && !(o = fix(a, o)))
		api_error(a, 500, "internal", NULL, "内存不足");
	else if (o)
		api_json(a, status, o);
}

void api_resource_list(struct api *a, const struct api_resource *r)
{
	struct query sel, cnt;
	struct fz_err e = { 0 };
	query_init(&sel, r->select);
	query_init(&cnt, "SELECT COUNT(*)");
	r->from(a, &sel, 0);
	r->from(a, &cnt, 1);
	if (r->filters && (r->filters(a, &sel, &e) != 0 || r->filters(a, &cnt, &e) != 0))
		api_fail(a, &e);
	else
		api_list(a, &sel, &cnt, r->order, r->cols, r->sheet, r->fix);
	query_free(&sel);
	query_free(&cnt);
}

void api_resource_show(struct api *a, const struct api_resource *r, int64_t id, int status)
{
	struct query q;
	char frag[64];
	query_init(&q, r->select);
	r->from(a, &q, 0);
	snprintf(frag, sizeof frag, " AND %s = ?", r->id_col);
	query_add(&q, frag, "i", id);
	api_show_row(a, &q, r->cols, status, r->fix);
	query_free(&q);
}

void api_resource_get(struct api *a, const struct api_resource *r)
{
	int64_t id = api_param_id(a, 0);
	if (id > 0)
		api_resource_show(a, r, id, 200);
}
