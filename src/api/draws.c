/*
 * draws.c — /api/v1/draws: 双随机 draws for signed-in users (draw_store.h;
 * the public list is draws_public.c). Creating one stores its spec and
 * answers the SM3 hash of its seed (published at once); running it reveals
 * the seed, stores the picks and makes each pick's plan in one
 * transaction; a draw can be re-run and compared (verify). The
 * coordinator draws for any body in its scope, a department for its own
 * body only, with inspectors of bodies in its scope; a draw outside the
 * caller's scope answers 404 like a missing one. Every change and every
 * refusal is audited.
 */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cntime.h"
#include "draw_store.h"
#include "record.h"

#define DRAW_PICKS_PAGE 50

static const char *const draw_sql =
	"SELECT d.id, d.title, d.body_id, b.name, d.region_code, d.spec, d.seed_hash, d.seed, d.revealed_at, d.population,"
	" d.created_at, d.run_day, (SELECT COUNT(*) FROM draw_picks k WHERE k.draw_id = d.id),"
	" (SELECT COUNT(*) FROM draw_picks k WHERE k.draw_id = d.id AND k.plan_id IS NOT NULL)"
	" FROM draws d JOIN bodies b ON b.id = d.body_id WHERE 1 = 1";

static void refuse(struct api *a, const char *action, int64_t id, const struct fz_err *e)
{
	if (e->status < 500)
		api_audit(a, action, "draw", id, "refused",
			  json_pack("{s:s, s:s, s:s?}", "code", e->code, "reason", e->msg, "field", e->field));
	api_fail(a, e);
}

/* The spec as a signed-in user sees it: all but the quiet list, counted. */
static json_t *spec_json(const char *text)
{
	json_t *s = json_loads(text ? text : "", 0, NULL);
	if (!s)
		return json_null();
	json_object_set_new(s, "quiet", json_integer((json_int_t)json_array_size(json_object_get(s, "quiet"))));
	return s;
}

static json_t *draw_json(db_stmt *st)
{
	int run = !db_col_isnull(st, 8);
	return json_pack("{s:I, s:s, s:I, s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:I, s:o, s:b, s:I, s:I}", "id",
			 (json_int_t)db_col_int(st, 0), "title", db_col_text(st, 1), "body_id", (json_int_t)db_col_int(st, 2),
			 "body", db_col_text(st, 3), "region", db_col_text(st, 4), "spec", spec_json(db_col_text(st, 5)),
			 "seed_hash", db_col_text(st, 6), "seed", run ? json_string(db_col_text(st, 7)) : json_null(),
			 "run_at", run ? json_integer(db_col_int(st, 8)) : json_null(), "population",
			 run ? json_integer(db_col_int(st, 9)) : json_null(), "created_at", (json_int_t)db_col_int(st, 10),
			 "run_day", run ? json_string(db_col_text(st, 11)) : json_null(), "run", run, "picks_total",
			 (json_int_t)db_col_int(st, 12), "plans_total", (json_int_t)db_col_int(st, 13));
}

static void draws(struct api *a)
{
	struct query q;
	query_init(&q, draw_sql);
	scope_filter(&q, &a->user, "d.region_path", "d.body_id");
	query_raw(&q, " ORDER BY d.id DESC");
	db_stmt *st = query_prepare(a->db, &q);
	json_t *items = json_array();
	int rc = st ? DB_ROW : DB_ERR;
	while (st && (rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, draw_json(st));
	db_done(st);
	query_free(&q);
	if (rc != DB_DONE) {
		json_decref(items);
		items = NULL;
	}
	api_items(a, items);
}

/* Draw id within the caller's scope; NULL and answered (404) when not. */
static json_t *draw_load(struct api *a, int64_t id)
{
	struct query q;
	query_init(&q, draw_sql);
	query_add(&q, " AND d.id = ?", "i", id);
	scope_filter(&q, &a->user, "d.region_path", "d.body_id");
	db_stmt *st = query_prepare(a->db, &q);
	int rc = st ? db_step(st) : DB_ERR;
	json_t *o = rc == DB_ROW ? draw_json(st) : NULL;
	db_done(st);
	query_free(&q);
	if (rc == DB_DONE)
		api_error(a, 404, "not_found", NULL, "抽查不存在");
	else if (!o) {
		struct fz_err e = { 0 };
		fz_store(&e, a->db);
		api_fail(a, &e);
	}
	return o;
}

/* One page of draw id's picks: each enterprise, its two inspectors and its plan. */
static json_t *picks_page(struct api *a, int64_t id, int64_t offset)
{
	db_stmt *st = db_prepare(a->db, "SELECT k.subject_id, s.name, s.uscc, p1.name, p1.cert_no, p2.name, p2.cert_no,"
					" k.plan_id, r.state FROM draw_picks k JOIN subjects s ON s.id = k.subject_id"
					" JOIN people p1 ON p1.id = k.inspector1 JOIN people p2 ON p2.id = k.inspector2"
					" LEFT JOIN records r ON r.id = k.plan_id WHERE k.draw_id = $1"
					" ORDER BY k.subject_id LIMIT $2 OFFSET $3");
	json_t *out = json_array();
	int rc;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, DRAW_PICKS_PAGE);
	db_bind_int(st, 3, offset);
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(out, json_pack("{s:I, s:s, s:s?, s:[{s:s, s:s?}, {s:s, s:s?}], s:o, s:o}",
			"subject_id", (json_int_t)db_col_int(st, 0), "enterprise", db_col_text(st, 1), "uscc",
			db_col_text(st, 2), "inspectors", "name", db_col_text(st, 3), "cert_no", db_col_text(st, 4), "name",
			db_col_text(st, 5), "cert_no", db_col_text(st, 6), "plan_id",
			db_col_isnull(st, 7) ? json_null() : json_integer(db_col_int(st, 7)), "plan_state",
			db_col_isnull(st, 8) ? json_null() : json_string(db_col_text(st, 8))));
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(out);
		return NULL;
	}
	return out;
}

