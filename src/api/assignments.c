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
	{ "progress", "进度(%)", 1 }, { "note", "进展说明", 0 }, { "done_date", "完成日期", 0 },
	{ "content", "任务内容", 0 }, { "requirements", "工作要求", 0 }, { NULL, NULL, 0 },
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
		  " a.note, a.done_date, a.content, a.requirements",
	.from = from, .filters = filters, .id_col = "a.id", .order = "a.indicator_id, a.role DESC, a.id",
	.cols = cols, .sheet = "任务分解", .fix = fix,
};

static void list(struct api *a) { api_resource_list(a, &assignments); }
/* The task's progress reports, oldest first, by the reporter's name. */
static json_t *history(struct api *a, int64_t id)
{
	json_t *items = json_array();
	db_stmt *st = db_prepare(a->db, "SELECT p.progress, p.done_date, p.note, COALESCE(NULLIF(u.display_name, ''),"
					" u.username, ''), p.reported_at FROM assignment_progress p"
					" LEFT JOIN users u ON u.id = p.reported_by WHERE p.assignment_id = $1 ORDER BY p.id");
	db_bind_int(st, 1, id);
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, json_pack("{s:I, s:o, s:s, s:s, s:I}", "progress", (json_int_t)db_col_int(st, 0),
						       "done_date", db_col_isnull(st, 1) ? json_null() : json_string(db_col_text(st, 1)),
						       "note", db_col_text(st, 2), "reported_by", db_col_text(st, 3),
						       "reported_at", (json_int_t)db_col_int(st, 4)));
	db_done(st);
	return items;
}

static void show(struct api *a, int64_t id, int status)
{
	struct query q;
	query_init(&q, assignments.select);
	from(a, &q, 0);
	query_add(&q, " AND a.id = ?", "i", id);
	json_t *o = api_fetch_row(a, &q, cols);
	query_free(&q);
	if (!o)
		return;
	o = fix(a, o);
	json_object_set_new(o, "history", history(a, id));
	if (db_failures(a->db)) {
		json_decref(o);
		api_error(a, 500, "store_error", NULL, "查询失败: %s", db_errmsg(a->db));
		return;
	}
	api_json(a, status, o);
}

static void get(struct api *a)
{
	int64_t id = api_param_id(a, 0);
	if (id > 0)
		show(a, id, 200);
}

