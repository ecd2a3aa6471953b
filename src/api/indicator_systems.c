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
	api_items(a, eval_systems_list(a->db));
}

/* Loading and activating a system decide what every region is scored by:
 * acts of a coordinator whose scope is the whole installation. */
#define TOP_REFUSAL "只有管辖范围为最高一级行政区划（全部辖区）的协调员可以加载或启用指标体系"
static int guard_load(struct api *a) { return api_require_top(a, "create", "indicator_system", TOP_REFUSAL); }
static int guard_activate(struct api *a) { return api_require_top(a, "activate", "indicator_system", TOP_REFUSAL); }

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
	if (api_file_text(a, "text", "指标体系文本", 1000000, &text, &e)) {
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
