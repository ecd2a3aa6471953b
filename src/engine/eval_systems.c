/*
 * eval_systems.c — the indicator systems evaluation can use: the shipped
 * ones (embedded), the ones loaded into the store with their versions, the
 * active version of each, and the metric names a formula may use (eval.h).
 */
#include "eval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "embedded.h"
#include "metrics.h"
#include "org_metrics.h"
#include "register.h"

int eval_metric_names(const char **out, int max)
{
	int n = 0;
	char why[256];
	register_load_builtin(why, sizeof why);
	for (int i = 0; i < register_count(); i++)
		for (int k = 0; k < register_at(i)->nmetrics && n < max; k++)
			out[n++] = register_at(i)->metrics[k].name;
	for (int i = 0; i < org_metric_count() && n < max; i++)
		out[n++] = org_metric_name(i);
	return n;
}

static struct indicator_system *parse(const char *text, struct indicator_diags *dg)
{
	const char *names[METRICS_MAX];
	int n = eval_metric_names(names, METRICS_MAX);
	return indicator_system_parse(text, strlen(text), names, n, dg);
}

/* The shipped system with this id (NULL: the default, the first shipped
 * one), parsed; NULL when none. */
static struct indicator_system *shipped(const char *id)
{
	struct indicator_diags dg;
	for (int i = 0; i < indicator_files_count; i++) {
		struct indicator_system *b = parse(indicator_files[i].text, &dg);
		if (b && (!id || strcmp(b->id, id) == 0))
			return b;
		indicator_system_free(b);
	}
	return NULL;
}

int eval_system_shipped(const char *id)
{
	struct indicator_system *s = id ? shipped(id) : NULL;
	indicator_system_free(s);
	return s != NULL;
}

/* A loaded system's text: the given version, or (version NULL) the active
 * one. 0 with *text NULL when there is none, -1 on a store error. */
static int stored_text(db *d, const char *id, const char *version, char **text)
{
	*text = NULL;
	int rc = version ? db_lookup_text(d, "SELECT text FROM indicator_systems WHERE id = $1 AND version = $2", text, 2,
					  id, version)
			 : db_lookup_text(d, "SELECT s.text FROM indicator_systems s JOIN indicator_activations v"
					     " ON v.system_id = s.id AND v.version = s.version WHERE s.id = $1", text, 1, id);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

struct indicator_system *eval_system_version(db *d, const char *id, const char *version, struct fz_err *e)
{
	struct indicator_diags dg;
	struct indicator_system *s = NULL;
	char *text = NULL;
	/* A shipped id is the release's, whatever the store holds. */
	if ((!id || eval_system_shipped(id)) && (s = shipped(id)) != NULL) {
		if (!version || strcmp(version, s->version) == 0)
			return s;
		indicator_system_free(s);
		fz_fail(e, 404, "not_found", "version", "内置指标体系 %s 没有版本 %s", id, version);
		return NULL;
	}
	if (id && stored_text(d, id, version, &text) != 0) {
		fz_store(e, d);
		return NULL;
	}
	if (text) {
		s = parse(text, &dg);
		free(text);
	}
	if (!s && version)
		fz_fail(e, 404, "not_found", "version", "指标体系 %s 的版本 %s 不存在", id ? id : "(默认)", version);
	else if (!s)
		fz_fail(e, 404, "not_found", "system", "指标体系 %s 不存在或没有已启用的版本", id ? id : "(默认)");
	return s;
}

struct indicator_system *eval_system(db *d, const char *id, struct fz_err *e)
{
	return eval_system_version(d, id, NULL, e);
}

json_t *eval_systems_list(db *d)
{
	json_t *items = json_array();
	struct indicator_diags dg;
	for (int i = 0; i < indicator_files_count; i++) {
		struct indicator_system *s = parse(indicator_files[i].text, &dg);
		if (s)
			json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:i, s:b}", "id", s->id, "version",
							       s->version, "name", s->name, "source", "内置",
							       "indicators", s->n, "active", 1));
		indicator_system_free(s);
	}
	db_stmt *st = db_prepare(d, "SELECT s.id, s.version, s.name, v.version IS NOT NULL FROM indicator_systems s"
				   " LEFT JOIN indicator_activations v ON v.system_id = s.id AND v.version = s.version"
				   " ORDER BY s.id, s.version");
	int rc = DB_ERR;
	while (st && (rc = db_step(st)) == DB_ROW) {
		if (eval_system_shipped(db_col_text(st, 0)))
			continue; /* loaded before shipped ids were refused: never used */
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:b}", "id", db_col_text(st, 0), "version",
						       db_col_text(st, 1), "name", db_col_text(st, 2), "source", "导入",
						       "active", db_col_int(st, 3) == 1));
	}
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(items);
		return NULL;
	}
	return items;
}

