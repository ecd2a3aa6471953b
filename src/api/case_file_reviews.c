/*
 * case_file_reviews.c — /api/v1/case-reviews: the office's 案卷评查
 * campaigns. Creating one draws the sample of each body's closed cases of
 * a year from a recorded seed and assigns reviewers from other bodies
 * (case_review.h); the sample can be re-drawn and compared (verify); the
 * campaign shows each body's sample with reviewer and score and the
 * results per body; finishing it turns low scores into remedial
 * items (case_review_finish). The sampled cases' routes are case_file_review_cases.c.
 */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/case_file_reviews.h"
#include "api/eval_args.h"
#include "case_review.h"
#include "cntime.h"
#include "record.h"
#include "review_draw.h"
#include "rubric.h"
#include "validate.h"

void api_review_refuse(struct api *a, const char *action, int64_t id, const struct fz_err *e)
{
	if (e->status < 500)
		api_audit(a, action, "case_review", id, "refused", json_pack("{s:s, s:s}", "code", e->code, "reason", e->msg));
	api_fail(a, e);
}

static const char *const list_sql =
	"SELECT v.id, v.year, v.title, v.region_code, g.name, v.state, v.seed, v.per_body, v.percent, v.register,"
	" v.rubric_id, v.rubric_version, v.created_at,"
	" (SELECT COUNT(*) FROM case_review_cases c WHERE c.review_id = v.id),"
	" (SELECT COUNT(*) FROM case_review_cases c WHERE c.review_id = v.id AND c.submitted_at IS NOT NULL),"
	" (SELECT COUNT(*) FROM case_review_cases c WHERE c.review_id = v.id AND c.passed = 1)"
	" FROM case_reviews v JOIN regions g ON g.code = v.region_code WHERE 1 = 1";

static json_t *review_json(db_stmt *st)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:I}", "id",
			 (json_int_t)db_col_int(st, 0), "year", (json_int_t)db_col_int(st, 1), "title", db_col_text(st, 2),
			 "region", db_col_text(st, 3), "region_name", db_col_text(st, 4), "state", db_col_text(st, 5),
			 "seed", db_col_text(st, 6), "per_body", (json_int_t)db_col_int(st, 7), "percent",
			 (json_int_t)db_col_int(st, 8), "register", db_col_text(st, 9), "rubric", db_col_text(st, 10),
			 "rubric_version", db_col_text(st, 11), "created_at", (json_int_t)db_col_int(st, 12), "sampled",
			 (json_int_t)db_col_int(st, 13), "reviewed", (json_int_t)db_col_int(st, 14), "passed",
			 (json_int_t)db_col_int(st, 15));
}

