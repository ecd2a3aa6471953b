/*
 * records.c — /api/v1/registers: every declared register's definition and
 * its records (list with filters and deadline status, detail with the
 * audit timeline, the transitions open to the caller and the fields it may
 * write, create, update, transition, delete), served by one generic
 * handler set. Every write goes through the engine (record.h), which
 * enforces the field rules; a refusal (403) is audited here.
 */
#include "api.h"

#include "domain.h"
#include "cntime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "due.h"
#include "fields.h"
#include "record.h"
#include "register.h"

void api_rec_ctx(struct api *a, struct rec_ctx *c)
{
	rec_ctx_init(c, a->db, &a->user, &a->actor);
	c->cfg = &a->app->cfg;
}

static const struct reg_def *reg_of(struct api *a)
{
	const struct reg_def *r = register_find(a->param[0]);
	if (!r)
		api_error(a, 404, "not_found", NULL, "登记簿 %s 不存在", a->param[0]);
	return r;
}

static void definitions(struct api *a)
{
	json_t *items = json_array();
	char why[256];
	register_load_builtin(why, sizeof why);
	for (int i = 0; i < register_count(); i++)
		json_array_append_new(items, register_json(register_at(i)));
	api_json(a, 200, json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)register_count()));
}

static void definition(struct api *a)
{
	const struct reg_def *r = reg_of(a);
	if (r)
		api_json(a, 200, register_json(r));
}

static const struct list_col cols[] = {
	{ "id", "编号", 1 }, { "title", "标题", 0 }, { "state", "状态代码", 0 }, { "body_id", "责任单位编号", 1 },
	{ "body_name", "责任单位", 0 }, { "region", "区划代码", 0 }, { "start_date", "起算日期", 0 },
	{ "due_date", "办理期限", 0 }, { "closed_date", "办结日期", 0 }, { "data", "内容", 0 },
	{ "met_date", "期限内完成日期", 0 }, { NULL, NULL, 0 },
};

static const char SELECT[] = "SELECT r.id, r.title, r.state, r.body_id, b.name, b.region_code, r.start_date,"
			     " r.due_date, r.closed_date, r.data, r.met_date";

static void build(struct api *a, const struct reg_def *r, struct query *q, const char *head)
{
	query_init(q, head);
	query_raw(q, " FROM records r JOIN bodies b ON b.id = r.body_id WHERE 1 = 1");
	query_add(q, " AND r.register = ?", "s", r->name);
	scope_filter(q, &a->user, "r.region_path", "r.body_id");
}

/* The display text of the record's subject fields (当事人), by field. */
static json_t *subject_labels(struct api *a, const struct reg_def *r, json_t *data)
{
	json_t *out = json_object();
	for (int i = 0; i < r->nfields; i++) {
		json_t *v = json_object_get(data, r->fields[i].name), *text;
		if (r->fields[i].type == RF_SUBJECT && json_is_integer(v) && (text = api_subject_text(a, json_integer_value(v))))
			json_object_set_new(out, r->fields[i].name, text);
	}
	return out;
}

static json_t *fix(struct api *a, json_t *o)
{
	const struct reg_def *r = register_find(a->param[0]);
	char today[11];
	const char *state = json_string_value(json_object_get(o, "state"));
	int s = register_state(r, state);
	json_object_set_new(o, "state_label", json_string(s >= 0 ? r->states[s].label : "?"));
	json_t *data = json_loads(json_string_value(json_object_get(o, "data")), 0, NULL);
	json_object_set_new(o, "data", data ? data : json_object());
	json_object_set_new(o, "labels", subject_labels(a, r, json_object_get(o, "data")));
	cn_today(today);
	const char *status = due_status(json_string_value(json_object_get(o, "due_date")),
					json_string_value(json_object_get(o, "met_date")), today);
	json_object_set_new(o, "deadline_status", json_string(status));
	json_object_set_new(o, "deadline_status_label", json_string(due_status_label(status)));
	json_object_set_new(o, "due_provisional",
			    json_boolean(due_provisional(r, json_string_value(json_object_get(o, "start_date")),
							 json_string_value(json_object_get(o, "due_date")))));
	return o;
}

