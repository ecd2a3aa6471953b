/*
 * draws_public.c — the public list of 双随机 draws (no login; 一公开,
 * 优化营商环境条例 第五十四条): GET /api/v1/public/draws, newest first, 20
 * a page, each with its spec summary and the SM3 hash of its seed from the
 * moment it is created; once run, the seed and the result — each
 * enterprise's name and USCC with its two officers' names and certificate
 * numbers (the public facts of a 双随机 check). The seed is never shown
 * before the run. Anyone can re-run a draw from these (docs/draws.md).
 */
#include "api/api.h"

#include <string.h>

#define PUBLIC_PAGE 20

/* The result of draw id as the public sees it; NULL on a store error. */
static json_t *picks(struct api *a, int64_t id)
{
	db_stmt *st = db_prepare(a->db, "SELECT s.name, s.uscc, p1.name, p1.cert_no, p2.name, p2.cert_no FROM draw_picks k"
					" JOIN subjects s ON s.id = k.subject_id JOIN people p1 ON p1.id = k.inspector1"
					" JOIN people p2 ON p2.id = k.inspector2 WHERE k.draw_id = $1 ORDER BY k.subject_id");
	json_t *out = json_array();
	int rc;
	db_bind_int(st, 1, id);
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

static void list(struct api *a)
{
	struct page p;
	struct fz_err e = { 0 };
	int64_t total = 0;
	if (api_page(a, &p, &e) != 0) {
		api_fail(a, &e);
		return;
	}
	p.limit = PUBLIC_PAGE;
	p.offset = (p.page - 1) * PUBLIC_PAGE;
	db_stmt *st = db_prepare(a->db, "SELECT d.id, d.title, b.name, d.spec, d.seed_hash, d.seed, d.revealed_at,"
					" d.population, d.created_at FROM draws d JOIN bodies b ON b.id = d.body_id"
					" ORDER BY d.id DESC LIMIT $1 OFFSET $2");
	json_t *items = json_array();
	int rc, bad = 0;
	db_bind_int(st, 1, p.limit);
	db_bind_int(st, 2, p.offset);
	while ((rc = db_step(st)) == DB_ROW) {
		int run = !db_col_isnull(st, 6);
		json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:I, s:o}", "id",
			(json_int_t)db_col_int(st, 0), "title", db_col_text(st, 1), "body", db_col_text(st, 2), "spec",
			summary(db_col_text(st, 3)), "seed_hash", db_col_text(st, 4),
			"seed", run ? json_string(db_col_text(st, 5)) : json_null(),
			"run_at", run ? json_integer(db_col_int(st, 6)) : json_null(),
			"population", run ? json_integer(db_col_int(st, 7)) : json_null(),
			"created_at", (json_int_t)db_col_int(st, 8), "picks", json_null()));
	}
	db_done(st);
	for (size_t i = 0; rc == DB_DONE && i < json_array_size(items) && !bad; i++) {
		json_t *o = json_array_get(items, i);
		if (json_is_string(json_object_get(o, "seed"))) {
			json_t *r = picks(a, json_integer_value(json_object_get(o, "id")));
			bad = !r;
			json_object_set_new(o, "picks", r ? r : json_null());
		}
	}
	if (rc != DB_DONE || bad || db_lookup_int(a->db, "SELECT COUNT(*) FROM draws", &total, 0) < 0) {
		json_decref(items);
		api_items(a, NULL);
		return;
	}
	api_json(a, 200, json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total));
}

API_ROUTES(public_draws, { "GET", "/api/v1/public/draws", list, 0, R_PUBLIC })