static void create(struct api *a)
{
	struct fz_err e = { 0 };
	const char *sys, *ind, *body, *role, *due, *content, *reqs;
	char why[128], path[128];
	if (api_str(a, "system", "指标体系", 0, 32, &sys, &e) ||
	    api_str(a, "indicator", "指标", 1, 32, &ind, &e) || api_str(a, "body", "责任单位", 1, 64, &body, &e) ||
	    field_enum(a->body, "role", "职责", 1, vocab_codes(VOCAB_ASSIGNMENT_ROLE), &role, &e) ||
	    api_str(a, "due_date", "完成期限", 1, 10, &due, &e) ||
	    field_text(a->body, "content", "任务内容", 0, 2000, &content, &e) ||
	    field_text(a->body, "requirements", "工作要求", 0, 2000, &reqs, &e)) {
		api_fail(a, &e);
		return;
	}
	if (validate_date(due, why, sizeof why) != 0) {
		api_error(a, 422, "invalid", "due_date", "完成期限应为 YYYY-MM-DD 格式的日期");
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
					 " due_date, content, requirements, created_at, updated_at)"
					 " VALUES ($1, $2, $3, $4, $5, $6, $8, $9, $7, $7) RETURNING id") : NULL;
	if (st) {
		db_bind_text(st, 1, s->id);
		db_bind_text(st, 2, ind);
		db_bind_int(st, 3, bid);
		db_bind_text(st, 4, path);
		db_bind_text(st, 5, role);
		db_bind_text(st, 6, due);
		db_bind_int(st, 7, (int64_t)time(NULL));
		db_bind_text(st, 8, content ? content : "");
		db_bind_text(st, 9, reqs ? reqs : "");
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

/* A progress report: what the body says, and the task as it stands. */
struct report {
	int has_progress, progress; /* 0–100 */
	int done;                   /* 1 done, 0 not done, -1 not said */
	const char *note;
	int was_done, was_progress;
	char done_date[11];
};

/* The report's rules: a percentage in 0–100, never clamped; 100 % is
 * completion and completion is 100 %; reopening a completed task names
 * its progress. Fills in what follows (progress 100 → done). */
static int report_check(struct api *a, struct report *p, struct fz_err *e)
{
	json_t *pv = json_object_get(a->body, "progress");
	if (api_str(a, "note", "进展说明", 0, 1000, &p->note, e) || api_bool(a, "done", "已完成", &p->done, e))
		return -1;
	if (!json_object_get(a->body, "done"))
		p->done = -1;
	if (pv && (!json_is_integer(pv) || json_integer_value(pv) < 0 || json_integer_value(pv) > 100))
		return fz_invalid(e, "progress", "进度应为 0 到 100 的整数（百分比），不能超出此范围");
	p->has_progress = pv != NULL;
	p->progress = pv ? (int)json_integer_value(pv) : p->was_progress;
	if (p->done == 1 && p->has_progress && p->progress != 100)
		return fz_invalid(e, "progress", "标记完成时进度应为 100%%（现为 %d%%）", p->progress);
	if (p->done == 0 && p->has_progress && p->progress == 100)
		return fz_invalid(e, "progress", "进度 100%% 即为完成；未完成时进度应小于 100%%");
	if (p->done == 0 && !p->has_progress && p->was_progress == 100)
		return fz_invalid(e, "progress", "取消完成时请填写当前进度（小于 100%%）");
	if (p->done == -1 && p->was_done && p->has_progress && p->progress < 100)
		return fz_invalid(e, "done", "任务已于 %s 完成；进度低于 100%% 须同时取消“已完成”", p->done_date);
	if (p->done == -1)
		p->done = p->progress == 100 ? 1 : p->was_done;
	if (p->done == 1)
		p->progress = 100;
	return 0;
}

/* The task's current state, within the caller's scope: 1, 0 (not found),
 * -1 (store error). */
static int report_load(struct api *a, int64_t id, struct report *p)
{
	struct query q;
	query_init(&q, "SELECT a.progress, a.done_date");
	from(a, &q, 1);
	query_add(&q, " AND a.id = ?", "i", id);
	db_stmt *st = query_prepare(a->db, &q);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		p->was_progress = (int)db_col_int(st, 0);
		p->was_done = !db_col_isnull(st, 1);
		snprintf(p->done_date, sizeof p->done_date, "%s", p->was_done ? db_col_text(st, 1) : "");
	}
	db_done(st);
	query_free(&q);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* Writes the report onto the task and into its history. */
static int report_save(struct api *a, int64_t id, struct report *p)
{
	char today[11];
	cn_today(today);
	if (p->done && !p->was_done)
		snprintf(p->done_date, sizeof p->done_date, "%s", today);
	const char *done_date = p->done ? p->done_date : NULL;
	int64_t now = (int64_t)time(NULL);
	db_stmt *st = db_prepare(a->db, "UPDATE assignments SET progress = $2, note = COALESCE($3, note), done_date = $4,"
					" updated_at = $5 WHERE id = $1");
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, p->progress);
	db_bind_text(st, 3, p->note);
	db_bind_text(st, 4, done_date);
	db_bind_int(st, 5, now);
	if (db_run_done(st) != DB_DONE)
		return -1;
	st = db_prepare(a->db, "INSERT INTO assignment_progress(assignment_id, progress, done_date, note, reported_by,"
			       " reported_at) VALUES ($1, $2, $3, $4, $5, $6)");
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, p->progress);
	db_bind_text(st, 3, done_date);
	db_bind_text(st, 4, p->note ? p->note : "");
	db_bind_int(st, 5, a->user.id);
	db_bind_int(st, 6, now);
	if (db_run_done(st) != DB_DONE)
		return -1;
	return api_audit(a, "update", "assignment", id, "ok",
			 json_pack("{s:i, s:i, s:b, s:s?}", "from", p->was_progress, "progress", p->progress, "done",
				   p->done, "done_date", done_date));
}

static void update(struct api *a)
{
	int64_t id = api_param_id(a, 0);
	struct fz_err e = { 0 };
	struct report p = { 0 };
	if (id <= 0)
		return;
	int found = report_load(a, id, &p);
	if (found <= 0) {
		if (found < 0)
			api_error(a, 500, "store_error", NULL, "查询失败: %s", db_errmsg(a->db));
		else
			api_not_found(a);
		return;
	}
	if (report_check(a, &p, &e) != 0) {
		api_fail(a, &e);
		return;
	}
	int rc = db_begin(a->db) == 0 ? report_save(a, id, &p) : -1;
	if (api_commit_or_fail(a, rc, &e) == 0)
		show(a, id, 200);
}

API_ROUTES(assignments,
	{ "GET", "/api/v1/assignments", list, PERM_EVAL_READ, 0 },
	{ "POST", "/api/v1/assignments", create, PERM_EVAL_RUN, 0, 0, FIELDS("system", "indicator", "body", "role", "due_date",
											      "content", "requirements") },
	{ "GET", "/api/v1/assignments/{id}", get, PERM_EVAL_READ, 0 },
	{ "PATCH", "/api/v1/assignments/{id}", update, PERM_RECORD_WRITE, 0, 0, FIELDS("progress", "note", "done") })
