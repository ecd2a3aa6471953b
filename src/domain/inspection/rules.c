/*
 * rules.c — the locality's limits on routine inspections as data
 * (inspection_rules, migration 035): the yearly cap and the quiet period
 * for a region, a body, an industry, or a body in an industry. insp_limits
 * finds the one that applies to an inspection (the most specific in
 * force, else the register's settings); the office keeps the rules over
 * HTTP: GET/POST /api/v1/registers/inspection/rules and POST …/{id}/withdraw
 * (eval.run, within its scope; every act and refusal audited).
 */
#include "api/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/inspection/inspection.h"

#define ENTITY "inspection_rule"

int insp_limits(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct insp_limits *out,
		struct fz_err *e)
{
	char id[24], *industry = NULL;
	*out = (struct insp_limits){ domain_setting(c, r, "cap_per_year"), domain_setting(c, r, "quiet_days"), "", 0 };
	snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(rec->data, "enterprise")));
	if (db_lookup_text(c->d, "SELECT industry FROM subjects WHERE id = CAST($1 AS INTEGER)", &industry, 1, id) < 0)
		return fz_store(e, c->d);
	struct query q;
	query_init(&q, "SELECT id, cap_per_year, quiet_days, basis FROM inspection_rules WHERE withdrawn_at IS NULL");
	query_add(&q, " AND (industry IS NULL OR industry = ?)", "s", industry ? industry : "");
	query_add(&q, " AND (body_id = ? OR (body_id IS NULL", "i", rec->body_id);
	scope_covering(&q, "region_path", rec->region_path);
	query_raw(&q, ")) ORDER BY (body_id IS NULL), (industry IS NULL), length(region_path) DESC, id DESC");
	free(industry);
	db_stmt *st = query_prepare(c->d, &q);
	int rc = st ? db_step(st) : DB_ERR;
	if (rc == DB_ROW) {
		out->rule = db_col_int(st, 0);
		out->cap = (int)db_col_int(st, 1);
		out->quiet = (int)db_col_int(st, 2);
		snprintf(out->basis, sizeof out->basis, "%s", db_col_text(st, 3));
	}
	db_done(st);
	query_free(&q);
	return rc == DB_ROW || rc == DB_DONE ? 0 : fz_store(e, c->d);
}

static const struct list_col cols[] = {
	{ "id", "编号", 1 }, { "region", "适用区划代码", 0 }, { "region_name", "适用区划", 0 },
	{ "body_code", "适用机关编码", 0 }, { "body_name", "适用机关", 0 }, { "industry", "适用行业", 0 },
	{ "cap_per_year", "年度日常检查次数上限", 1 }, { "quiet_days", "免检期（日）", 1 }, { "basis", "依据", 0 },
	{ "created_at", "设定时间", 1 }, { "withdrawn_at", "撤销时间", 1 }, { NULL, NULL, 0 },
};

static void from(struct api *a, struct query *q, int counting)
{
	query_raw(q, counting ? " FROM inspection_rules x WHERE 1 = 1"
			      : " FROM inspection_rules x JOIN regions g ON g.code = x.region_code"
				" LEFT JOIN bodies b ON b.id = x.body_id WHERE 1 = 1");
	scope_filter(q, &a->user, "x.region_path", NULL);
}

static int filters(struct api *a, struct query *q, struct fz_err *e)
{
	(void)e;
	const char *all = http_query(a->r, "all");
	if (!all || strcmp(all, "1") != 0)
		query_raw(q, " AND x.withdrawn_at IS NULL");
	return 0;
}

static const struct api_resource rules = {
	.select = "SELECT x.id, x.region_code, g.name, b.code, b.name, x.industry, x.cap_per_year, x.quiet_days, x.basis,"
		  " x.created_at, x.withdrawn_at",
	.from = from, .filters = filters, .id_col = "x.id", .order = "x.region_path, x.id", .cols = cols,
	.sheet = "检查频次规则",
};

static void list(struct api *a) { api_resource_list(a, &rules); }

/* Where the rule applies: the body's region when a body is named (in the
 * caller's scope), else the region given or the caller's own. */
static int where(struct api *a, const char *body, const char *region, int64_t *bid, char code[16], char path[128],
		 struct fz_err *e)
{
	struct query q;
	query_init(&q, body ? "SELECT b.id, b.region_code, b.region_path FROM bodies b WHERE 1 = 1"
			    : "SELECT 0, g.code, g.path FROM regions g WHERE 1 = 1");
	query_add(&q, body ? " AND b.code = ?" : " AND g.code = ?", "s",
		  body ? body : region ? region : a->user.scope_region);
	if (body)
		scope_filter(&q, &a->user, "b.region_path", "b.id");
	else
		scope_filter(&q, &a->user, "g.path", NULL);
	db_stmt *st = query_prepare(a->db, &q);
	int rc = st ? db_step(st) : DB_ERR;
	if (rc == DB_ROW) {
		*bid = db_col_int(st, 0);
		snprintf(code, 16, "%s", db_col_text(st, 1));
		snprintf(path, 128, "%s", db_col_text(st, 2));
	}
	db_done(st);
	query_free(&q);
	if (rc == DB_ROW)
		return 0;
	if (rc != DB_DONE)
		return fz_store(e, a->db);
	if (body)
		return fz_invalid(e, "body", "未知的机关编码 %s（或不在您的管辖范围内）", body);
	return fz_invalid(e, "region", region ? "未知的行政区划代码 %s（或不在您的管辖范围内）"
					  : "请填写规则适用的行政区划代码", region ? region : "");
}

