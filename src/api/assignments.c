/*
 * assignments.c — /api/v1/assignments: decomposition of indicators to
 * responsible bodies (牵头/配合) with deadlines and progress (the board
 * that sums them per body is board.c).
 */
#include "api.h"
#include "cntime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "due.h"
#include "fields.h"
#include "eval.h"
#include "validate.h"
#include "vocab.h"

static const struct list_col cols[] = {
	{ "id", "编号", 1 }, { "system", "指标体系", 0 }, { "indicator", "指标", 0 }, { "body_id", "机关编号", 1 },
	{ "body_name", "责任单位", 0 }, { "role", "职责", 0 }, { "due_date", "完成期限", 0 },
	{ "progress", "进度(%)", 1 }, { "note", "进展说明", 0 }, { "done_date", "完成日期", 0 }, { NULL, NULL, 0 },
};

static json_t *fix(struct api *a, json_t *o)
{
	char today[11];
	cn_today(today);
	const char *s = due_status(json_string_value(json_object_get(o, "due_date")),
				   json_string_value(json_object_get(o, "done_date")), today);
	json_object_set_new(o, "status", json_string(s));
	json_object_set_new(o, "status_label", json_string(due_status_label(s)));
	const char *role = vocab_label(VOCAB_ASSIGNMENT_ROLE, json_string_value(json_object_get(o, "role")));
	json_object_set_new(o, "role_label", json_string(role ? role : ""));
	return o;
}

static void from(struct api *a, struct query *q, int counting)
{
	query_raw(q, counting ? " FROM assignments a WHERE 1 = 1"
			      : " FROM assignments a JOIN bodies b ON b.id = a.body_id WHERE 1 = 1");
	scope_filter(q, &a->user, "a.region_path", "a.body_id");
}

