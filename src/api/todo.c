/*
 * todo.c — GET /api/v1/todo: the signed-in user's 待办, item by item: the
 * records whose next step is the caller's (the 工作台's 待办 count, the
 * same condition: api_todo_filter), each marked as work of its own body
 * ("todo"), sent back by the assigning side ("returned", with the reason)
 * or awaiting the caller's review ("review"); and a body's open tasks
 * ("task"). A record whose declared reminder is due (a hearing the head
 * must attend, within its days) carries it: "reminder": {label, date}.
 * Overdue first, then by due date; at most TODO_MAX items, with
 * the whole count in total.
 */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "cntime.h"
#include "record.h"
#include "register.h"

#define TODO_MAX 200

/* The reason the record was sent back, when its last transition was a
 * "returns" one (退回, 不予延期); NULL otherwise. */
static const char *returned_reason(struct api *a, const struct reg_def *r, int64_t id, json_t *data)
{
	char sid[24];
	snprintf(sid, sizeof sid, "%lld", (long long)id);
	db_stmt *st = db_prepare(a->db, "SELECT detail FROM audit_log WHERE entity = $1 AND entity_id = $2"
					" AND action = 'transition' AND result = 'ok' ORDER BY id DESC LIMIT 1");
	db_bind_text(st, 1, r->name);
	db_bind_text(st, 2, sid);
	const struct reg_transition *t = NULL;
	if (db_step(st) == DB_ROW) {
		json_t *d = json_loads(db_col_text(st, 0), 0, NULL);
		t = register_transition(r, json_string_value(json_object_get(d, "transition")));
		json_decref(d);
	}
	db_done(st);
	if (!t || !t->returns)
		return NULL;
	const char *why = json_string_value(json_object_get(data, r->fields[t->require[0]].name));
	return why ? why : "";
}

/* The first of r's reminders due for data today, as {label, date}; NULL. */
static json_t *reminder_of(const struct reg_def *r, json_t *data, const char *today)
{
	struct date t;
	if (date_parse(today, &t) != 0)
		return NULL;
	for (int i = 0; i < r->nreminders; i++) {
		const char *day = register_reminder_due(r, &r->reminders[i], data, date_to_days(t));
		if (day)
			return json_pack("{s:s, s:s}", "label", r->reminders[i].label, "date", day);
	}
	return NULL;
}

static json_t *record_item(struct api *a, const struct reg_def *r, db_stmt *st, unsigned others, const char *today)
{
	int64_t id = db_col_int(st, 0);
	int s = register_state(r, db_col_text(st, 2));
	const char *due = db_col_isnull(st, 3) ? NULL : db_col_text(st, 3);
	json_t *data = json_loads(db_col_text(st, 5), 0, NULL);
	const char *kind = s >= 0 && (others & (1u << s)) ? "review" : "todo";
	const char *why = strcmp(kind, "todo") == 0 ? returned_reason(a, r, id, data) : NULL;
	json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:o, s:b, s:s}", "kind", why ? "returned" : kind,
			      "register", r->name, "register_label", r->label, "record_id", (json_int_t)id, "title",
			      db_col_text(st, 1), "state", db_col_text(st, 2), "state_label",
			      s >= 0 ? r->states[s].label : "", "due_date", due ? json_string(due) : json_null(),
			      "overdue", due && !db_col_int(st, 6) && strcmp(due, today) < 0, "body_name",
			      db_col_text(st, 4));
	if (o && why)
		json_object_set_new(o, "reason", json_string(why));
	json_t *remind = o ? reminder_of(r, data, today) : NULL;
	if (remind)
		json_object_set_new(o, "reminder", remind);
	json_decref(data);
	return o;
}

/* The caller's 待办 among the register's records, after select. */
static void todo_query(struct api *a, const struct reg_def *r, struct query *q, const char *select)
{
	query_init(q, select);
	query_raw(q, " FROM records r JOIN bodies b ON b.id = r.body_id WHERE r.closed_date IS NULL");
	query_add(q, " AND r.register = ?", "s", r->name);
	scope_filter(q, &a->user, "r.region_path", "r.body_id");
	api_todo_filter(a, r, q);
}

/* The register's first TODO_MAX records in the caller's 待办 into items;
 * how many there are in all, or -1. */
