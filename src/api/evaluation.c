/*
 * evaluation.c — /api/v1/evaluation: the live evaluation of a region and
 * year, the ranking of its subregions and the drill-down from a metric to
 * the records behind it.
 */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/eval_args.h"
#include "eval.h"
#include "metrics.h"
#include "register.h"

/* Open items the register receiving gaps holds per indicator in the
 * region (within the caller's scope): the gap list shows them beside each
 * gap, so nobody makes a second one. At most OPEN_ITEMS_MAX are read. */
#define OPEN_ITEMS_MAX 2000

static int open_items(struct api *a, const struct eval_args *x, json_t *out)
{
	const struct reg_def *r = register_gap_receiver();
	if (!r)
		return 0;
	struct query q;
	query_init(&q, "SELECT r.id, r.state, r.data, b.name FROM records r JOIN bodies b ON b.id = r.body_id"
		       " WHERE r.closed_date IS NULL");
	query_add(&q, " AND r.register = ?", "s", r->name);
	scope_subtree(&q, "r.region_path", x->path);
	scope_filter(&q, &a->user, "r.region_path", "r.body_id");
	query_add(&q, " ORDER BY r.id LIMIT ?", "i", (int64_t)OPEN_ITEMS_MAX);
	db_stmt *st = query_prepare(a->db, &q);
	query_free(&q);
	json_t *inds = json_object_get(out, "indicators");
	int rc = st ? DB_ROW : DB_ERR;
	while (st && (rc = db_step(st)) == DB_ROW) {
		json_t *data = json_loads(db_col_text(st, 2), 0, NULL);
		const char *ind = json_string_value(json_object_get(data, r->fields[r->gaps.indicator_field].name));
		size_t i;
		json_t *it;
		json_array_foreach(inds, i, it) {
			if (!ind || strcmp(json_string_value(json_object_get(it, "id")), ind) != 0)
				continue;
			int s = register_state(r, db_col_text(st, 1));
			json_t *list = json_object_get(it, "open_items");
			if (!list)
				json_object_set_new(it, "open_items", list = json_array());
			json_array_append_new(list, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)db_col_int(st, 0), "body_name",
							      db_col_text(st, 3), "state_label", s >= 0 ? r->states[s].label : ""));
		}
		json_decref(data);
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static void live(struct api *a)
{
	struct eval_args x;
	struct fz_err e = { 0 };
	json_t *out;
	if (api_eval_query(a, &x) != 0)
		return;
	int rc = eval_run(a->db, x.sys, x.region, x.year, &out, &e);
	if (rc == 0 && open_items(a, &x, out) != 0) {
		json_decref(out);
		rc = fz_store(&e, a->db);
	}
	if (rc != 0)
		api_fail(a, &e);
	else
		api_json(a, 200, out);
	indicator_system_free(x.sys);
}

/* Subregions ranked by total, with each level-1 area's score (eval_rank). */
static void compare(struct api *a)
{
	struct eval_args x;
	struct fz_err e = { 0 };
	if (api_eval_query(a, &x) != 0)
		return;
	json_t *rows = eval_rank(a->db, x.sys, x.region, x.year, &e);
	if (!rows)
		api_fail(a, &e);
	else
		api_json(a, 200, json_pack("{s:s, s:s, s:i, s:s, s:o}", "region", x.region, "region_name", x.name,
					   "period", x.year, "system", x.sys->id, "items", rows));
	indicator_system_free(x.sys);
}

/* Records a drill-down lists; past it the answer says "truncated". */
#define DRILL_MAX_ITEMS 500

static void drill(struct api *a)
{
	struct eval_args x;
	struct fz_err e = { 0 };
	const char *metric = http_query(a->r, "metric");
	const struct reg_def *r;
	const struct reg_metric *m = metric ? metrics_find(metric, &r) : NULL;
	if (!m) {
		api_error(a, 404, "not_found", "metric", "指标数据项 %s 不存在", metric ? metric : "(未指定)");
		return;
	}
	if (api_eval_query(a, &x) != 0)
		return;
	indicator_system_free(x.sys);
	int64_t total = 0, value = 0;
	char from[11], to[11];
	snprintf(from, sizeof from, "%04d-01-01", x.year);
	snprintf(to, sizeof to, "%04d-12-31", x.year);
	json_t *items = eval_drill(a->db, &a->user, metric, x.path, x.year, DRILL_MAX_ITEMS, &total, &e);
	if (!items) {
		api_fail(a, &e);
		return;
	}
	/* The counters hold every body of the region: a body-bound user's value
	 * is the count of its own bodies' records, as listed. */
	if (a->user.nbodies > 0) {
		value = total;
	} else if (metrics_value(a->db, metric, x.path, from, to, &value) != 0) {
		json_decref(items);
		fz_store(&e, a->db);
		api_fail(a, &e);
		return;
	}
	api_json(a, 200, json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:b, s:o}", "metric", metric, "label", m->label,
				   "register", r->name, "register_label", r->label, "region", x.region,
				   "value", (json_int_t)value, "total", (json_int_t)total, "truncated",
				   total > (int64_t)json_array_size(items), "items", items));
}

API_ROUTES(evaluation,
	{ "GET", "/api/v1/evaluation", live, PERM_EVAL_READ, 0 },
	{ "GET", "/api/v1/evaluation/compare", compare, PERM_EVAL_READ, 0 },
	{ "GET", "/api/v1/evaluation/drill", drill, PERM_EVAL_READ, 0 })
