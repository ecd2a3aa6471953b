/*
 * indicator_systems.c — /api/v1/indicator-systems: the systems evaluation
 * can use (shipped and loaded), loading a new one (a top-level act: 403
 * before its text is parsed for a coordinator below the top region;
 * line-numbered errors) and activating a version (audited).
 */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/eval_args.h"
#include "eval.h"

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
		return fz_invalid(e, "text", "指标体系文本为必填项，应为字符串");
	if (strlen(json_string_value(v)) != json_string_length(v))
		return fz_invalid(e, "text", "指标体系文本不能包含空字符");
	if (json_string_length(v) > 1000000)
		return fz_invalid(e, "text", "指标体系文本不能超过 1000000 字节");
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

static int guard_load(struct api *a) { return require_top(a, "create"); }
static int guard_activate(struct api *a) { return require_top(a, "activate"); }

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
	struct fz_err e = { 0 };
	const char *text;
	json_t *problems = json_array(), *saved = NULL;
	if (system_text(a, &text, &e)) {
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

API_ROUTES(indicator_systems,
	{ "GET", "/api/v1/indicator-systems", systems, PERM_EVAL_READ, 0 },
	{ "POST", "/api/v1/indicator-systems", system_load, PERM_EVAL_RUN, 0, 0, FIELDS("text"), guard_load },
	{ "GET", "/api/v1/indicator-systems/{id}", system_get, PERM_EVAL_READ, 0 },
	{ "POST", "/api/v1/indicator-systems/{id}/versions/{version}/activate", system_activate, PERM_EVAL_RUN, 0, 0, NO_FIELDS, guard_activate })
