/*
 * cleanup.c — the 评估清理 desk of 行政规范性文件, within the caller's scope:
 *   GET /api/v1/registers/normdoc/cleanup?before=YYYY-MM-DD&year=YYYY
 * the documents in force whose validity ends on or before `before`
 * (default: six months on), soonest first, those already past marked; and
 * the year's clean-up decisions by kind (继续有效, 修改, 废止, 失效).
 */
#include "api/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "cntime.h"
#include "scope.h"

#define MAX_DOCS 20000 /* documents in force in one scope */

static const char *const decisions[] = { "继续有效", "修改", "废止", "失效" };
#define NDECISIONS (sizeof decisions / sizeof decisions[0])

/* Orders by valid_until, then id. */
static int soonest(const void *x, const void *y)
{
	json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
	int c = strcmp(json_string_value(json_object_get(a, "valid_until")), json_string_value(json_object_get(b, "valid_until")));
	return c ? c : (int)(json_integer_value(json_object_get(a, "id")) - json_integer_value(json_object_get(b, "id")));
}

/* One document's row, when it is in force and expiring by before (into
 * due), or decided in year (counted into n). */
static void row(db_stmt *st, const char *before, const char *today, int year, json_t *due, int64_t n[NDECISIONS])
{
	json_t *o = json_loads(db_col_text(st, 2), 0, NULL);
	const char *until = json_string_value(json_object_get(o, "valid_until"));
	const char *done = json_string_value(json_object_get(o, "cleaned_on"));
	const char *what = json_string_value(json_object_get(o, "cleanup_decision"));
	for (size_t i = 0; what && done && atoi(done) == year && i < NDECISIONS; i++)
		n[i] += strcmp(what, decisions[i]) == 0;
	if (!strcmp(db_col_text(st, 1), "in_force") && until && strcmp(until, before) <= 0)
		json_array_append_new(due, json_pack("{s:I, s:s?, s:s?, s:s, s:s, s:s, s:b}", "id", (json_int_t)db_col_int(st, 0),
						     "title", json_string_value(json_object_get(o, "title")), "doc_number",
						     json_string_value(json_object_get(o, "doc_number")), "body_name",
						     db_col_text(st, 3), "valid_until", until, "cleaned_on", done ? done : "",
						     "expired", strcmp(until, today) < 0));
	json_decref(o);
}

static void cleanup(struct api *a)
{
	struct fz_err e = { 0 };
	char today[DATE_STR], before[DATE_STR];
	int year;
	cn_today(today);
	const char *b = http_query(a->r, "before");
	struct date d;
	if (b && date_parse(b, &d) != 0) {
		api_error(a, 400, "invalid", "before", "截止日期应为 YYYY-MM-DD 格式的日期");
		return;
	}
	if (api_query_year(a, &year, &e) != 0) {
		api_fail(a, &e);
		return;
	}
	if (b)
		snprintf(before, sizeof before, "%s", b);
	else if (deadline_after(today, DL_MONTHS, 6, before) != 0)
		snprintf(before, sizeof before, "%s", today);
	struct query q;
	query_init(&q, "SELECT r.id, r.state, r.data, b.name FROM records r JOIN bodies b ON b.id = r.body_id"
		       " WHERE r.register = 'normdoc' AND r.state IN ('in_force', 'amended', 'repealed', 'lapsed')");
	scope_filter(&q, &a->user, "r.region_path", "r.body_id");
	db_stmt *st = query_prepare(a->db, &q);
	query_free(&q);
	json_t *due = json_array();
	int64_t n[NDECISIONS] = { 0 };
	int rc = st ? db_step(st) : DB_ERR, rows = 0;
	for (; rc == DB_ROW && rows < MAX_DOCS; rc = db_step(st), rows++)
		row(st, before, today, year, due, n);
	db_done(st);
	size_t k = json_array_size(due);
	json_t **v = rc == DB_DONE ? malloc((k ? k : 1) * sizeof *v) : NULL;
	if (!v) {
		json_decref(due);
		if (rc == DB_ROW)
			fz_fail(&e, 413, "too_many", NULL, "管辖范围内的行政规范性文件超过 %d 件，请按单位分别查看", MAX_DOCS);
		else
			fz_store(&e, a->db);
		api_fail(a, &e);
		return;
	}
	for (size_t i = 0; i < k; i++)
		v[i] = json_incref(json_array_get(due, i));
	qsort(v, k, sizeof *v, soonest);
	json_t *sorted = json_array(), *decided = json_object();
	for (size_t i = 0; i < k; i++)
		json_array_append_new(sorted, v[i]);
	free(v);
	json_decref(due);
	for (size_t i = 0; i < NDECISIONS; i++)
		json_object_set_new(decided, decisions[i], json_integer(n[i]));
	api_json(a, 200, json_pack("{s:s, s:i, s:o, s:o}", "before", before, "year", year, "expiring", sorted, "decided", decided));
}

API_ROUTES(normdoc_cleanup, { "GET", "/api/v1/registers/normdoc/cleanup", cleanup, PERM_RECORD_READ, 0 })
