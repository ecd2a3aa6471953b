/*
 * case_file_review_cases.c — the sampled cases of a 案卷评查 campaign:
 * the reviewer's own list (待评查), one case read through the review (its
 * record's details, whatever its body, for the reviewer it is assigned to:
 * the scope rule is case_review_scope), the coordinator's change of
 * reviewer (never one from the case's body), the reviewer's score (final
 * once submitted) and the coordinator's correction of it. Every change and
 * refusal audited on the campaign (entity case_review).
 */
#include "api.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/case_file_reviews.h"
#include "case_review.h"
#include "rubric.h"

/* A sampled case as its routes read it. */
struct sampled {
	int64_t review, record, body, reviewer;
	int submitted, total, open;
	char region_path[160], reg[64], rubric[64], version[32];
};

#define SAMPLED_SQL                                                                                        \
	"SELECT c.review_id, c.record_id, c.body_id, c.reviewer_id,"                                             \
	" CASE WHEN c.submitted_at IS NULL THEN 0 ELSE 1 END, c.total, CASE WHEN v.state = 'open' THEN 1 ELSE 0 END,"\
	" v.region_path, v.register, v.rubric_id, v.rubric_version"                                              \
	" FROM case_review_cases c JOIN case_reviews v ON v.id = c.review_id WHERE 1 = 1"

/* The case of the path (review {id}, record {rid}) the caller may see
 * (office: the whole campaign; cases 1: also the case assigned to the
 * caller). 0, or -1 with the answer given. */
static int sampled_load(struct api *a, int cases, struct sampled *s)
{
	struct query q;
	int64_t id = api_param_id(a, 0), rid = id > 0 ? api_param_id(a, 1) : -1;
	if (rid <= 0)
		return -1;
	memset(s, 0, sizeof *s);
	query_init(&q, SAMPLED_SQL);
	query_add(&q, " AND c.review_id = ? AND c.record_id = ?", "ii", id, rid);
	case_review_scope(&q, &a->user, cases);
	db_stmt *st = query_prepare(a->db, &q);
	int rc = st ? db_step(st) : DB_ERR;
	if (rc == DB_ROW) {
		s->review = db_col_int(st, 0);
		s->record = db_col_int(st, 1);
		s->body = db_col_int(st, 2);
		s->reviewer = db_col_int(st, 3);
		s->submitted = (int)db_col_int(st, 4);
		s->total = (int)db_col_int(st, 5);
		s->open = (int)db_col_int(st, 6);
		snprintf(s->region_path, sizeof s->region_path, "%s", db_col_text(st, 7));
		snprintf(s->reg, sizeof s->reg, "%s", db_col_text(st, 8));
		snprintf(s->rubric, sizeof s->rubric, "%s", db_col_text(st, 9));
		snprintf(s->version, sizeof s->version, "%s", db_col_text(st, 10));
	}
	db_done(st);
	query_free(&q);
	if (rc == DB_ROW)
		return 0;
	if (rc == DB_DONE)
		api_error(a, 404, "not_found", NULL, "抽查案卷不存在");
	else
		api_items(a, NULL);
	return -1;
}

/* GET /api/v1/case-reviews/mine: the caller's assigned cases, those to
 * score first. */
static void mine(struct api *a)
{
	db_stmt *st = db_prepare(a->db, "SELECT c.review_id, v.title, v.year, v.state, c.record_id, b.name, rec.title,"
					" rec.data, v.register, CASE WHEN c.submitted_at IS NULL THEN 0 ELSE 1 END, c.total, c.passed"
					" FROM case_review_cases c JOIN case_reviews v ON v.id = c.review_id"
					" JOIN records rec ON rec.id = c.record_id JOIN bodies b ON b.id = c.body_id"
					" WHERE c.reviewer_id = $1 ORDER BY c.submitted_at IS NOT NULL, v.id DESC, c.record_id");
	json_t *items = json_array();
	int rc;
	db_bind_int(st, 1, a->user.id);
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *data = json_loads(db_col_text(st, 7), 0, NULL);
		int done = (int)db_col_int(st, 9);
		json_array_append_new(items, json_pack("{s:I, s:s, s:I, s:s, s:I, s:s, s:s, s:s, s:b, s:o, s:o}",
			"review_id", (json_int_t)db_col_int(st, 0), "review_title", db_col_text(st, 1), "year",
			(json_int_t)db_col_int(st, 2), "review_state", db_col_text(st, 3), "record_id",
			(json_int_t)db_col_int(st, 4), "body_name", db_col_text(st, 5), "title", db_col_text(st, 6),
			"case_no", api_review_case_no(register_find(db_col_text(st, 8)), data, db_col_text(st, 6)),
			"submitted", done, "total", done ? json_integer(db_col_int(st, 10)) : json_null(), "passed",
			done ? json_boolean(db_col_int(st, 11)) : json_null()));
		json_decref(data);
	}
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(items);
		items = NULL;
	}
	api_items(a, items);
}

