/*
 * scoring.c — the manual side of an evaluation: evaluators' scores with
 * comments for manual indicators (bounded by the indicator's weight), and
 * evidence (印证材料) uploaded as files: type checked by content, size
 * bounded, kept in the attachment store under its SM3 digest (attach.h).
 */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attach.h"
#include "eval.h"

/* The system, indicator, region (in scope) and period named by strings. */
static struct indicator_system *target(struct api *a, const char *sys, const char *ind, const char *region,
				       const char *period, int *index, char *path, size_t n, struct fz_err *e)
{
	char name[64];
	if (!ind || !region || !period || strlen(period) != 4 || atoi(period) < 2000)
		return fz_invalid(e, "indicator", "须给出指标体系、指标、区划和年度"), NULL;
	if (eval_region_path(a->db, region, path, n, name, sizeof name) != 0 || !scope_has_path(&a->user, path))
		return fz_fail(e, 404, "not_found", "region", "行政区划 %s 不存在或不在您的管辖范围内", region), NULL;
	struct indicator_system *s = eval_system(a->db, sys && *sys ? sys : NULL, e);
	if (s && (*index = indicator_find(s, ind)) < 0) {
		fz_fail(e, 404, "not_found", "indicator", "指标 %s 不存在", ind);
		indicator_system_free(s);
		return NULL;
	}
	return s;
}

static void score_put(struct api *a)
{
	struct fz_err e = { 0 };
	const char *sys, *ind, *region, *period, *comment;
	char path[128];
	int idx, na = 0;
	if (api_str(a, "system", "指标体系", 0, 32, &sys, &e) ||
	    api_str(a, "indicator", "指标", 1, 32, &ind, &e) || api_str(a, "region", "区划", 1, 12, &region, &e) ||
	    api_str(a, "period", "年度", 1, 4, &period, &e) || api_str(a, "comment", "评分意见", 1, 500, &comment, &e) ||
	    api_bool(a, "na", "不适用", &na, &e)) {
		api_fail(a, &e);
		return;
	}
	struct indicator_system *s = target(a, sys, ind, region, period, &idx, path, sizeof path, &e);
	if (!s) {
		api_fail(a, &e);
		return;
	}
	json_t *sv = json_object_get(a->body, "score");
	struct manual_scores *m = malloc(sizeof *m);
	if (m)
		indicator_manual_init(m, atoi(period));
	int rc = !m ? fz_fail(&e, 500, "internal", NULL, "内存不足")
		 : na ? indicator_manual_set_na(m, s, ind, &e)
		    : !json_is_number(sv) ? fz_invalid(&e, "score", "评分应为数字")
					  : indicator_manual_set(m, s, ind, json_number_value(sv), &e);
	int64_t stored = na ? -1 : (int64_t)(json_number_value(sv) * 100 + 0.5);
	free(m);
	if (rc == 0)
		rc = db_begin(a->db);
	db_stmt *st = rc == 0 ? db_prepare(a->db, "INSERT INTO manual_scores(system_id, indicator_id, region_code, period,"
						  " score, comment, evaluator_id, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)"
						  " ON CONFLICT(system_id, indicator_id, region_code, period) DO UPDATE SET"
						  " score = excluded.score, comment = excluded.comment,"
						  " evaluator_id = excluded.evaluator_id, updated_at = excluded.updated_at") : NULL;
	if (st) {
		db_bind_text(st, 1, s->id);
		db_bind_text(st, 2, ind);
		db_bind_text(st, 3, region);
		db_bind_text(st, 4, period);
		db_bind_int(st, 5, stored);
		db_bind_text(st, 6, comment);
		db_bind_int(st, 7, a->user.id);
		db_bind_int(st, 8, (int64_t)time(NULL));
		rc = db_run(st) == DB_DONE ? 0 : -1;
		db_done(st);
		if (rc == 0)
			rc = api_audit(a, "score", "indicator", 0, "ok",
				       json_pack("{s:s, s:s, s:s, s:s, s:I}", "system", s->id, "indicator", ind, "region",
						 region, "period", period, "score_x100", (json_int_t)stored));
	}
	indicator_system_free(s);
	if (rc != 0 || db_commit(a->db) != 0) {
		db_rollback(a->db);
		if (!e.code)
			fz_store(&e, a->db);
		api_fail(a, &e);
		return;
	}
	api_json(a, 200, json_pack("{s:s, s:s, s:s, s:o, s:b, s:s}", "indicator", ind, "region", region, "period", period,
				   "score", na ? json_null() : json_real((double)stored / 100), "na", na, "comment", comment));
}

