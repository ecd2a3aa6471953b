/*
 * draws_public.c — the public 双随机 draws (no login; 一公开, 优化营商环境
 * 条例 第五十四条): GET /api/v1/public/draws, newest first, 20 a page, each
 * with its spec summary, the SM3 hash of its seed from the moment it is
 * created and, once run, the seed and the number of enterprises drawn;
 * GET /api/v1/public/draws/{id}?page= one draw with its result, 50 a page —
 * each enterprise's name and USCC with its two officers' names and
 * certificate numbers (the public facts of a 双随机 check). The seed is
 * never shown before the run. Anyone can re-run a draw from these
 * (docs/draws.md).
 */
#include "api/api.h"

#include <string.h>

#define PUBLIC_PAGE 20
#define PUBLIC_PICKS_PAGE 50

/* One page of draw id's result as the public sees it; NULL on a store error. */
static json_t *picks(struct api *a, int64_t id, int64_t offset)
{
	db_stmt *st = db_prepare(a->db, "SELECT s.name, s.uscc, p1.name, p1.cert_no, p2.name, p2.cert_no FROM draw_picks k"
					" JOIN subjects s ON s.id = k.subject_id JOIN people p1 ON p1.id = k.inspector1"
					" JOIN people p2 ON p2.id = k.inspector2 WHERE k.draw_id = $1 ORDER BY k.subject_id"
					" LIMIT $2 OFFSET $3");
	json_t *out = json_array();
	int rc;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, PUBLIC_PICKS_PAGE);
	db_bind_int(st, 3, offset);
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(out, json_pack("{s:s, s:s?, s:[{s:s, s:s?}, {s:s, s:s?}]}", "enterprise",
			db_col_text(st, 0), "uscc", db_col_text(st, 1), "inspectors", "name", db_col_text(st, 2), "cert_no",
			db_col_text(st, 3), "name", db_col_text(st, 4), "cert_no", db_col_text(st, 5)));
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* The spec's public summary: what was drawn from, how many, the weights. */
static json_t *summary(const char *text)
{
	json_t *s = json_loads(text ? text : "", 0, NULL), *o;
	if (!s)
		return json_null();
	o = json_pack("{s:O?, s:O?, s:O?, s:O?, s:O?, s:b, s:i}", "region", json_object_get(s, "region"), "industry",
		      json_object_get(s, "industry"), "sample", json_object_get(s, "sample"), "rate",
		      json_object_get(s, "rate"), "weights", json_object_get(s, "weights"), "avoid_same_region",
		      json_is_true(json_object_get(s, "avoid_same_region")), "quiet",
		      (int)json_array_size(json_object_get(s, "quiet")));
	json_decref(s);
	return o ? o : json_null();
}

static const char *const draw_sql =
	"SELECT d.id, d.title, b.name, d.spec, d.seed_hash, d.seed, d.revealed_at, d.population, d.created_at,"
	" (SELECT COUNT(*) FROM draw_picks k WHERE k.draw_id = d.id) FROM draws d JOIN bodies b ON b.id = d.body_id";

static json_t *draw_json(db_stmt *st)
{
	int run = !db_col_isnull(st, 6);
	return json_pack("{s:I, s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:I, s:I}", "id", (json_int_t)db_col_int(st, 0),
			 "title", db_col_text(st, 1), "body", db_col_text(st, 2), "spec", summary(db_col_text(st, 3)),
			 "seed_hash", db_col_text(st, 4), "seed", run ? json_string(db_col_text(st, 5)) : json_null(),
			 "run_at", run ? json_integer(db_col_int(st, 6)) : json_null(), "population",
			 run ? json_integer(db_col_int(st, 7)) : json_null(), "created_at", (json_int_t)db_col_int(st, 8),
			 "picks_total", (json_int_t)db_col_int(st, 9));
}

static void list(struct api *a)
{
	struct page p;
	struct fz_err e = { 0 };
	int64_t total = 0;
	char sql[512];
	if (api_page(a, &p, &e) != 0) {
		api_fail(a, &e);
		return;
	}
	snprintf(sql, sizeof sql, "%s ORDER BY d.id DESC LIMIT $1 OFFSET $2", draw_sql);
	db_stmt *st = db_prepare(a->db, sql);
	json_t *items = json_array();
	int rc;
	db_bind_int(st, 1, PUBLIC_PAGE);
	db_bind_int(st, 2, (p.page - 1) * PUBLIC_PAGE);
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, draw_json(st));
	db_done(st);
	if (rc != DB_DONE || db_lookup_int(a->db, "SELECT COUNT(*) FROM draws", &total, 0) < 0) {
		json_decref(items);
		api_items(a, NULL);
		return;
	}
	api_json(a, 200, json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total));
}

/* One draw with a page of its result (none before the run). */
static void one(struct api *a)
{
	struct page p;
	struct fz_err e = { 0 };
	char sql[512];
	int64_t id = api_param_id(a, 0);
	if (id <= 0)
		return;
	if (api_page(a, &p, &e) != 0) {
		api_fail(a, &e);
		return;
	}
	snprintf(sql, sizeof sql, "%s WHERE d.id = $1", draw_sql);
	db_stmt *st = db_prepare(a->db, sql);
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	json_t *o = rc == DB_ROW ? draw_json(st) : NULL, *items = NULL;
	db_done(st);
	if (rc == DB_DONE) {
		api_error(a, 404, "not_found", NULL, "抽查不存在");
		return;
	}
	if (o && json_is_string(json_object_get(o, "seed")))
		items = picks(a, id, (p.page - 1) * PUBLIC_PICKS_PAGE);
	else if (o)
		items = json_array();
	if (!o || !items) {
		json_decref(o);
		json_decref(items);
		api_items(a, NULL); /* the store error */
		return;
	}
	json_object_set_new(o, "picks", json_pack("{s:o, s:O, s:I, s:i}", "items", items, "total",
						  json_object_get(o, "picks_total"), "page", (json_int_t)p.page,
						  "page_size", PUBLIC_PICKS_PAGE));
	api_json(a, 200, o);
}

API_ROUTES(public_draws, { "GET", "/api/v1/public/draws", list, 0, R_PUBLIC },
	   { "GET", "/api/v1/public/draws/{id}", one, 0, R_PUBLIC })