static void draw_show(struct api *a, int64_t id, int status)
{
	struct page p;
	struct fz_err e = { 0 };
	if (api_page(a, &p, &e) != 0) {
		api_fail(a, &e);
		return;
	}
	json_t *o = draw_load(a, id), *items;
	if (!o)
		return;
	if (!(items = picks_page(a, id, (p.page - 1) * DRAW_PICKS_PAGE))) {
		json_decref(o);
		api_items(a, NULL); /* the store error */
		return;
	}
	json_object_set_new(o, "picks", json_pack("{s:o, s:O, s:I, s:i}", "items", items, "total",
						  json_object_get(o, "picks_total"), "page", (json_int_t)p.page,
						  "page_size", DRAW_PICKS_PAGE));
	api_json(a, status, o);
}

static void draw_get(struct api *a)
{
	int64_t id = api_param_id(a, 0);
	if (id > 0)
		draw_show(a, id, 200);
}

/* The coordinator, or a department: officers and the rest may not draw. */
static int may_draw(struct api *a, struct fz_err *e)
{
	if (strcmp(a->user.role, "coordinator") == 0 || strcmp(a->user.role, "department") == 0)
		return 0;
	return fz_fail(e, 403, "forbidden", NULL, "只有司法局等协调机构的协调员和责任单位人员可以组织双随机抽查");
}

/* A body within the caller's scope: *path its region path, code its region. */
static int body_in_scope(struct api *a, int64_t id, const char *field, const char *label, char path[160],
			 char code[16], struct fz_err *e)
{
	db_stmt *st = db_prepare(a->db, "SELECT region_path, region_code FROM bodies WHERE id = $1");
	int rc, ok = 0;
	db_bind_int(st, 1, id);
	if ((rc = db_step(st)) == DB_ROW) {
		snprintf(path, 160, "%s", db_col_text(st, 0));
		snprintf(code, 16, "%s", db_col_text(st, 1));
		ok = scope_has_body(&a->user, id, path);
	}
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return fz_store(e, a->db);
	return ok ? 0 : fz_fail(e, 403, "forbidden", field, "「%s」不在本人管辖范围内：单位编号 %lld", label, (long long)id);
}

/* The inspectors' bodies: each in the caller's scope and, since a plan's
 * officers must be the acting body's own (行政处罚法 第四十二条, checked at
 * 报备), the drawing body itself when plans are made. */
static int inspector_bodies(struct api *a, json_t *spec, int64_t body, struct fz_err *e)
{
	json_t *b = json_object_get(spec, "bodies"), *v;
	char path[160], code[16];
	size_t i;
	if (!b) {
		json_object_set_new(spec, "bodies", json_pack("[I]", (json_int_t)body));
		return 0;
	}
	if (!json_is_array(b) || json_array_size(b) == 0)
		return fz_invalid(e, "bodies", "「执法检查人员所属单位」应为单位编号列表");
	json_array_foreach(b, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			return fz_invalid(e, "bodies", "「执法检查人员所属单位」应为单位编号列表");
		if (body_in_scope(a, json_integer_value(v), "bodies", "执法检查人员所属单位", path, code, e) != 0)
			return -1;
		if (json_object_get(spec, "matter") && json_integer_value(v) != body)
			return fz_fail(e, 422, "draw_foreign_inspectors", "bodies",
				       "生成检查计划的抽查，执法检查人员须为抽查机关本单位的执法人员（行政处罚法第四十二条）");
	}
	return 0;
}

/* The spec's region: known and within the drawing body's region. */
static int region_in_body(struct api *a, json_t *spec, const char *body_path, struct fz_err *e)
{
	const char *code = json_string_value(json_object_get(spec, "region"));
	char *path = NULL;
	if (!code)
		return 0;
	int rc = db_lookup_text(a->db, "SELECT path FROM regions WHERE code = $1", &path, 1, code);
	if (rc < 0)
		return fz_store(e, a->db);
	int ok = path && scope_path_within(path, body_path);
	free(path);
	if (rc == DB_DONE)
		return fz_invalid(e, "region", "「抽查区域」不存在：%s", code);
	return ok ? 0 : fz_fail(e, 403, "forbidden", "region", "「抽查区域」不在抽查机关的辖区内：%s", code);
}