static void scores(struct api *a)
{
	static const struct list_col cols[] = {
		{ "indicator", "指标", 0 }, { "score_x100", "评分×100", 1 }, { "comment", "评分意见", 0 },
		{ "evaluator", "评估专家", 0 }, { "updated_at", "评分时间", 1 }, { NULL, NULL, 0 },
	};
	const char *region = http_query(a->r, "region"), *period = http_query(a->r, "period");
	const char *sys = http_query(a->r, "system");
	struct query sel, cnt;
	query_init(&sel, "SELECT m.indicator_id, m.score, m.comment, u.display_name, m.updated_at");
	query_init(&cnt, "SELECT COUNT(*)");
	for (struct query *q = &sel; q; q = q == &sel ? &cnt : NULL) {
		query_raw(q, " FROM manual_scores m JOIN users u ON u.id = m.evaluator_id"
			     " JOIN regions g ON g.code = m.region_code WHERE 1 = 1");
		query_add(q, " AND m.region_code = ? AND m.period = ?", "ss", region ? region : "", period ? period : "");
		if (sys && *sys)
			query_add(q, " AND m.system_id = ?", "s", sys);
		scope_filter(q, &a->user, "g.path", NULL);
	}
	api_list(a, &sel, &cnt, "m.indicator_id", cols, "人工评分", NULL);
	query_free(&sel);
	query_free(&cnt);
}

static void evidence_upload(struct api *a)
{
	struct fz_err e = { 0 };
	struct attach_file f = { http_header(a->r, "Content-Type"), http_query(a->r, "filename"), a->r->body,
				 a->r->body_len };
	char path[128], digest[65];
	int idx;
	if (attach_check_file(&f, &e) != 0) {
		api_fail(a, &e);
		return;
	}
	struct indicator_system *s = target(a, http_query(a->r, "system"), http_query(a->r, "indicator"),
					    http_query(a->r, "region"), http_query(a->r, "period"), &idx, path, sizeof path, &e);
	if (!s) {
		api_fail(a, &e);
		return;
	}
	int64_t id = 0;
	int rc = attach_store_put(a->app->files, f.p, f.n, digest, &e) == 0 ? db_begin(a->db) : -1;
	db_stmt *st = rc == 0 ? db_prepare(a->db, "INSERT INTO evidence(system_id, indicator_id, region_code, period, filename,"
						  " content_type, size, sm3, content, in_store, uploaded_by, created_at)"
						  " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,1,$10,$11) RETURNING id") : NULL;
	if (st) {
		db_bind_text(st, 1, s->id);
		db_bind_text(st, 2, s->items[idx].id);
		db_bind_text(st, 3, http_query(a->r, "region"));
		db_bind_text(st, 4, http_query(a->r, "period"));
		db_bind_text(st, 5, f.filename);
		db_bind_text(st, 6, f.type);
		db_bind_int(st, 7, (int64_t)f.n);
		db_bind_text(st, 8, digest);
		db_bind_blob(st, 9, "", 0); /* the content is in the attachment store */
		db_bind_int(st, 10, a->user.id);
		db_bind_int(st, 11, (int64_t)time(NULL));
		if (db_step(st) == DB_ROW)
			id = db_col_int(st, 0);
		db_run(st);
		db_done(st);
	}
	indicator_system_free(s);
	if (!id || api_audit(a, "upload", "evidence", id, "ok", json_pack("{s:s, s:I}", "sm3", digest, "size",
									(json_int_t)f.n)) != 0 ||
	    db_commit(a->db) != 0) {
		if (db_in_tx(a->db))
			db_rollback(a->db);
		if (!e.code)
			fz_fail(&e, 500, "store_error", NULL, "保存印证材料失败: %s", db_errmsg(a->db));
		api_fail(a, &e);
		return;
	}
	api_json(a, 201, json_pack("{s:I, s:s, s:s, s:I, s:s}", "id", (json_int_t)id, "filename", f.filename,
				   "content_type", f.type, "size", (json_int_t)f.n, "sm3", digest));
}