/* The export shows labels and the deadline status instead of raw JSON. */
static json_t *fix_export(struct api *a, json_t *o)
{
	o = fix(a, o);
	json_object_set(o, "state", json_object_get(o, "state_label"));
	json_object_set_new(o, "data", json_string(json_string_value(json_object_get(o, "deadline_status_label"))));
	return o;
}

/* ?f.<field>=<choice> for the fields the definition lists in "filters":
 * the stored JSON (compact, UTF-8 as is) holds "<field>":"<choice>". */
static int field_filters(struct api *a, const struct reg_def *r, struct query *q, struct fz_err *e)
{
	for (int i = 0; i < r->nfilters; i++) {
		const struct reg_field *f = &r->fields[r->filters[i]];
		char key[80], needle[256];
		int listed = 0;
		snprintf(key, sizeof key, "f.%s", f->name);
		const char *v = http_query(a->r, key);
		if (!v || !*v)
			continue;
		for (int k = 0; k < f->nchoices; k++)
			listed |= strcmp(f->choices[k], v) == 0;
		if (!listed)
			return fz_fail(e, 400, "bad_param", f->name, "筛选条件“%s”应为该字段的选项之一", f->label);
		snprintf(needle, sizeof needle, "\"%s\":\"%s\"", f->name, v);
		char *pat = query_like_pattern(needle);
		q->failed |= !pat;
		query_add(q, " AND r.data LIKE ? ESCAPE '\\'", "s", pat);
		free(pat);
	}
	return 0;
}

static int filters(struct api *a, struct query *q, struct fz_err *e)
{
	const char *state = http_query(a->r, "state"), *region = http_query(a->r, "region");
	const char *kw = http_query(a->r, "q"), *status = http_query(a->r, "status");
	const char *from = http_query(a->r, "from"), *to = http_query(a->r, "to");
	char today[11];
	int64_t body;
	if (api_query_id(a, "body", &body, e) != 0)
		return -1;
	if (state && *state)
		query_add(q, " AND r.state = ?", "s", state);
	if (body)
		query_add(q, " AND r.body_id = ?", "i", body);
	if (region && *region && scope_region_filter(q, a->db, "r.region_path", region, e) != 0)
		return -1;
	if (from && *from)
		query_add(q, " AND r.start_date >= ?", "s", from);
	if (to && *to)
		query_add(q, " AND r.start_date <= ?", "s", to);
	cn_today(today);
	if (status && strcmp(status, "overdue") == 0)
		query_add(q, " AND r.met_date IS NULL AND r.due_date < ?", "s", today);
	else if (status && strcmp(status, "open") == 0)
		query_raw(q, " AND r.closed_date IS NULL");
	else if (status && strcmp(status, "due_soon") == 0) { /* the 工作台's: not met, due within the working days */
		char until[11];
		api_due_soon_until(a, until);
		query_add(q, " AND r.closed_date IS NULL AND r.met_date IS NULL AND r.due_date >= ? AND r.due_date <= ?", "ss",
			  today, until);
	} else if (status && *status)
		return fz_fail(e, 400, "bad_param", "status", "参数 status 应为 overdue、open 或 due_soon");
	const char *todo = http_query(a->r, "todo");
	if (todo && strcmp(todo, "1") == 0) { /* 待办: open records whose next step is the caller's */
		query_raw(q, " AND r.closed_date IS NULL");
		api_todo_filter(a, register_find(a->param[0]), q);
	} else if (todo && *todo)
		return fz_fail(e, 400, "bad_param", "todo", "参数 todo 只能为 1");
	if (kw && *kw) {
		char *pat = query_like_pattern(kw);
		q->failed |= !pat; /* no memory: the query is never run */
		query_add(q, " AND r.title LIKE ? ESCAPE '\\'", "s", pat);
		free(pat);
	}
	return field_filters(a, register_find(a->param[0]), q, e);
}

static void list(struct api *a)
{
	const struct reg_def *r = reg_of(a);
	struct query sel, cnt;
	struct fz_err e;
	if (!r)
		return;
	const char *format = http_query(a->r, "format");
	build(a, r, &sel, SELECT);
	build(a, r, &cnt, "SELECT COUNT(*)");
	if (filters(a, &sel, &e) != 0 || filters(a, &cnt, &e) != 0)
		api_fail(a, &e);
	else
		api_list(a, &sel, &cnt, "r.id DESC", cols, r->label,
			 format && strcmp(format, "xlsx") == 0 ? fix_export : fix);
	query_free(&sel);
	query_free(&cnt);
}

