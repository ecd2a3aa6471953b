/*
 * evaluation.c — /api/v1/evaluation…: indicator systems (list, load a new
 * one with line-numbered errors), the live evaluation of a region and year,
 * the ranking of its subregions, drill-down from a metric to its records,
 * stored runs, and the gap list turned into items of the register that
 * receives gaps (its definition's "receives_gaps").
 */
#include "api.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eval.h"
#include "metrics.h"
#include "record.h"

/* Region (default: the caller's scope or the top), year and system from
 * the query; answers the error itself and returns -1. */
struct eval_args {
	char region[16], path[128], name[64];
	int year;
	struct indicator_system *sys;
};

static int eval_args(struct api *a, const char *region, const char *period, const char *system,
		     struct eval_args *x)
{
	struct fz_err e = { 0 };
	memset(x, 0, sizeof *x);
	if (!region || !*region)
		region = a->user.scope_region[0] ? a->user.scope_region : NULL;
	if (!region) {
		db_stmt *st = db_prepare(a->db, "SELECT code FROM regions WHERE parent_code IS NULL ORDER BY code LIMIT 1");
		if (st && db_step(st) == DB_ROW)
			snprintf(x->region, sizeof x->region, "%s", db_col_text(st, 0));
		db_done(st);
	} else {
		snprintf(x->region, sizeof x->region, "%s", region);
	}
	if (eval_region_path(a->db, x->region, x->path, sizeof x->path, x->name, sizeof x->name) != 0 ||
	    !scope_has_path(&a->user, x->path)) {
		api_error(a, 404, "not_found", "region", "行政区划 %s 不存在或不在您的管辖范围内", x->region);
		return -1;
	}
	char *end = NULL;
	x->year = period ? (int)strtol(period, &end, 10) : 0;
	if (!period || *end || x->year < 2000 || x->year > 2100) {
		api_error(a, 400, "bad_param", "period", "参数 period 应为年份，如 2025");
		return -1;
	}
	x->sys = eval_system(a->db, system && *system ? system : NULL, &e);
	if (!x->sys) {
		api_fail(a, &e);
		return -1;
	}
	return 0;
}

static int query_args(struct api *a, struct eval_args *x)
{
	return eval_args(a, http_query(a->r, "region"), http_query(a->r, "period"), http_query(a->r, "system"), x);
}

static void systems(struct api *a)
{
	json_t *items = eval_systems_list(a->db);
	if (!items) {
		struct fz_err e = { 0 };
		fz_store(&e, a->db);
		api_fail(a, &e);
		return;
	}
	api_json(a, 200, json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)json_array_size(items)));
}

/* The file as text: lines, tabs and the rest are the loader's to check
 * (it names the line), so not api_str, which refuses every control
 * character including the newlines. */
static int system_text(struct api *a, const char **out, struct fz_err *e)
{
	json_t *v = json_object_get(a->body, "text");
	*out = NULL;
	if (!json_is_string(v) || !json_string_length(v))
		return fz_invalid(e, "text", "指标体系文本（text）为必填项，应为字符串");
	if (strlen(json_string_value(v)) != json_string_length(v))
		return fz_invalid(e, "text", "指标体系文本（text）不能包含空字符");
	if (json_string_length(v) > 1000000)
		return fz_invalid(e, "text", "指标体系文本（text）不能超过 1000000 字节");
	*out = json_string_value(v);
	return 0;
}

/* Loading and activating a system decide what every region is scored by:
 * acts of a coordinator whose scope is the whole installation (scope.h),
 * checked before anything in the request is read. A refusal is audited. */
static int require_top(struct api *a, const char *action)
{
	int top = scope_is_top(a->db, &a->user);
	if (top == 1)
		return 0;
	if (top < 0) {
		struct fz_err e = { 0 };
		fz_store(&e, a->db);
		api_fail(a, &e);
		return -1;
	}
	if (api_audit(a, action, "indicator_system", 0, "refused",
		      json_pack("{s:s, s:s}", "reason", "scope_below_top", "scope", a->user.scope_region)) != 0) {
		api_error(a, 500, "store_error", NULL, "写入审计日志失败");
		return -1;
	}
	api_error(a, 403, "forbidden", NULL, "只有管辖范围为最高一级行政区划（全部辖区）的协调员可以加载或启用指标体系");
	return -1;
}

