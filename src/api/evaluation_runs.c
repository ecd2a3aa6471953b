/*
 * evaluation_runs.c — /api/v1/evaluations: stored runs (the system id and
 * version pinned, the result as it was) and reading them back.
 */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/eval_args.h"
#include "eval.h"

static void run_store(struct api *a)
{
	struct fz_err e = { 0 };
	const char *sys, *region, *period;
	struct eval_args x;
	json_t *out = NULL;
	if (api_str(a, "system", "指标体系", 0, 32, &sys, &e) ||
	    api_str(a, "region", "行政区划", 0, 12, &region, &e) || api_str(a, "period", "测评年度", 1, 4, &period, &e)) {
		api_fail(a, &e);
		return;
	}
	if (api_eval_args(a, region, period, sys, &x) != 0)
		return;
	int rc = eval_run(a->db, x.sys, x.region, x.year, &out, &e);
	indicator_system_free(x.sys);
	if (rc != 0) {
		api_fail(a, &e);
		return;
	}
	char *text = json_dumps(out, JSON_COMPACT);
	int64_t id = 0;
	rc = text ? db_begin(a->db) : -1; /* no memory for the result's text: nothing saved, 500 */
	db_stmt *st = rc == 0 ? db_prepare(a->db, "INSERT INTO evaluations(system_id, system_version, region_code, period,"
						  " total, result, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id") : NULL;
	if (st) {
		db_bind_text(st, 1, json_string_value(json_object_get(out, "system")));
		db_bind_text(st, 2, json_string_value(json_object_get(out, "version")));
		db_bind_text(st, 3, x.region);
		db_bind_text(st, 4, period);
		db_bind_int(st, 5, (int64_t)(json_number_value(json_object_get(out, "total")) * 100 + 0.5));
		db_bind_text(st, 6, text);
		db_bind_int(st, 7, a->user.id);
		db_bind_int(st, 8, (int64_t)time(NULL));
		if (db_step(st) == DB_ROW)
			id = db_col_int(st, 0);
		db_run(st);
		db_done(st);
	}
	free(text);
	if (!id || api_audit(a, "create", "evaluation", id, "ok", json_pack("{s:s, s:s}", "region", x.region, "period", period)) != 0 ||
	    db_commit(a->db) != 0) {
		db_rollback(a->db);
		json_decref(out);
		api_error(a, 500, "store_error", NULL, "保存测评结果失败: %s", db_errmsg(a->db));
		return;
	}
	json_object_set_new(out, "id", json_integer(id));
	api_json(a, 201, out);
}

static void runs(struct api *a)
{
	static const struct list_col cols[] = {
		{ "id", "编号", 1 }, { "system", "指标体系", 0 }, { "version", "版本", 0 }, { "region", "区划代码", 0 },
		{ "region_name", "行政区划", 0 }, { "period", "年度", 0 }, { "total_x100", "总分×100", 1 },
		{ "created_at", "测评时间", 1 }, { NULL, NULL, 0 },
	};
	struct query sel, cnt;
	query_init(&sel, "SELECT e.id, e.system_id, e.system_version, e.region_code, g.name, e.period, e.total, e.created_at");
	query_init(&cnt, "SELECT COUNT(*)");
	for (struct query *q = &sel; q; q = q == &sel ? &cnt : NULL) {
		query_raw(q, " FROM evaluations e JOIN regions g ON g.code = e.region_code WHERE 1 = 1");
		scope_filter(q, &a->user, "g.path", NULL);
	}
	api_list(a, &sel, &cnt, "e.id DESC", cols, "测评记录", NULL);
	query_free(&sel);
	query_free(&cnt);
}

static void run_get(struct api *a)
{
	int64_t id = api_param_id(a, 0);
	if (id <= 0)
		return;
	struct query q;
	query_init(&q, "SELECT e.result, e.system_id, e.system_version FROM evaluations e"
		       " JOIN regions g ON g.code = e.region_code WHERE 1 = 1");
	query_add(&q, " AND e.id = ?", "i", id);
	scope_filter(&q, &a->user, "g.path", NULL);
	db_stmt *st = query_prepare(a->db, &q);
	json_t *o = st && db_step(st) == DB_ROW ? json_loads(db_col_text(st, 0), 0, NULL) : NULL;
	if (o) { /* the system and version the run was made with, as pinned */
		json_object_set_new(o, "system", json_string(db_col_text(st, 1)));
		json_object_set_new(o, "version", json_string(db_col_text(st, 2)));
	}
	db_done(st);
	query_free(&q);
	if (!o) {
		api_not_found(a);
		return;
	}
	json_object_set_new(o, "id", json_integer(id));
	api_json(a, 200, o);
}

API_ROUTES(evaluation_runs,
	{ "GET", "/api/v1/evaluations", runs, PERM_EVAL_READ, 0 },
	{ "POST", "/api/v1/evaluations", run_store, PERM_EVAL_RUN, 0, 0, FIELDS("system", "region", "period") },
	{ "GET", "/api/v1/evaluations/{id}", run_get, PERM_EVAL_READ, 0 })