static void evidence_list(struct api *a)
{
	static const struct list_col cols[] = {
		{ "id", "编号", 1 }, { "indicator", "指标", 0 }, { "filename", "文件名", 0 }, { "content_type", "类型", 0 },
		{ "size", "大小", 1 }, { "sm3", "SM3 摘要", 0 }, { "uploaded_by", "上传人", 0 }, { "created_at", "上传时间", 1 },
		{ NULL, NULL, 0 },
	};
	const char *region = http_query(a->r, "region"), *period = http_query(a->r, "period");
	const char *ind = http_query(a->r, "indicator"), *sys = http_query(a->r, "system");
	struct query sel, cnt;
	query_init(&sel, "SELECT v.id, v.indicator_id, v.filename, v.content_type, v.size, v.sm3, u.display_name, v.created_at");
	query_init(&cnt, "SELECT COUNT(*)");
	for (struct query *q = &sel; q; q = q == &sel ? &cnt : NULL) {
		query_raw(q, " FROM evidence v JOIN users u ON u.id = v.uploaded_by JOIN regions g ON g.code = v.region_code"
			     " WHERE 1 = 1");
		query_add(q, " AND v.region_code = ? AND v.period = ?", "ss", region ? region : "", period ? period : "");
		if (ind && *ind)
			query_add(q, " AND v.indicator_id = ?", "s", ind);
		if (sys && *sys)
			query_add(q, " AND v.system_id = ?", "s", sys);
		scope_filter(q, &a->user, "g.path", NULL);
	}
	api_list(a, &sel, &cnt, "v.id", cols, "印证材料", NULL);
	query_free(&sel);
	query_free(&cnt);
}

static void evidence_content(struct api *a)
{
	int64_t id = api_param_id(a, 0);
	if (id <= 0)
		return;
	struct query q;
	query_init(&q, "SELECT v.in_store, v.content_type, v.sm3, v.filename FROM evidence v"
		       " JOIN regions g ON g.code = v.region_code WHERE 1 = 1");
	query_add(&q, " AND v.id = ?", "i", id);
	scope_filter(&q, &a->user, "g.path", NULL);
	db_stmt *st = query_prepare(a->db, &q);
	query_free(&q);
	if (!st || db_step(st) != DB_ROW) {
		db_done(st);
		api_not_found(a);
		return;
	}
	char sm3[65], type[128], name[256];
	int in_store = (int)db_col_int(st, 0);
	snprintf(type, sizeof type, "%s", db_col_text(st, 1));
	snprintf(sm3, sizeof sm3, "%s", db_col_text(st, 2));
	snprintf(name, sizeof name, "%s", db_col_text(st, 3));
	db_done(st);
	struct fz_err e = { 0 };
	if (!in_store) { /* its content did not match its digest when the store took over (attach_move_evidence) */
		fz_fail(&e, 500, "attachment_corrupt", NULL,
			"印证材料文件已损坏（内容与其 SM3 摘要不符），拒绝提供；请联系系统管理员从备份恢复");
		api_file_refused(a, &e, "evidence", id, sm3);
		return;
	}
	api_send_file(a, sm3, type, name, "evidence", id);
}

API_ROUTES(scoring,
	{ "PUT", "/api/v1/evaluation/manual-scores", score_put, PERM_EVAL_SCORE, 0, 0, FIELDS("system", "indicator", "region", "period", "score", "na", "comment") },
	{ "GET", "/api/v1/evaluation/manual-scores", scores, PERM_EVAL_READ, 0 },
	{ "POST", "/api/v1/evidence", evidence_upload, PERM_EVIDENCE, R_RAW, API_MAX_UPLOAD },
	{ "GET", "/api/v1/evidence", evidence_list, PERM_EVAL_READ, 0 },
	{ "GET", "/api/v1/evidence/{id}/content", evidence_content, PERM_EVAL_READ, 0 })