/* A refused load (shipped id) is audited with the reason. */
static void system_load_fail(struct api *a, struct fz_err *e, json_t *problems)
{
	if (!e->code)
		fz_store(e, a->db);
	if (e->status == 403)
		api_audit(a, "create", "indicator_system", 0, "refused", json_pack("{s:s}", "reason", e->msg));
	json_t *err = json_pack("{s:s, s:s, s:o}", "code", e->code, "message", e->msg, "problems", problems);
	if (e->field)
		json_object_set_new(err, "field", json_string(e->field));
	api_json(a, e->status, json_pack("{s:o}", "error", err));
}

static void system_load(struct api *a)
{
	static const char *const fields[] = { "text", NULL };
	struct fz_err e = { 0 };
	const char *text;
	if (require_top(a, "create") != 0)
		return;
	json_t *problems = json_array(), *saved = NULL;
	if (api_fields_allowed(a, fields, &e) || system_text(a, &text, &e)) {
		json_decref(problems);
		api_fail(a, &e);
		return;
	}
	int rc = db_begin(a->db);
	if (rc == 0)
		rc = eval_system_save(a->db, text, a->user.id, problems, &saved, &e);
	if (rc == 0)
		rc = api_audit(a, "create", "indicator_system", 0, "ok", json_deep_copy(saved));
	if (rc != 0 || db_commit(a->db) != 0) {
		db_rollback(a->db);
		json_decref(saved);
		system_load_fail(a, &e, problems);
		return;
	}
	json_decref(problems);
	api_json(a, 201, saved);
}

/* POST …/{id}/versions/{version}/activate: from now on the system id is
 * evaluated with this version; the act and the version it replaces are
 * audited. */
static void system_activate(struct api *a)
{
	struct fz_err e = { 0 };
	json_t *out = NULL;
	if (require_top(a, "activate") != 0)
		return;
	int rc = db_begin(a->db);
	if (rc == 0)
		rc = eval_system_activate(a->db, a->param[0], a->param[1], a->user.id, &out, &e);
	if (rc == 0)
		rc = api_audit(a, "activate", "indicator_system", 0, "ok", json_deep_copy(out));
	if (rc != 0 || db_commit(a->db) != 0) {
		db_rollback(a->db);
		json_decref(out);
		if (!e.code)
			fz_store(&e, a->db);
		if (e.status == 403)
			api_audit(a, "activate", "indicator_system", 0, "refused", json_pack("{s:s}", "reason", e.msg));
		api_fail(a, &e);
		return;
	}
	api_json(a, 200, out);
}

/* One system's indicators as loaded (for forms and decomposition). */
static void system_get(struct api *a)
{
	struct fz_err e = { 0 };
	const char *version = http_query(a->r, "version");
	struct indicator_system *s = eval_system_version(a->db, a->param[0], version && *version ? version : NULL, &e);
	if (!s) {
		api_fail(a, &e);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < s->n; i++) {
		const struct indicator *it = &s->items[i];
		json_t *o = json_pack("{s:s, s:i, s:s, s:s, s:f}", "id", it->id, "level", it->level, "name", it->name,
				      "kind", indicator_kind_name(it->kind), "weight", it->weight);
		json_object_set_new(o, "parent", it->parent >= 0 ? json_string(s->items[it->parent].id) : json_null());
		if (it->formula)
			json_object_set_new(o, "formula", json_string(formula_source(it->formula)));
		json_array_append_new(items, o);
	}
	api_json(a, 200, json_pack("{s:s, s:s, s:s, s:f, s:o}", "id", s->id, "version", s->version, "name", s->name,
				   "total", s->total, "indicators", items));
	indicator_system_free(s);
}

static void live(struct api *a)
{
	struct eval_args x;
	struct fz_err e = { 0 };
	json_t *out;
	if (query_args(a, &x) != 0)
		return;
	if (eval_run(a->db, x.sys, x.region, x.year, &out, &e) != 0)
		api_fail(a, &e);
	else
		api_json(a, 200, out);
	indicator_system_free(x.sys);
}