int eval_system_save(db *d, const char *text, int64_t actor, json_t *problems, json_t **saved, struct fz_err *e)
{
	struct indicator_diags dg;
	struct indicator_system *s = parse(text, &dg);
	if (!s) {
		for (int i = 0; i < dg.n; i++)
			json_array_append_new(problems, json_pack("{s:i, s:s}", "line", dg.d[i].line, "message", dg.d[i].msg));
		return fz_fail(e, 422, "invalid", "text", "指标体系有 %d 处错误，第一处在第 %d 行: %s", dg.n + dg.more,
			       dg.n ? dg.d[0].line : 0, dg.n ? dg.d[0].msg : "");
	}
	if (eval_system_shipped(s->id)) {
		fz_fail(e, 403, "forbidden", "text", "指标体系 %s 是内置体系，只能随版本发布更新，请使用其他标识", s->id);
		indicator_system_free(s);
		return -1;
	}
	db_stmt *st = db_prepare(d, "INSERT INTO indicator_systems(id, version, name, text, created_by, created_at)"
				   " VALUES ($1, $2, $3, $4, $5, $6)");
	int rc = DB_ERR;
	if (st) {
		db_bind_text(st, 1, s->id);
		db_bind_text(st, 2, s->version);
		db_bind_text(st, 3, s->name);
		db_bind_text(st, 4, text);
		db_bind_int(st, 5, actor);
		db_bind_int(st, 6, (int64_t)time(NULL));
		rc = db_run(st);
		db_done(st);
	}
	if (rc == DB_DONE && !(*saved = json_pack("{s:s, s:s, s:s, s:i, s:b}", "id", s->id, "version", s->version, "name",
						  s->name, "indicators", s->n, "active", 0)))
		rc = DB_ERR;
	if (rc == DB_CONSTRAINT)
		fz_fail(e, 409, "conflict", "text", "指标体系 %s 的版本 %s 已存在，请修改版本号", s->id, s->version);
	else if (rc != DB_DONE)
		fz_store(e, d);
	indicator_system_free(s);
	return rc == DB_DONE ? 0 : -1;
}

/* The active version of a loaded system into out ("" when none). */
static int active_version(db *d, const char *id, char *out, size_t n)
{
	db_stmt *st = db_prepare(d, "SELECT version FROM indicator_activations WHERE system_id = $1");
	out[0] = 0;
	if (!st)
		return -1;
	db_bind_text(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		snprintf(out, n, "%s", db_col_text(st, 0));
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

int eval_system_activate(db *d, const char *id, const char *version, int64_t actor, json_t **out, struct fz_err *e)
{
	char prev[64];
	if (eval_system_shipped(id))
		return fz_fail(e, 403, "forbidden", "id", "指标体系 %s 是内置体系，只能随版本发布更新", id);
	struct indicator_system *s = eval_system_version(d, id, version, e);
	if (!s)
		return -1;
	indicator_system_free(s);
	if (active_version(d, id, prev, sizeof prev) != 0)
		return fz_store(e, d);
	db_stmt *st = db_prepare(d, "INSERT INTO indicator_activations(system_id, version, activated_by, activated_at)"
				   " VALUES ($1, $2, $3, $4) ON CONFLICT(system_id) DO UPDATE SET version = excluded.version,"
				   " activated_by = excluded.activated_by, activated_at = excluded.activated_at");
	if (!st)
		return fz_store(e, d);
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, version);
	db_bind_int(st, 3, actor);
	db_bind_int(st, 4, (int64_t)time(NULL));
	int rc = db_run(st);
	db_done(st);
	if (rc != DB_DONE)
		return fz_store(e, d);
	*out = json_pack("{s:s, s:s, s:b, s:o}", "id", id, "version", version, "active", 1, "previous",
			 prev[0] ? json_string(prev) : json_null());
	return *out ? 0 : fz_fail(e, 500, "internal", NULL, "内存不足");
}
