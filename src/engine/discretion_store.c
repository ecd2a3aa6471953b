/*
 * discretion_store.c — the 裁量基准 versions: shipped (embedded) and
 * loaded (table discretion_benchmarks, migration 025); listing, fetching
 * one version parsed, and saving a new one after the loader accepted it.
 */
#include "discretion_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "embedded.h"

static struct discretion_benchmark *parse(const char *text)
{
	struct discretion_diags dg;
	return discretion_parse(text, strlen(text), &dg);
}

/* The shipped benchmark with this id, parsed; NULL when none. */
static struct discretion_benchmark *shipped(const char *id)
{
	for (int i = 0; i < benchmark_files_count; i++) {
		struct discretion_benchmark *b = parse(benchmark_files[i].text);
		if (b && strcmp(b->id, id) == 0)
			return b;
		discretion_free(b);
	}
	return NULL;
}

static json_t *summary(const struct discretion_benchmark *b, const char *source, int64_t created_at)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:I}", "id", b->id, "version", b->version, "name", b->name,
			 "source", source, "violations", b->n, "created_at", (json_int_t)created_at);
}

json_t *discretion_versions(db *d)
{
	json_t *items = json_array();
	for (int i = 0; items && i < benchmark_files_count; i++) {
		struct discretion_benchmark *b = parse(benchmark_files[i].text);
		if (b)
			json_array_append_new(items, summary(b, "内置", 0));
		discretion_free(b);
	}
	db_stmt *st = db_prepare(d, "SELECT id, version, name, violations, created_at FROM discretion_benchmarks"
				   " ORDER BY id, created_at DESC, version DESC");
	int rc = DB_ERR;
	while (st && items && (rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "id", db_col_text(st, 0),
						       "version", db_col_text(st, 1), "name", db_col_text(st, 2),
						       "source", "导入", "violations", (json_int_t)db_col_int(st, 3),
						       "created_at", (json_int_t)db_col_int(st, 4)));
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(items);
		return NULL;
	}
	return items;
}

/* A loaded version's text (the newest when version is NULL): 0 with *text
 * NULL when there is none, -1 on a store error. */
static int stored_text(db *d, const char *id, const char *version, char **text)
{
	*text = NULL;
	int rc = version ? db_lookup_text(d, "SELECT text FROM discretion_benchmarks WHERE id = $1 AND version = $2", text,
					  2, id, version)
			 : db_lookup_text(d, "SELECT text FROM discretion_benchmarks WHERE id = $1"
					     " ORDER BY created_at DESC, version DESC LIMIT 1", text, 1, id);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

struct discretion_benchmark *discretion_get(db *d, const char *id, const char *version, struct fz_err *e)
{
	struct discretion_benchmark *b = shipped(id);
	char *text = NULL;
	if (b) {
		if (!version || strcmp(version, b->version) == 0)
			return b;
		discretion_free(b);
		fz_fail(e, 404, "not_found", "version", "内置裁量基准 %s 没有版本 %s", id, version);
		return NULL;
	}
	if (stored_text(d, id, version, &text) != 0) {
		fz_store(e, d);
		return NULL;
	}
	if (text)
		b = parse(text);
	free(text);
	if (!b && version)
		fz_fail(e, 404, "not_found", "version", "裁量基准 %s 的版本 %s 不存在", id, version);
	else if (!b)
		fz_fail(e, 404, "not_found", "id", "裁量基准 %s 不存在", id);
	return b;
}

/* b when it lists violation, else NULL (b freed). */
static struct discretion_benchmark *holding(struct discretion_benchmark *b, const char *violation)
{
	if (b && discretion_find(b, violation))
		return b;
	discretion_free(b);
	return NULL;
}

struct discretion_benchmark *discretion_for_violation(db *d, const char *violation, const char *version,
						       struct fz_err *e)
{
	struct discretion_benchmark *b = NULL;
	json_t *loaded = json_array();
	db_stmt *st = db_prepare(d, "SELECT id, version FROM discretion_benchmarks ORDER BY created_at DESC, version DESC");
	int rc = DB_ERR;
	while (st && loaded && (rc = db_step(st)) == DB_ROW)
		if (!version || strcmp(version, db_col_text(st, 1)) == 0)
			json_array_append_new(loaded, json_pack("[s, s]", db_col_text(st, 0), db_col_text(st, 1)));
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(loaded);
		fz_store(e, d);
		return NULL;
	}
	/* newest loaded first: an operator's version supersedes the shipped one */
	size_t i;
	json_t *row;
	json_array_foreach(loaded, i, row) {
		char *text = NULL;
		if (stored_text(d, json_string_value(json_array_get(row, 0)), json_string_value(json_array_get(row, 1)),
				&text) != 0) {
			json_decref(loaded);
			fz_store(e, d);
			return NULL;
		}
		b = text ? holding(parse(text), violation) : NULL;
		free(text);
		if (b)
			break;
	}
	json_decref(loaded);
	for (int k = 0; !b && k < benchmark_files_count; k++) {
		b = parse(benchmark_files[k].text);
		if (b && version && strcmp(version, b->version) != 0)
			discretion_free(b), b = NULL;
		b = holding(b, violation);
	}
	if (!b)
		fz_fail(e, 404, "not_found", version ? "version" : "violation", "没有%s%s列有违法行为编码 %s 的裁量基准",
			version ? "版本为 " : "", version ? version : "", violation);
	return b;
}

int discretion_save(db *d, const char *text, int64_t actor, json_t *problems, json_t **saved, struct fz_err *e)
{
	struct discretion_diags dg;
	struct discretion_benchmark *b = discretion_parse(text, strlen(text), &dg), *ship;
	if (!b) {
		for (int i = 0; i < dg.n; i++)
			json_array_append_new(problems, json_pack("{s:i, s:s}", "line", dg.d[i].line, "message", dg.d[i].msg));
		return fz_fail(e, 422, "invalid", "text", "裁量基准有 %d 处错误，第一处在第 %d 行：%s", dg.n + dg.more,
			       dg.n ? dg.d[0].line : 0, dg.n ? dg.d[0].msg : "");
	}
	if ((ship = shipped(b->id)) != NULL) {
		discretion_free(ship);
		fz_fail(e, 403, "forbidden", "text", "裁量基准 %s 是内置基准，只能随版本发布更新，请使用其他编号", b->id);
		discretion_free(b);
		return -1;
	}
	int64_t now = (int64_t)time(NULL);
	db_stmt *st = db_prepare(d, "INSERT INTO discretion_benchmarks(id, version, name, violations, text, created_by,"
				   " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)");
	int rc = DB_ERR;
	if (st) {
		db_bind_text(st, 1, b->id);
		db_bind_text(st, 2, b->version);
		db_bind_text(st, 3, b->name);
		db_bind_int(st, 4, b->n);
		db_bind_text(st, 5, text);
		db_bind_int(st, 6, actor);
		db_bind_int(st, 7, now);
		rc = db_run(st);
		db_done(st);
	}
	if (rc == DB_DONE && !(*saved = summary(b, "导入", now)))
		rc = DB_ERR;
	if (rc == DB_CONSTRAINT)
		fz_fail(e, 409, "conflict", "text", "裁量基准 %s 的版本 %s 已存在，请修改版本号", b->id, b->version);
	else if (rc != DB_DONE)
		fz_store(e, d);
	discretion_free(b);
	return rc == DB_DONE ? 0 : -1;
}