/* Subregions ranked by total, with each level-1 area's score. */
static void compare(struct api *a)
{
	struct eval_args x;
	if (query_args(a, &x) != 0)
		return;
	json_t *rows = json_array();
	db_stmt *st = db_prepare(a->db, "SELECT code FROM regions WHERE parent_code = $1 ORDER BY code");
	db_bind_text(st, 1, x.region);
	char codes[64][16];
	int n = 0;
	while (db_step(st) == DB_ROW && n < 64)
		snprintf(codes[n++], sizeof codes[0], "%s", db_col_text(st, 0));
	db_done(st);
	for (int i = 0; i < n; i++) {
		struct fz_err e = { 0 };
		json_t *out, *areas = json_array(), *it;
		size_t k;
		if (eval_run(a->db, x.sys, codes[i], x.year, &out, &e) != 0)
			continue;
		json_array_foreach(json_object_get(out, "indicators"), k, it)
			if (json_integer_value(json_object_get(it, "level")) == 1)
				json_array_append_new(areas, json_pack("{s:O, s:O, s:O, s:O}", "id", json_object_get(it, "id"),
								       "name", json_object_get(it, "name"), "score",
								       json_object_get(it, "score"), "max", json_object_get(it, "max")));
		json_array_append_new(rows, json_pack("{s:s, s:O, s:O, s:O, s:o}", "region", codes[i], "region_name",
						      json_object_get(out, "region_name"), "total", json_object_get(out, "total"),
						      "below", json_object_get(out, "below"), "areas", areas));
		json_decref(out);
	}
	/* Rank by total, highest first (insertion sort: n ≤ 64). */
	for (size_t i = 1; i < json_array_size(rows); i++)
		for (size_t j = i; j > 0; j--) {
			double p = json_number_value(json_object_get(json_array_get(rows, j - 1), "total"));
			double q = json_number_value(json_object_get(json_array_get(rows, j), "total"));
			if (p >= q)
				break;
			json_t *t = json_incref(json_array_get(rows, j));
			json_array_set(rows, j, json_array_get(rows, j - 1));
			json_array_set_new(rows, j - 1, t);
		}
	api_json(a, 200, json_pack("{s:s, s:s, s:i, s:s, s:o}", "region", x.region, "region_name", x.name,
				   "period", x.year, "system", x.sys->id, "items", rows));
	indicator_system_free(x.sys);
}

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
	if (query_args(a, &x) != 0)
		return;
	indicator_system_free(x.sys);
	int64_t total = 0, value = 0;
	char from[11], to[11];
	snprintf(from, sizeof from, "%04d-01-01", x.year);
	snprintf(to, sizeof to, "%04d-12-31", x.year);
	json_t *items = eval_drill(a->db, &a->user, metric, x.path, x.year, 500, &total, &e);
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
	api_json(a, 200, json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:o}", "metric", metric, "label", m->label,
				   "register", r->name, "register_label", r->label, "region", x.region,
				   "value", (json_int_t)value, "total", (json_int_t)total, "items", items));
}