/* The record's fields by their labels, as the reviewer reads the file. */
static json_t *record_fields(const struct reg_def *r, json_t *data)
{
	json_t *out = json_array();
	for (int i = 0; r && i < r->nfields; i++) {
		json_t *v = json_object_get(data, r->fields[i].name);
		if (v && !json_is_null(v))
			json_array_append_new(out, json_pack("{s:s, s:s, s:O}", "name", r->fields[i].name, "label",
							     r->fields[i].label, "value", v));
	}
	return out;
}

/* GET …/{id}/cases/{rid}: the case file through the review. */
static void case_get(struct api *a)
{
	struct sampled s;
	if (sampled_load(a, 1, &s) != 0)
		return;
	const struct reg_def *r = register_find(s.reg);
	const struct rubric *rb = rubric_shipped(s.rubric, s.version);
	db_stmt *st = db_prepare(a->db, "SELECT rec.title, rec.data, rec.state, rec.start_date, rec.closed_date, b.code, b.name,"
					" c.scores, COALESCE(NULLIF(u.display_name, ''), u.username), v.title, v.year, v.state,"
					" c.passed, c.zero_item"
					" FROM case_review_cases c JOIN case_reviews v ON v.id = c.review_id"
					" JOIN records rec ON rec.id = c.record_id JOIN bodies b ON b.id = c.body_id"
					" LEFT JOIN users u ON u.id = c.reviewer_id WHERE c.review_id = $1 AND c.record_id = $2");
	db_bind_int(st, 1, s.review);
	db_bind_int(st, 2, s.record);
	if (db_step(st) != DB_ROW) {
		db_done(st);
		api_items(a, NULL);
		return;
	}
	json_t *data = json_loads(db_col_text(st, 1), 0, NULL), *scores = json_loads(db_col_text(st, 7), 0, NULL);
	int state = r ? register_state(r, db_col_text(st, 2)) : -1;
	json_t *o = json_pack("{s:I, s:s, s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:b, s:o, s:o,"
			      " s:o, s:o, s:b, s:b}",
		"review_id", (json_int_t)s.review, "review_title", db_col_text(st, 9), "year", (json_int_t)db_col_int(st, 10),
		"review_state", db_col_text(st, 11), "record_id", (json_int_t)s.record, "title", db_col_text(st, 0),
		"case_no", api_review_case_no(r, data, db_col_text(st, 0)), "state", state >= 0 ? r->states[state].label : "",
		"closed_date", db_col_text(st, 4) ? db_col_text(st, 4) : "", "body", db_col_text(st, 5), "body_name",
		db_col_text(st, 6), "fields", record_fields(r, data),
		"reviewer_id", s.reviewer ? json_integer(s.reviewer) : json_null(),
		"reviewer", s.reviewer ? json_string(db_col_text(st, 8)) : json_null(), "submitted", s.submitted,
		"total", s.submitted ? json_integer(s.total) : json_null(),
		"passed", s.submitted ? json_boolean(db_col_int(st, 12)) : json_null(),
		"scores", scores ? scores : json_null(), "rubric", rb ? rubric_json(rb) : json_null(),
		"may_score", s.open && !s.submitted && s.reviewer == a->user.id && role_can(a->user.role, PERM_EVAL_SCORE),
		"may_correct", s.open && s.submitted && a->user.nbodies == 0 && role_can(a->user.role, PERM_EVAL_RUN));
	db_done(st);
	json_decref(data);
	api_json(a, 200, o);
}

/* PUT …/{id}/cases/{rid}/reviewer {"reviewer": user id}. */
static void case_reviewer(struct api *a)
{
	struct fz_err e = { 0 };
	struct sampled s;
	int64_t who = 0;
	int same = 0;
	char why[300];
	if (sampled_load(a, 0, &s) != 0)
		return;
	int rc = api_int(a, "reviewer", "评查人员", 1, 1, INT64_MAX, &who, &e);
	if (rc == 0 && !s.open)
		rc = fz_fail(&e, 409, "review_finished", NULL, "评查活动已办结，不能更换评查人员");
	if (rc == 0 && s.submitted)
		rc = fz_fail(&e, 409, "review_final", NULL, "该案卷已提交评分，不能更换评查人员");
	if (rc == 0) {
		int ok = case_review_may_review(a->db, who, s.body, s.region_path, &same, why, sizeof why);
		if (ok < 0)
			rc = fz_store(&e, a->db);
		else if (!ok)
			rc = fz_fail(&e, 422, same ? "review_same_body" : "review_reviewer_invalid", "reviewer", "评查人员: %s", why);
	}
	if (rc == 0)
		rc = db_begin(a->db);
	if (rc == 0) {
		db_stmt *st = db_prepare(a->db, "UPDATE case_review_cases SET reviewer_id = $3 WHERE review_id = $1"
						" AND record_id = $2");
		db_bind_int(st, 1, s.review);
		db_bind_int(st, 2, s.record);
		db_bind_int(st, 3, who);
		rc = db_run_done(st) == DB_DONE ? 0 : fz_store(&e, a->db);
	}
	if (rc == 0)
		rc = api_audit(a, "assign", "case_review", s.review, "ok",
			       json_pack("{s:I, s:o, s:I}", "record_id", (json_int_t)s.record, "from",
					 s.reviewer ? json_integer(s.reviewer) : json_null(), "to", (json_int_t)who));
	if (rc != 0 || db_commit(a->db) != 0) {
		if (db_in_tx(a->db))
			db_rollback(a->db);
		if (!e.code)
			fz_store(&e, a->db);
		api_review_refuse(a, "assign", s.review, &e);
		return;
	}
	case_get(a);
}

