/*
 * workbench.c — GET /api/v1/workbench: what the caller has to do today
 * (工作台), per register and for the tasks: records where the next step is
 * the caller's (待办), due within the setting due_soon_working_days, and
 * overdue — each a count the console turns into the filtered list. The
 * same conditions serve the register lists (todo=1, status=due_soon).
 */
#include "api.h"

#include <stdio.h>
#include <string.h>

#include "cntime.h"
#include "due.h"
#include "record.h"
#include "register.h"

/* " AND <col> [NOT] IN (the user's bodies)". */
static void bodies_in(struct query *q, const struct user *u, int in)
{
	query_raw(q, in ? " AND r.body_id IN (" : " AND r.body_id NOT IN (");
	for (int i = 0; i < u->nbodies; i++)
		query_add(q, i ? ", ?" : "?", "i", u->bodies[i]);
	query_raw(q, ")");
}

/* "r.state IN (the states of mask)". */
static void states_in(struct query *q, const struct reg_def *r, unsigned mask)
{
	int first = 1;
	query_raw(q, "r.state IN (");
	for (int s = 0; s < r->nstates; s++)
		if (mask & (1u << s)) {
			query_add(q, first ? "?" : ", ?", "s", r->states[s].name);
			first = 0;
		}
	query_raw(q, ")");
}

void api_todo_filter(struct api *a, const struct reg_def *r, struct query *q)
{
	struct rec_ctx c;
	unsigned own, others;
	api_rec_ctx(a, &c);
	record_todo_states(&c, r, &own, &others);
	if (!own && !others) {
		query_raw(q, " AND 1 = 0");
		return;
	}
	query_raw(q, " AND (1 = 0");
	if (own) {
		query_raw(q, " OR (");
		states_in(q, r, own);
		bodies_in(q, &a->user, 1);
		query_raw(q, ")");
	}
	if (others) {
		query_raw(q, " OR (");
		states_in(q, r, others);
		if (a->user.nbodies > 0)
			bodies_in(q, &a->user, 0);
		query_raw(q, ")");
	}
	query_raw(q, ")");
}

void api_due_soon_until(struct api *a, char out[11])
{
	char today[11];
	cn_today(today);
	due_soon_until(today, a->app->cfg.due_soon_working_days, out);
}

/* COUNT(*) of a query built by the caller; -1 on a store error. */
static int64_t count(struct api *a, struct query *q)
{
	db_stmt *st = query_prepare(a->db, q);
	int64_t n = st && db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	query_free(q);
	return n;
}

enum what { TODO, DUE_SOON, OVERDUE };

static int64_t records_count(struct api *a, const struct reg_def *r, enum what w, const char *today, const char *until)
{
	struct query q;
	query_init(&q, "SELECT COUNT(*) FROM records r WHERE r.closed_date IS NULL");
	query_add(&q, " AND r.register = ?", "s", r->name);
	scope_filter(&q, &a->user, "r.region_path", "r.body_id");
	if (w == TODO)
		api_todo_filter(a, r, &q);
	else if (w == DUE_SOON)
		query_add(&q, " AND r.met_date IS NULL AND r.due_date >= ? AND r.due_date <= ?", "ss", today, until);
	else
		query_add(&q, " AND r.met_date IS NULL AND r.due_date < ?", "s", today);
	return count(a, &q);
}

static int64_t task_count(struct api *a, enum what w, const char *today, const char *until)
{
	struct query q;
	query_init(&q, "SELECT COUNT(*) FROM assignments x WHERE x.done_date IS NULL");
	scope_filter(&q, &a->user, "x.region_path", "x.body_id");
	if (w == DUE_SOON)
		query_add(&q, " AND x.due_date >= ? AND x.due_date <= ?", "ss", today, until);
	else
		query_add(&q, " AND x.due_date < ?", "s", today);
	return count(a, &q);
}

static void workbench(struct api *a)
{
	char today[11], until[11];
	cn_today(today);
	api_due_soon_until(a, until);
	json_t *regs = json_array();
	int failed = 0;
	for (int i = 0; i < register_count(); i++) {
		const struct reg_def *r = register_at(i);
		int64_t todo = records_count(a, r, TODO, today, until), soon = records_count(a, r, DUE_SOON, today, until),
			late = records_count(a, r, OVERDUE, today, until);
		failed |= todo < 0 || soon < 0 || late < 0;
		json_array_append_new(regs, json_pack("{s:s, s:s, s:I, s:I, s:I}", "name", r->name, "label", r->label, "todo",
						      (json_int_t)todo, "due_soon", (json_int_t)soon, "overdue", (json_int_t)late));
	}
	int64_t tsoon = task_count(a, DUE_SOON, today, until), tlate = task_count(a, OVERDUE, today, until);
	if (failed || tsoon < 0 || tlate < 0) {
		json_decref(regs);
		api_error(a, 500, "store_error", NULL, "查询失败: %s", db_errmsg(a->db));
		return;
	}
	api_json(a, 200, json_pack("{s:s, s:s, s:o, s:{s:I, s:I}}", "today", today, "due_soon_until", until, "registers",
				   regs, "tasks", "due_soon", (json_int_t)tsoon, "overdue", (json_int_t)tlate));
}

API_ROUTES(workbench, { "GET", "/api/v1/workbench", workbench, PERM_RECORD_READ, 0 })