static void run_store(struct api *a)
{
	static const char *const fields[] = { "system", "region", "period", NULL };
	struct fz_err e = { 0 };
	const char *sys, *region, *period;
	struct eval_args x;
	json_t *out = NULL;
	if (api_fields_allowed(a, fields, &e) || api_str(a, "system", "指标体系", 0, 32, &sys, &e) ||
	    api_str(a, "region", "行政区划", 0, 12, &region, &e) || api_str(a, "period", "测评年度", 1, 4, &period, &e)) {
		api_fail(a, &e);
		return;
	}
	if (eval_args(a, region, period, sys, &x) != 0)
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

/* The item a gap becomes in the receiving register (data owned). */
static json_t *gap_item(const struct reg_def *r, json_t *res, const char *ind, int year, json_t *deadline)
{
	const struct reg_gaps *g = &r->gaps;
	char issue[512];
	snprintf(issue, sizeof issue, "%s %s（%d年度测评：得分 %.2f / %.2f）", ind,
		 json_string_value(json_object_get(res, "name")), year,
		 json_number_value(json_object_get(res, "score")), json_number_value(json_object_get(res, "max")));
	json_t *data = json_object();
	json_object_set_new(data, r->fields[g->source_field].name, json_string(g->source_value));
	json_object_set_new(data, r->fields[g->issue_field].name, json_string(issue));
	json_object_set_new(data, r->fields[g->indicator_field].name, json_string(ind));
	json_object_set(data, r->fields[r->deadline.field].name, deadline);
	return data;
}

/* Gap list → items of the register that receives gaps: one per
 * {indicator, body, deadline}, all or none. */
static void gaps_to_items(struct api *a)
{
	static const char *const fields[] = { "system", "region", "period", "items", NULL };
	struct fz_err e = { 0 };
	json_t *items = json_object_get(a->body, "items"), *it;
	size_t i;
	if (api_fields_allowed(a, fields, &e) != 0 || !json_is_array(items) || json_array_size(items) == 0 ||
	    json_array_size(items) > 200) {
		if (!e.code)
			fz_invalid(&e, "items", "items 应为 1 到 200 个 {indicator, body, deadline} 的数组");
		api_fail(a, &e);
		return;
	}
	struct eval_args x;
	json_t *out = NULL;
	if (eval_args(a, json_string_value(json_object_get(a->body, "region")),
		      json_string_value(json_object_get(a->body, "period")),
		      json_string_value(json_object_get(a->body, "system")), &x) != 0)
		return;
	int rc = eval_run(a->db, x.sys, x.region, x.year, &out, &e);
	const struct reg_def *r = register_gap_receiver();
	struct rec_ctx c;
	json_t *created = json_array();
	api_rec_ctx(a, &c);
	if (rc == 0 && !r)
		rc = fz_fail(&e, 409, "no_gap_register", NULL, "没有登记簿接收指标短板（登记簿定义中未声明 receives_gaps）");
	if (rc == 0)
		rc = db_begin(a->db);
	json_array_foreach(items, i, it) {
		const char *ind = json_string_value(json_object_get(it, "indicator"));
		int k = rc == 0 && ind ? indicator_find(x.sys, ind) : -1;
		json_t *res = k >= 0 ? json_array_get(json_object_get(out, "indicators"), (size_t)k) : NULL;
		if (rc == 0 && !res)
			rc = fz_invalid(&e, "items", "第 %zu 项: 指标 %s 不存在", i + 1, ind ? ind : "(空)");
		if (rc != 0)
			break;
		json_t *data = gap_item(r, res, ind, x.year, json_object_get(it, "deadline"));
		int64_t id;
		rc = record_create(&c, r, json_string_value(json_object_get(it, "body")), NULL, data, &id, &e);
		json_decref(data);
		if (rc == 0)
			json_array_append_new(created, json_integer(id));
	}
	indicator_system_free(x.sys);
	json_decref(out);
	if (rc != 0 || db_commit(a->db) != 0) {
		db_rollback(a->db);
		json_decref(created);
		if (!e.code)
			fz_store(&e, a->db);
		api_fail(a, &e);
		return;
	}
	api_json(a, 201, json_pack("{s:o, s:I}", "created", created, "total", (json_int_t)json_array_size(created)));
}

API_ROUTES(evaluation,
	{ "GET", "/api/v1/indicator-systems", systems, PERM_EVAL_READ, 0 },
	{ "POST", "/api/v1/indicator-systems", system_load, PERM_EVAL_RUN, 0 },
	{ "GET", "/api/v1/indicator-systems/{id}", system_get, PERM_EVAL_READ, 0 },
	{ "POST", "/api/v1/indicator-systems/{id}/versions/{version}/activate", system_activate, PERM_EVAL_RUN, 0 },
	{ "GET", "/api/v1/evaluation", live, PERM_EVAL_READ, 0 },
	{ "GET", "/api/v1/evaluation/compare", compare, PERM_EVAL_READ, 0 },
	{ "GET", "/api/v1/evaluation/drill", drill, PERM_EVAL_READ, 0 },
	{ "POST", "/api/v1/evaluation/gaps", gaps_to_items, PERM_EVAL_RUN, 0 },
	{ "GET", "/api/v1/evaluations", runs, PERM_EVAL_READ, 0 },
	{ "POST", "/api/v1/evaluations", run_store, PERM_EVAL_RUN, 0 },
	{ "GET", "/api/v1/evaluations/{id}", run_get, PERM_EVAL_READ, 0 })