/* The deductions of a normalised score in words (the audit entry). */
static json_t *deduction_words(json_t *scores)
{
	json_t *out = json_array(), *it, *d;
	size_t i, k;
	json_array_foreach(json_object_get(scores, "items"), i, it) json_array_foreach(json_object_get(it, "deductions"), k, d)
	{
		char w[600];
		snprintf(w, sizeof w, "%s：%s 扣 %lld 分", json_string_value(json_object_get(it, "name")),
			 json_string_value(json_object_get(d, "text")), (long long)json_integer_value(json_object_get(d, "points")));
		json_array_append_new(out, json_string(w));
	}
	return out;
}

/* POST (the reviewer, once) and PUT (the office's correction, with a
 * reason) of …/{id}/cases/{rid}/score. */
static void score(struct api *a, int correcting)
{
	struct fz_err e = { 0 };
	struct sampled s;
	struct rubric_result res;
	const char *reason = NULL, *action = correcting ? "correct" : "score";
	json_t *scores = NULL;
	if (sampled_load(a, !correcting, &s) != 0)
		return;
	const struct rubric *rb = rubric_shipped(s.rubric, s.version);
	int rc = 0;
	if (!rb)
		rc = fz_fail(&e, 409, "review_rubric_gone", NULL, "评查活动的评分标准 %s %s 已不存在", s.rubric, s.version);
	if (rc == 0 && !s.open)
		rc = fz_fail(&e, 409, "review_finished", NULL, "评查活动已办结，评分不能再提交或更正");
	if (rc == 0 && !correcting && s.reviewer != a->user.id)
		rc = fz_fail(&e, 403, "forbidden", NULL, "该案卷未分配给您评查");
	if (rc == 0 && !correcting && s.submitted)
		rc = fz_fail(&e, 409, "review_final", NULL, "评分已提交，不能修改；如需更正，由组织评查的协调员更正并说明理由");
	if (rc == 0 && correcting && !s.submitted)
		rc = fz_fail(&e, 409, "review_unscored", NULL, "该案卷尚未提交评分，不能更正");
	if (rc == 0 && correcting)
		rc = api_str(a, "reason", "更正理由", 1, 500, &reason, &e);
	if (rc == 0)
		rc = rubric_score(rb, a->body, &scores, &res, &e);
	if (rc == 0)
		rc = db_begin(a->db);
	if (rc == 0)
		rc = case_review_save_score(a->db, s.review, s.record, scores, &res, a->user.id, &e);
	if (rc == 0) {
		json_t *d = json_pack("{s:I, s:i, s:b, s:o}", "record_id", (json_int_t)s.record, "score", res.total, "passed",
				      res.passed, "deductions", deduction_words(scores));
		if (correcting) {
			json_object_set_new(d, "from", json_integer(s.total));
			json_object_set_new(d, "reason", json_string(reason));
		}
		rc = api_audit(a, action, "case_review", s.review, "ok", d);
	}
	json_decref(scores);
	if (rc != 0 || db_commit(a->db) != 0) {
		if (db_in_tx(a->db))
			db_rollback(a->db);
		if (!e.code)
			fz_store(&e, a->db);
		api_review_refuse(a, action, s.review, &e);
		return;
	}
	case_get(a);
}

static void score_submit(struct api *a) { score(a, 0); }
static void score_correct(struct api *a) { score(a, 1); }

API_ROUTES(case_file_review_cases,
	{ "GET", "/api/v1/case-reviews/mine", mine, PERM_EVAL_SCORE, 0 },
	{ "GET", "/api/v1/case-reviews/{id}/cases/{rid}", case_get, PERM_EVAL_READ, 0 },
	{ "PUT", "/api/v1/case-reviews/{id}/cases/{rid}/reviewer", case_reviewer, PERM_EVAL_RUN, 0, 0, FIELDS("reviewer") },
	{ "POST", "/api/v1/case-reviews/{id}/cases/{rid}/score", score_submit, PERM_EVAL_SCORE, 0, 0, FIELDS("items") },
	{ "PUT", "/api/v1/case-reviews/{id}/cases/{rid}/score", score_correct, PERM_EVAL_RUN, 0, 0, FIELDS("items", "reason") })