static int64_t register_items(struct api *a, const struct reg_def *r, const char *today, json_t *items)
{
	struct rec_ctx c;
	struct query q;
	unsigned own, others;
	int64_t n = -1;
	api_rec_ctx(a, &c);
	record_todo_states(&c, r, &own, &others);
	todo_query(a, r, &q, "SELECT r.id, r.title, r.state, r.due_date, b.name, r.data, r.met_date IS NOT NULL");
	query_add(&q, " ORDER BY r.due_date IS NULL, r.due_date, r.id LIMIT ?", "i", (int64_t)TODO_MAX);
	db_stmt *st = query_prepare(a->db, &q);
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, record_item(a, r, st, others, today));
	db_done(st);
	query_free(&q);
	if (rc != DB_DONE)
		return -1;
	todo_query(a, r, &q, "SELECT COUNT(*)");
	st = query_prepare(a->db, &q);
	if (db_step(st) == DB_ROW)
		n = db_col_int(st, 0);
	db_done(st);
	query_free(&q);
	return n;
}

/* The open tasks of the caller's bodies (someone with no body has none). */
static int64_t task_items(struct api *a, const char *today, json_t *items)
{
	struct query q;
	if (a->user.nbodies == 0)
		return 0;
	query_init(&q, "SELECT x.id, x.indicator_id, x.due_date, b.name, x.progress FROM assignments x"
		       " JOIN bodies b ON b.id = x.body_id WHERE x.done_date IS NULL");
	scope_filter(&q, &a->user, "x.region_path", "x.body_id");
	query_raw(&q, " ORDER BY x.due_date, x.id");
	db_stmt *st = query_prepare(a->db, &q);
	int64_t n = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) { /* few per body: all read, all counted */
		char title[96];
		snprintf(title, sizeof title, "指标 %s 分解任务（进度 %lld%%）", db_col_text(st, 1),
			 (long long)db_col_int(st, 4));
		json_array_append_new(items, json_pack("{s:s, s:n, s:I, s:s, s:s, s:b, s:s}", "kind", "task", "register",
						       "record_id", (json_int_t)db_col_int(st, 0), "title", title,
						       "due_date", db_col_text(st, 2), "overdue",
						       strcmp(db_col_text(st, 2), today) < 0, "body_name", db_col_text(st, 3)));
		n++;
	}
	db_done(st);
	query_free(&q);
	return rc == DB_DONE ? n : -1;
}

/* Overdue first, then by due date (none last). */
static int by_urgency(const void *x, const void *y)
{
	json_t *p = *(json_t *const *)x, *q = *(json_t *const *)y;
	int lp = json_is_true(json_object_get(p, "overdue")), lq = json_is_true(json_object_get(q, "overdue"));
	const char *dp = json_string_value(json_object_get(p, "due_date")), *dq = json_string_value(json_object_get(q, "due_date"));
	if (lp != lq)
		return lq - lp;
	if (!dp || !dq)
		return (dp == NULL) - (dq == NULL);
	return strcmp(dp, dq);
}

static void todo(struct api *a)
{
	char today[11];
	json_t *items = json_array();
	int64_t total = 0;
	cn_today(today);
	for (int i = 0; i < register_count() && total >= 0; i++) {
		int64_t n = register_items(a, register_at(i), today, items);
		total = n < 0 ? -1 : total + n;
	}
	int64_t tasks = total < 0 ? -1 : task_items(a, today, items);
	if (tasks < 0) {
		json_decref(items);
		api_error(a, 500, "store_error", NULL, "查询失败: %s", db_errmsg(a->db));
		return;
	}
	size_t n = json_array_size(items);
	json_t **v = n ? malloc(n * sizeof *v) : NULL;
	for (size_t i = 0; v && i < n; i++)
		v[i] = json_incref(json_array_get(items, i));
	if (v)
		qsort(v, n, sizeof *v, by_urgency);
	json_array_clear(items);
	for (size_t i = 0; v && i < n && i < TODO_MAX; i++)
		json_array_append(items, v[i]);
	for (size_t i = 0; v && i < n; i++)
		json_decref(v[i]);
	free(v);
	api_json(a, 200, json_pack("{s:o, s:I, s:s}", "items", items, "total", (json_int_t)(total + tasks), "today", today));
}

API_ROUTES(todo, { "GET", "/api/v1/todo", todo, PERM_RECORD_READ, 0 })