static json_t *timeline(struct api *a, const struct reg_def *r, const char *id)
{
	json_t *items = json_array();
	/* people by their names, not their login names (cli: the operator) */
	db_stmt *st = db_prepare(a->db, "SELECT l.ts, COALESCE(NULLIF(u.display_name, ''), l.actor), l.action, l.result,"
				      " l.detail FROM audit_log l LEFT JOIN users u ON u.username = l.actor"
				      " WHERE l.entity = $1 AND l.entity_id = $2 ORDER BY l.id");
	db_bind_text(st, 1, r->name);
	db_bind_text(st, 2, id);
	while (db_step(st) == DB_ROW) {
		json_t *detail = json_loads(db_col_text(st, 4), 0, NULL);
		json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:o}", "ts", (json_int_t)db_col_int(st, 0),
						       "actor", db_col_text(st, 1), "action", db_col_text(st, 2),
						       "result", db_col_text(st, 3), "detail", detail ? detail : json_object()));
	}
	db_done(st);
	return items;
}

/* The caller's view of what it may do to the record now, as the engine
 * decides it (record_may_transition, record_writable_fields): the
 * transitions it may perform, and the fields it may change. */
static void rights(struct api *a, const struct reg_def *r, json_t *o)
{
	struct rec_ctx c;
	struct record rec = { .body_id = json_integer_value(json_object_get(o, "body_id")),
			      .state = register_state(r, json_string_value(json_object_get(o, "state"))) };
	json_t *open = json_array(), *fields;
	int write = role_can(a->user.role, PERM_RECORD_WRITE);
	api_rec_ctx(a, &c);
	for (int i = 0; write && i < r->ntransitions; i++)
		if (record_may_transition(&c, r, &r->transitions[i], &rec))
			json_array_append_new(open, json_pack("{s:s, s:s}", "name", r->transitions[i].name, "label",
							      r->transitions[i].label));
	fields = write ? record_writable_fields(&c, r, &rec) : json_array();
	json_object_set_new(o, "transitions", open);
	json_object_set_new(o, "writable", fields ? fields : json_array());
}

/* The domain's explained dates into o's "deadlines", when it has them;
 * -1 with the error answered. */
static int deadlines(struct api *a, const struct reg_def *r, int64_t id, json_t *o)
{
	const struct domain_ops *ops = domain_find(r->name);
	struct fz_err e = { 0 };
	struct rec_ctx c;
	struct record rec = { 0 };
	if (!ops || !ops->deadlines)
		return 0;
	api_rec_ctx(a, &c);
	json_t *list = json_array();
	if (record_load(&c, r, id, &rec, &e) != 0 || ops->deadlines(&c, r, &rec, list, &e) != 0) {
		record_free(&rec);
		json_decref(list);
		api_fail(a, &e);
		return -1;
	}
	record_free(&rec);
	json_object_set_new(o, "deadlines", list);
	return 0;
}

static void show(struct api *a, int64_t id, int status)
{
	const struct reg_def *r = register_find(a->param[0]);
	struct query q;
	build(a, r, &q, SELECT);
	query_add(&q, " AND r.id = ?", "i", id);
	json_t *o = api_fetch_row(a, &q, cols);
	query_free(&q);
	if (!o)
		return;
	o = fix(a, o);
	char sid[24];
	snprintf(sid, sizeof sid, "%lld", (long long)id);
	json_object_set_new(o, "timeline", timeline(a, r, sid));
	rights(a, r, o);
	if (r->deadline.basis)
		json_object_set_new(o, "deadline_basis", json_string(r->deadline.basis));
	char explain[2048];
	due_explain(r, json_string_value(json_object_get(o, "start_date")), explain, sizeof explain);
	json_object_set_new(o, "deadline_explain", json_string(explain));
	if (deadlines(a, r, id, o) != 0) {
		json_decref(o);
		return;
	}
	api_json(a, status, o);
}

static void get(struct api *a)
{
	int64_t id = api_param_id(a, 1);
	if (id > 0 && reg_of(a))
		show(a, id, 200);
}