/* Reads the request into in (spec: a copy of the body less title and body_id). */
static int create_read(struct api *a, struct draw_new *in, char path[160], char code[16], struct fz_err *e)
{
	int64_t body = 0;
	int avoid = 0;
	if (may_draw(a, e) != 0 || api_str(a, "title", "抽查名称", 1, 100, &in->title, e) != 0 ||
	    api_int(a, "body_id", "抽查机关", 1, 1, INT64_MAX, &body, e) != 0 ||
	    api_bool(a, "avoid_same_region", "同区划回避", &avoid, e) != 0 ||
	    body_in_scope(a, body, "body_id", "抽查机关", path, code, e) != 0)
		return -1;
	in->spec = json_deep_copy(a->body);
	json_object_del(in->spec, "title");
	json_object_del(in->spec, "body_id");
	json_object_set_new(in->spec, "avoid_same_region", json_boolean(avoid));
	if (inspector_bodies(a, in->spec, body, e) != 0 || region_in_body(a, in->spec, path, e) != 0)
		return -1;
	in->body_id = body;
	in->region_code = code;
	in->region_path = path;
	in->created_by = a->user.id;
	in->weights = a->app->cfg.draw_weight;
	return 0;
}

static void draw_create_route(struct api *a)
{
	struct fz_err e = { 0 };
	struct draw_new in = { 0 };
	char path[160], code[16], hash[65];
	int64_t id = 0;
	int rc = create_read(a, &in, path, code, &e);
	if (rc == 0 && (rc = db_begin(a->db)) != 0)
		fz_store(&e, a->db);
	if (rc == 0)
		rc = draw_create(a->db, &in, &id, hash, &e);
	if (rc == 0)
		rc = api_audit(a, "create", "draw", id, "ok",
			       json_pack("{s:s, s:I, s:s, s:O?, s:O?, s:O?}", "title", in.title, "body_id",
					 (json_int_t)in.body_id, "seed_hash", hash, "sample", json_object_get(in.spec, "sample"),
					 "rate", json_object_get(in.spec, "rate"), "matter", json_object_get(in.spec, "matter")));
	json_decref(in.spec);
	if (rc != 0 || db_commit(a->db) != 0) {
		if (db_in_tx(a->db))
			db_rollback(a->db);
		if (!e.code)
			fz_store(&e, a->db);
		refuse(a, "create", 0, &e);
		return;
	}
	draw_show(a, id, 201);
}

/* POST …/{id}/run: reveal, picks and plans in one transaction. The plans
 * are written as the system (the caller's scope was checked here; a plan's
 * draw field is the system's to set) and audited as the caller. */
static void draw_run_route(struct api *a)
{
	struct fz_err e = { 0 };
	struct rec_ctx c;
	char day[11];
	int64_t id = api_param_id(a, 0);
	int n = 0;
	json_t *o = id > 0 ? draw_load(a, id) : NULL;
	if (!o)
		return;
	json_decref(o);
	int rc = may_draw(a, &e);
	if (rc == 0 && (rc = db_begin(a->db)) != 0)
		fz_store(&e, a->db);
	api_rec_ctx(a, &c);
	c.user = NULL;
	cn_today(day);
	if (rc == 0)
		rc = draw_execute(&c, id, day, &n, &e);
	if (rc == 0)
		rc = api_audit(a, "run", "draw", id, "ok", json_pack("{s:i, s:s}", "count", n, "day", day));
	if (rc != 0 || db_commit(a->db) != 0) {
		if (db_in_tx(a->db))
			db_rollback(a->db);
		if (!e.code)
			fz_store(&e, a->db);
		refuse(a, "run", id, &e);
		return;
	}
	draw_show(a, id, 200);
}

/* GET …/{id}/verify: the draw re-run from its seed and compared. */
static void draw_verify_route(struct api *a)
{
	struct fz_err e = { 0 };
	char why[600] = "";
	int same = 0;
	int64_t id = api_param_id(a, 0);
	json_t *o = id > 0 ? draw_load(a, id) : NULL;
	if (!o)
		return;
	json_decref(o);
	if (draw_verify(a->db, id, &same, why, sizeof why, &e) != 0)
		api_fail(a, &e);
	else
		api_json(a, 200, json_pack("{s:I, s:b, s:s}", "id", (json_int_t)id, "same", same, "message", why));
}

API_ROUTES(draws,
	{ "GET", "/api/v1/draws", draws, PERM_RECORD_READ, 0 },
	{ "POST", "/api/v1/draws", draw_create_route, PERM_RECORD_WRITE, 0, 0,
	  FIELDS("title", "body_id", "region", "industry", "weights", "sample", "rate", "avoid_same_region", "quiet",
		 "bodies", "matter", "window_from", "window_to") },
	{ "GET", "/api/v1/draws/{id}", draw_get, PERM_RECORD_READ, 0 },
	{ "POST", "/api/v1/draws/{id}/run", draw_run_route, PERM_RECORD_WRITE, 0, 0, NO_FIELDS },
	{ "GET", "/api/v1/draws/{id}/verify", draw_verify_route, PERM_RECORD_READ, 0 })