static void reviews(struct api *a)
{
	struct query q;
	query_init(&q, list_sql);
	case_review_scope(&q, &a->user, 0);
	query_raw(&q, " ORDER BY v.year DESC, v.id DESC");
	db_stmt *st = query_prepare(a->db, &q);
	json_t *items = json_array();
	int rc = st ? DB_ROW : DB_ERR;
	while (st && (rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, review_json(st));
	db_done(st);
	query_free(&q);
	if (rc != DB_DONE) {
		json_decref(items);
		items = NULL;
	}
	api_items(a, items);
}

json_t *api_review_load(struct api *a, int64_t id)
{
	struct query q;
	query_init(&q, list_sql);
	query_add(&q, " AND v.id = ?", "i", id);
	case_review_scope(&q, &a->user, 0);
	db_stmt *st = query_prepare(a->db, &q);
	int rc = st ? db_step(st) : DB_ERR;
	json_t *o = rc == DB_ROW ? review_json(st) : NULL;
	db_done(st);
	query_free(&q);
	if (rc == DB_DONE)
		api_error(a, 404, "not_found", NULL, "评查活动不存在");
	else if (!o) {
		struct fz_err e = { 0 };
		fz_store(&e, a->db);
		api_fail(a, &e);
	}
	return o;
}

const char *api_review_case_no(const struct reg_def *r, json_t *data, const char *title)
{
	const char *no = r ? json_string_value(json_object_get(data, r->fields[r->review.number_field].name)) : NULL;
	return no && *no ? no : title;
}

/* The sample of campaign id as rows (api_review_load has checked it). */
static json_t *sample(struct api *a, int64_t id, const struct reg_def *r)
{
	db_stmt *st = db_prepare(a->db, "SELECT c.record_id, b.code, b.name, rec.title, rec.data, c.reviewer_id,"
					" COALESCE(NULLIF(u.display_name, ''), u.username), c.total, c.passed, c.zero_item,"
					" c.submitted_at, c.remedy_id, rec.closed_date, c.body_id"
					" FROM case_review_cases c JOIN bodies b ON b.id = c.body_id"
					" JOIN records rec ON rec.id = c.record_id LEFT JOIN users u ON u.id = c.reviewer_id"
					" WHERE c.review_id = $1 ORDER BY b.code, c.record_id");
	json_t *out = json_array();
	int rc;
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *data = json_loads(db_col_text(st, 4), 0, NULL);
		int scored = !db_col_isnull(st, 10);
		json_array_append_new(out, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:b, s:o}",
			"record_id", (json_int_t)db_col_int(st, 0), "body_id", (json_int_t)db_col_int(st, 13), "body", db_col_text(st, 1), "body_name", db_col_text(st, 2),
			"title", db_col_text(st, 3), "case_no", api_review_case_no(r, data, db_col_text(st, 3)),
			"closed_date", db_col_text(st, 12) ? db_col_text(st, 12) : "",
			"reviewer_id", db_col_isnull(st, 5) ? json_null() : json_integer(db_col_int(st, 5)),
			"reviewer", db_col_isnull(st, 5) ? json_null() : json_string(db_col_text(st, 6)),
			"total", scored ? json_integer(db_col_int(st, 7)) : json_null(),
			"passed", scored ? json_boolean(db_col_int(st, 8)) : json_null(),
			"zero_item", scored ? json_boolean(db_col_int(st, 9)) : json_null(), "submitted", scored,
			"remedy_id", db_col_isnull(st, 11) ? json_null() : json_integer(db_col_int(st, 11))));
		json_decref(data);
	}
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(out);
		return NULL;
	}
	return out;
}

static void review_show(struct api *a, int64_t id, int status)
{
	json_t *o = api_review_load(a, id);
	if (!o)
		return;
	const struct reg_def *r = register_find(json_string_value(json_object_get(o, "register")));
	const struct rubric *rb = rubric_shipped(json_string_value(json_object_get(o, "rubric")),
						 json_string_value(json_object_get(o, "rubric_version")));
	json_t *cases = sample(a, id, r), *results = case_review_results(a->db, id);
	if (!cases || !results) {
		json_decref(o);
		json_decref(cases);
		json_decref(results);
		api_items(a, NULL); /* the store error */
		return;
	}
	json_object_set_new(o, "register_label", json_string(r ? r->label : ""));
	json_object_set_new(o, "rubric", rb ? rubric_json(rb) : json_null());
	json_object_set_new(o, "cases", cases);
	json_object_set_new(o, "results", results);
	api_json(a, status, o);
}

static void review_get(struct api *a)
{
	int64_t id = api_param_id(a, 0);
	if (id > 0)
		review_show(a, id, 200);
}