int api_assignment_in_scope(struct api *a, int64_t id)
{
	struct query q;
	query_init(&q, "SELECT a.id");
	from(a, &q, 1);
	query_add(&q, " AND a.id = ?", "i", id);
	db_stmt *st = query_prepare(a->db, &q);
	query_free(&q);
	int rc = st ? db_step(st) : DB_ERR;
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static int filters(struct api *a, struct query *q, struct fz_err *e)
{
	const char *sys = http_query(a->r, "system"), *ind = http_query(a->r, "indicator");
	int64_t body;
	if (api_query_id(a, "body", &body, e) != 0)
		return -1;
	if (sys && *sys)
		query_add(q, " AND a.system_id = ?", "s", sys);
	if (ind && *ind)
		query_add(q, " AND a.indicator_id = ?", "s", ind);
	if (body)
		query_add(q, " AND a.body_id = ?", "i", body);
	return 0;
}

static const struct api_resource assignments = {
	.select = "SELECT a.id, a.system_id, a.indicator_id, a.body_id, b.name, a.role, a.due_date, a.progress,"
		  " a.note, a.done_date",
	.from = from, .filters = filters, .id_col = "a.id", .order = "a.indicator_id, a.role DESC, a.id",
	.cols = cols, .sheet = "任务分解", .fix = fix,
};

static void list(struct api *a) { api_resource_list(a, &assignments); }
static void show(struct api *a, int64_t id, int status) { api_resource_show(a, &assignments, id, status); }
static void get(struct api *a) { api_resource_get(a, &assignments); }

static void create(struct api *a)
{
	struct fz_err e = { 0 };
	const char *sys, *ind, *body, *role, *due;
	char why[128], path[128];
	if (api_str(a, "system", "指标体系", 0, 32, &sys, &e) ||
	    api_str(a, "indicator", "指标", 1, 32, &ind, &e) || api_str(a, "body", "责任单位", 1, 64, &body, &e) ||
	    field_enum(a->body, "role", "职责", 1, vocab_codes(VOCAB_ASSIGNMENT_ROLE), &role, &e) ||
	    api_str(a, "due_date", "完成期限", 1, 10, &due, &e)) {
		api_fail(a, &e);
		return;
	}
	if (validate_date(due, why, sizeof why) != 0) {
		api_error(a, 422, "invalid", "due_date", "完成期限（due_date）应为 YYYY-MM-DD 格式的日期");
		return;
	}
	struct indicator_system *s = eval_system(a->db, sys, &e);
	if (!s || indicator_find(s, ind) < 0) {
		if (s)
			fz_invalid(&e, "indicator", "指标 %s 不在指标体系 %s 中", ind, s->id);
		indicator_system_free(s);
		api_fail(a, &e);
		return;
	}
	db_stmt *st = db_prepare(a->db, "SELECT id, region_path FROM bodies WHERE code = $1");
	db_bind_text(st, 1, body);
	int64_t bid = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
	if (bid)
		snprintf(path, sizeof path, "%s", db_col_text(st, 1));
	db_done(st);
	if (!bid || !scope_has_body(&a->user, bid, path)) {
		indicator_system_free(s);
		api_error(a, 422, "invalid", "body", "责任单位 %s 不存在或不在您的管辖范围内", body);
		return;
	}
	int64_t id = 0;
	int rc = db_begin(a->db);
	st = rc == 0 ? db_prepare(a->db, "INSERT INTO assignments(system_id, indicator_id, body_id, region_path, role,"
					 " due_date, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$7) RETURNING id") : NULL;
	if (st) {
		db_bind_text(st, 1, s->id);
		db_bind_text(st, 2, ind);
		db_bind_int(st, 3, bid);
		db_bind_text(st, 4, path);
		db_bind_text(st, 5, role);
		db_bind_text(st, 6, due);
		db_bind_int(st, 7, (int64_t)time(NULL));
		rc = db_step(st);
		id = rc == DB_ROW ? db_col_int(st, 0) : 0;
		if (rc == DB_ROW)
			rc = db_step(st);
		db_done(st);
	}
	indicator_system_free(s);
	if (rc == DB_CONSTRAINT) {
		db_rollback(a->db);
		api_error(a, 409, "conflict", "body", "该单位已承担此指标");
		return;
	}
	if (!id || api_audit(a, "create", "assignment", id, "ok", json_pack("{s:s, s:s, s:s}", "indicator", ind, "body", body,
									   "role", role)) != 0 || db_commit(a->db) != 0) {
		db_rollback(a->db);
		api_error(a, 500, "store_error", NULL, "保存失败: %s", db_errmsg(a->db));
		return;
	}
	show(a, id, 201);
}

static void update(struct api *a)
{
	int64_t id = api_param_id(a, 0);
	struct fz_err e = { 0 };
	const char *note;
	int done = 0;
	if (id <= 0)
		return;
	json_t *pv = json_object_get(a->body, "progress");
	if (api_str(a, "note", "进展说明", 0, 1000, &note, &e) ||
	    api_bool(a, "done", "已完成", &done, &e)) {
		api_fail(a, &e);
		return;
	}
	if (pv && (!json_is_integer(pv) || json_integer_value(pv) < 0 || json_integer_value(pv) > 100)) {
		api_error(a, 422, "invalid", "progress", "进度（progress）应为 0 到 100 的整数");
		return;
	}
	struct query q;
	query_init(&q, "SELECT a.id");
	from(a, &q, 0);
	query_add(&q, " AND a.id = ?", "i", id);
	db_stmt *st = query_prepare(a->db, &q);
	int found = st && db_step(st) == DB_ROW;
	db_done(st);
	query_free(&q);
	if (!found) {
		api_not_found(a);
		return;
	}
	char today[11];
	cn_today(today);
	int rc = db_begin(a->db);
	/* done absent (-1) keeps the done date: a progress note after completion
	 * does not reopen the assignment. */
	st = rc == 0 ? db_prepare(a->db, "UPDATE assignments SET progress = COALESCE($2, progress), note = COALESCE($3, note),"
					 " done_date = CASE WHEN $4 = 1 THEN COALESCE(done_date, $5)"
					 " WHEN $4 = 0 THEN NULL ELSE done_date END,"
					 " updated_at = $6 WHERE id = $1") : NULL;
	if (st) {
		db_bind_int(st, 1, id);
		if (pv)
			db_bind_int(st, 2, done ? 100 : json_integer_value(pv));
		else if (done)
			db_bind_int(st, 2, 100);
		else
			db_bind_null(st, 2);
		db_bind_text(st, 3, note);
		db_bind_int(st, 4, json_object_get(a->body, "done") ? done : -1);
		db_bind_text(st, 5, today);
		db_bind_int(st, 6, (int64_t)time(NULL));
		rc = db_run(st) == DB_DONE ? 0 : -1;
		db_done(st);
	}
	if (rc != 0 || api_audit(a, "update", "assignment", id, "ok", json_pack("{s:b}", "done", done)) != 0 ||
	    db_commit(a->db) != 0) {
		db_rollback(a->db);
		api_error(a, 500, "store_error", NULL, "保存失败: %s", db_errmsg(a->db));
		return;
	}
	show(a, id, 200);
}

API_ROUTES(assignments,
	{ "GET", "/api/v1/assignments", list, PERM_EVAL_READ, 0 },
	{ "POST", "/api/v1/assignments", create, PERM_EVAL_RUN, 0, 0, FIELDS("system", "indicator", "body", "role", "due_date") },
	{ "GET", "/api/v1/assignments/{id}", get, PERM_EVAL_READ, 0 },
	{ "PATCH", "/api/v1/assignments/{id}", update, PERM_RECORD_WRITE, 0, 0, FIELDS("progress", "note", "done") })