/* Rolls back and answers the error; a refusal (403, or 409: a rule of the
 * register — a gate, a benchmark) is audited. */
static void fail(struct api *a, struct fz_err *e, int64_t id)
{
	db_rollback(a->db);
	if (!e->code)
		fz_store(e, a->db);
	if (e->status == 403 || e->status == 409)
		api_audit(a, "write", a->param[0], id, "refused",
			  json_pack("{s:s, s:s, s:s?}", "code", e->code, "reason", e->msg, "field", e->field));
	api_fail(a, e);
}

/* Commits op's transaction and shows the record, or answers the error. */
static void finish(struct api *a, int rc, struct fz_err *e, int64_t id, int status)
{
	if (rc != 0 || db_commit(a->db) != 0)
		fail(a, e, id);
	else
		show(a, id, status);
}

static void create(struct api *a)
{
	const struct reg_def *r = reg_of(a);
	struct fz_err e = { 0 };
	const char *body, *start;
	struct rec_ctx c;
	int64_t id = 0;
	if (!r)
		return;
	if (api_str(a, "body", "责任单位", 1, 64, &body, &e) ||
	    api_str(a, "start_date", "起算日期", 0, 10, &start, &e)) {
		api_fail(a, &e);
		return;
	}
	api_rec_ctx(a, &c);
	int rc = db_begin(a->db);
	if (rc == 0)
		rc = record_create(&c, r, body, start, json_object_get(a->body, "data"), &id, &e);
	finish(a, rc, &e, id, 201);
}

static void update(struct api *a)
{
	const struct reg_def *r = reg_of(a);
	int64_t id = r ? api_param_id(a, 1) : -1;
	struct fz_err e = { 0 };
	struct rec_ctx c;
	if (id <= 0)
		return;
	api_rec_ctx(a, &c);
	int rc = db_begin(a->db);
	if (rc == 0)
		rc = record_update(&c, r, id, json_object_get(a->body, "data"), &e);
	finish(a, rc, &e, id, 200);
}

static void transition(struct api *a)
{
	const struct reg_def *r = reg_of(a);
	int64_t id = r ? api_param_id(a, 1) : -1;
	struct fz_err e = { 0 };
	const char *name;
	struct rec_ctx c;
	if (id <= 0)
		return;
	if (api_str(a, "transition", "操作", 1, 32, &name, &e)) {
		api_fail(a, &e);
		return;
	}
	api_rec_ctx(a, &c);
	int rc = db_begin(a->db);
	if (rc == 0)
		rc = record_transition(&c, r, id, name, json_object_get(a->body, "data"), &e);
	finish(a, rc, &e, id, 200);
}

static void delete(struct api *a)
{
	const struct reg_def *r = reg_of(a);
	int64_t id = r ? api_param_id(a, 1) : -1;
	struct fz_err e = { 0 };
	struct rec_ctx c;
	if (id <= 0)
		return;
	api_rec_ctx(a, &c);
	int rc = db_begin(a->db);
	if (rc == 0)
		rc = record_delete(&c, r, id, &e);
	if (rc != 0 || db_commit(a->db) != 0)
		fail(a, &e, id);
	else
		api_no_content(a);
}

API_ROUTES(records,
	{ "GET", "/api/v1/registers", definitions, PERM_RECORD_READ, 0 },
	{ "GET", "/api/v1/registers/{reg}", definition, PERM_RECORD_READ, 0 },
	{ "GET", "/api/v1/registers/{reg}/records", list, PERM_RECORD_READ, 0 },
	{ "POST", "/api/v1/registers/{reg}/records", create, PERM_RECORD_WRITE, 0, 0, FIELDS("body", "start_date", "data") },
	{ "GET", "/api/v1/registers/{reg}/records/{id}", get, PERM_RECORD_READ, 0 },
	{ "PATCH", "/api/v1/registers/{reg}/records/{id}", update, PERM_RECORD_WRITE, 0, 0, FIELDS("data") },
	{ "DELETE", "/api/v1/registers/{reg}/records/{id}", delete, PERM_RECORD_WRITE, 0 },
	{ "POST", "/api/v1/registers/{reg}/records/{id}/transitions", transition, PERM_RECORD_WRITE, 0, 0, FIELDS("transition", "data") })