/* The seed as given: letters, digits, '-' and '_'. */
static int seed_read(struct api *a, char out[66], struct fz_err *e)
{
	const char *s = NULL;
	out[0] = 0;
	if (api_str(a, "seed", "随机种子", 0, REVIEW_SEED_MAX, &s, e) != 0)
		return -1;
	for (const char *p = s; p && *p; p++)
		if (!(*p >= '0' && *p <= '9') && !(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') && *p != '-' &&
		    *p != '_')
			return fz_invalid(e, "seed", "随机种子只能由字母、数字、- 和 _ 组成（至多 %d 个字符）", REVIEW_SEED_MAX);
	if (s)
		snprintf(out, 66, "%s", s);
	return 0;
}

static int create_read(struct api *a, struct case_review_new *in, char *title, size_t tn, struct fz_err *e)
{
	char today[11];
	int64_t year = 0, per_body = 0, percent = 0;
	const char *t = NULL;
	cn_today(today);
	if (api_int(a, "year", "评查年度", 1, 2000, atoi(today), &year, e) ||
	    api_int(a, "per_body", "每单位抽查件数", 0, 1, CASE_REVIEW_MAX_PER_BODY, &per_body, e) ||
	    api_int(a, "percent", "抽查比例（%）", 0, 1, 100, &percent, e) || seed_read(a, in->seed, e) ||
	    api_str(a, "title", "评查活动名称", 0, 100, &t, e))
		return -1;
	if ((per_body > 0) == (percent > 0))
		return fz_invalid(e, "per_body", "请填写每单位抽查件数或抽查比例（%%），二者选一");
	in->year = (int)year;
	in->per_body = (int)per_body;
	in->percent = (int)percent;
	snprintf(title, tn, "%s", t ? t : "");
	if (!t)
		snprintf(title, tn, "%d年度行政执法案卷评查", in->year);
	in->title = title;
	return 0;
}

/* POST: the office's campaign over its region (or a region below it). */
static void review_create(struct api *a)
{
	struct fz_err e = { 0 };
	struct case_review_new in = { 0 };
	struct eval_args x = { 0 };
	char title[400];
	int64_t id = 0;
	const struct reg_def *r = register_reviewed();
	const struct rubric *rb = rubric_shipped(NULL, NULL);
	if (a->user.nbodies > 0) {
		fz_fail(&e, 403, "forbidden", NULL, "限定于单位的用户不能组织案卷评查（由司法局等协调机构组织）");
		api_review_refuse(a, "create", 0, &e);
		return;
	}
	if (!r || !rb) {
		fz_fail(&e, 409, "review_unavailable", NULL, "没有登记簿接受案卷评查（定义中未声明 case_file_review）或没有评分标准");
		api_review_refuse(a, "create", 0, &e);
		return;
	}
	if (create_read(a, &in, title, sizeof title, &e) != 0) {
		api_review_refuse(a, "create", 0, &e);
		return;
	}
	if (api_eval_region(a, json_string_value(json_object_get(a->body, "region")), &x) != 0) {
		api_audit(a, "create", "case_review", 0, "refused",
			  json_pack("{s:s, s:s}", "code", "not_found", "reason", "行政区划不存在或不在管辖范围内"));
		return;
	}
	in.region_code = x.region;
	in.region_path = x.path;
	in.created_by = a->user.id;
	int rc = db_begin(a->db);
	if (rc == 0)
		rc = case_review_create(a->db, r, rb->id, rb->version, &in, &id, &e);
	if (rc == 0)
		rc = api_audit(a, "create", "case_review", id, "ok",
			       json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:i, s:i}", "year", in.year, "region", x.region,
					 "register", r->name, "seed", in.seed, "rubric", rb->id, "version", rb->version,
					 "per_body", in.per_body, "percent", in.percent));
	if (rc != 0 || db_commit(a->db) != 0) {
		db_rollback(a->db);
		if (!e.code)
			fz_store(&e, a->db);
		api_review_refuse(a, "create", 0, &e);
		return;
	}
	review_show(a, id, 201);
}

/* GET …/{id}/verify: the sample re-drawn from the seed, compared. */
static void review_verify(struct api *a)
{
	struct fz_err e = { 0 };
	int64_t id = api_param_id(a, 0);
	json_t *o = id > 0 ? api_review_load(a, id) : NULL, *out = NULL;
	if (!o)
		return;
	json_decref(o);
	if (case_review_verify(a->db, id, &out, &e) != 0)
		api_fail(a, &e);
	else
		api_json(a, 200, out);
}

/* GET …/{id}/reviewers: who may review the campaign's cases (the office
 * changing a reviewer picks one; a case's own body is refused then). */