static int insert(struct api *a, int64_t *id, struct fz_err *e)
{
	const char *body, *region, *industry, *basis;
	int64_t cap = 0, quiet = -1, bid = 0;
	char code[16], path[128];
	if (api_str(a, "body", "适用机关编码", 0, 40, &body, e) || api_str(a, "region", "适用区划代码", 0, 12, &region, e) ||
	    api_str(a, "industry", "适用行业", 0, 50, &industry, e) ||
	    api_int(a, "cap_per_year", "年度日常检查次数上限", 1, 1, 52, &cap, e) ||
	    api_int(a, "quiet_days", "免检期（日）", 1, 0, 365, &quiet, e) ||
	    api_str(a, "basis", "规则依据（本地规定的名称和条款）", 1, 300, &basis, e) ||
	    where(a, body, region, &bid, code, path, e))
		return -1;
	db_stmt *st = db_prepare(a->db, "INSERT INTO inspection_rules(region_code, region_path, body_id, industry, cap_per_year,"
					" quiet_days, basis, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id");
	if (!st)
		return fz_store(e, a->db);
	db_bind_text(st, 1, code);
	db_bind_text(st, 2, path);
	if (bid)
		db_bind_int(st, 3, bid);
	else
		db_bind_null(st, 3);
	if (industry)
		db_bind_text(st, 4, industry);
	else
		db_bind_null(st, 4);
	db_bind_int(st, 5, cap);
	db_bind_int(st, 6, quiet);
	db_bind_text(st, 7, basis);
	db_bind_int(st, 8, a->user.id);
	db_bind_int(st, 9, (int64_t)time(NULL));
	int rc = db_step(st);
	*id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		return fz_store(e, a->db);
	return api_audit(a, "create", ENTITY, *id, "ok", json_pack("{s:s, s:s?, s:s?, s:I, s:I, s:s}", "region", code, "body",
			 body, "industry", industry, "cap_per_year", (json_int_t)cap, "quiet_days", (json_int_t)quiet,
			 "basis", basis)) ? fz_fail(e, 500, "audit_failed", NULL, "审计日志写入失败") : 0;
}

/* Rolls back and answers a refusal, audited unless the store failed. */
static void refused(struct api *a, const char *action, int64_t id, struct fz_err *e)
{
	db_rollback(a->db);
	if (e->status != 500)
		api_audit(a, action, ENTITY, id, "refused", json_pack("{s:s, s:s, s:s?}", "code", e->code, "reason", e->msg,
								      "field", e->field));
	api_fail(a, e);
}

static void create(struct api *a)
{
	struct fz_err e = { 0 };
	int64_t id = 0;
	if (db_begin(a->db) != 0 || insert(a, &id, &e) != 0 || db_commit(a->db) != 0) {
		if (!e.code)
			fz_store(&e, a->db);
		refused(a, "create", 0, &e);
		return;
	}
	api_resource_show(a, &rules, id, 201);
}

/* Whether rule id is in the caller's scope: 1 in force, 2 withdrawn, 0
 * absent (or outside), -1 on a store error. */
static int rule_state(struct api *a, int64_t id)
{
	struct query q;
	query_init(&q, "SELECT x.withdrawn_at IS NULL FROM inspection_rules x WHERE 1 = 1");
	scope_filter(&q, &a->user, "x.region_path", NULL);
	query_add(&q, " AND x.id = ?", "i", id);
	db_stmt *st = query_prepare(a->db, &q);
	int rc = st ? db_step(st) : DB_ERR, out = rc == DB_ROW ? (db_col_int(st, 0) ? 1 : 2) : rc == DB_DONE ? 0 : -1;
	db_done(st);
	query_free(&q);
	return out;
}

static void withdraw(struct api *a)
{
	struct fz_err e = { 0 };
	int64_t id = api_param_id(a, 0);
	if (id <= 0)
		return;
	int rc = db_begin(a->db) == 0 ? rule_state(a, id) : -1;
	if (rc == 0) {
		db_rollback(a->db);
		api_not_found(a);
		return;
	}
	if (rc == 2)
		fz_fail(&e, 409, "already_withdrawn", NULL, "该检查频次规则已撤销");
	db_stmt *st = rc == 1 ? db_prepare(a->db, "UPDATE inspection_rules SET withdrawn_by = $1, withdrawn_at = $2 WHERE id = $3")
			      : NULL;
	if (st) {
		db_bind_int(st, 1, a->user.id);
		db_bind_int(st, 2, (int64_t)time(NULL));
		db_bind_int(st, 3, id);
		rc = db_run(st) == DB_DONE ? 0 : fz_store(&e, a->db);
		db_done(st);
	} else if (rc == 1)
		rc = -1;
	if (rc == 0 && api_audit(a, "withdraw", ENTITY, id, "ok", NULL) != 0)
		rc = fz_fail(&e, 500, "audit_failed", NULL, "审计日志写入失败");
	if (rc != 0 || db_commit(a->db) != 0) {
		if (!e.code)
			fz_store(&e, a->db);
		refused(a, "withdraw", id, &e);
		return;
	}
	api_resource_show(a, &rules, id, 200);
}

API_ROUTES(inspection_rules,
	{ "GET", "/api/v1/registers/inspection/rules", list, PERM_RECORD_READ, 0 },
	{ "POST", "/api/v1/registers/inspection/rules", create, PERM_EVAL_RUN, 0, 0,
	  FIELDS("body", "region", "industry", "cap_per_year", "quiet_days", "basis") },
	{ "POST", "/api/v1/registers/inspection/rules/{id}/withdraw", withdraw, PERM_EVAL_RUN, 0, 0, NO_FIELDS })