static void review_reviewers(struct api *a)
{
	int64_t id = api_param_id(a, 0);
	json_t *o = id > 0 ? api_review_load(a, id) : NULL;
	char path[160] = "", sid[24];
	char *p = NULL;
	if (!o)
		return;
	json_decref(o);
	snprintf(sid, sizeof sid, "%lld", (long long)id);
	if (db_lookup_text(a->db, "SELECT region_path FROM case_reviews WHERE id = CAST($1 AS INTEGER)", &p, 1, sid) ==
	    DB_ROW)
		snprintf(path, sizeof path, "%s", p);
	free(p);
	api_items(a, *path ? case_review_reviewers(a->db, path) : NULL);
}

/* POST …/{id}/finish {"deadline"}: every sampled case scored; the low
 * scores become remedial items (整改事项) due on deadline; the campaign is
 * closed to corrections. */
static void review_finish(struct api *a)
{
	struct fz_err e = { 0 };
	const char *deadline = NULL;
	char why[128], today[11];
	int64_t id = api_param_id(a, 0), unscored = 0;
	json_t *o = id > 0 ? api_review_load(a, id) : NULL, *created = json_array();
	if (!o) {
		json_decref(created);
		return;
	}
	int rc = api_str(a, "deadline", "整改期限", 1, 10, &deadline, &e);
	if (rc == 0 && validate_date(deadline, why, sizeof why) != 0)
		rc = fz_invalid(&e, "deadline", "整改期限: %s", why);
	cn_today(today);
	if (rc == 0 && strcmp(deadline, today) < 0)
		rc = fz_invalid(&e, "deadline", "整改期限不能早于今天（%s）", today);
	if (rc == 0 && strcmp(json_string_value(json_object_get(o, "state")), "open") != 0)
		rc = fz_fail(&e, 409, "review_finished", NULL, "评查活动已办结");
	if (rc == 0) {
		char sid[24];
		snprintf(sid, sizeof sid, "%lld", (long long)id);
		if (db_lookup_int(a->db, "SELECT COUNT(*) FROM case_review_cases WHERE review_id = CAST($1 AS INTEGER)"
					 " AND submitted_at IS NULL", &unscored, 1, sid) != DB_ROW)
			rc = fz_store(&e, a->db);
		else if (unscored > 0)
			rc = fz_fail(&e, 409, "review_unscored", NULL, "尚有 %lld 件抽查案卷未评分，全部评分后才能办结",
				     (long long)unscored);
	}
	if (rc == 0)
		rc = db_begin(a->db);
	if (rc == 0) {
		struct rec_ctx c;
		api_rec_ctx(a, &c);
		rc = case_review_finish(&c, id, deadline, created, &e);
	}
	if (rc == 0)
		rc = api_audit(a, "finish", "case_review", id, "ok",
			       json_pack("{s:s, s:O}", "deadline", deadline, "remedies", created));
	json_decref(o);
	json_decref(created);
	if (rc != 0 || db_commit(a->db) != 0) {
		if (db_in_tx(a->db))
			db_rollback(a->db);
		if (!e.code)
			fz_store(&e, a->db);
		api_review_refuse(a, "finish", id, &e);
		return;
	}
	review_show(a, id, 200);
}

API_ROUTES(case_file_reviews,
	{ "GET", "/api/v1/case-reviews", reviews, PERM_EVAL_READ, 0 },
	{ "POST", "/api/v1/case-reviews", review_create, PERM_EVAL_RUN, 0, 0,
	  FIELDS("region", "year", "per_body", "percent", "seed", "title") },
	{ "GET", "/api/v1/case-reviews/{id}", review_get, PERM_EVAL_READ, 0 },
	{ "GET", "/api/v1/case-reviews/{id}/verify", review_verify, PERM_EVAL_READ, 0 },
	{ "GET", "/api/v1/case-reviews/{id}/reviewers", review_reviewers, PERM_EVAL_RUN, 0 },
	{ "POST", "/api/v1/case-reviews/{id}/finish", review_finish, PERM_EVAL_RUN, 0, 0, FIELDS("deadline") })
