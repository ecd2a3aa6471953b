/* case_review_finish.c — a campaign's scores and results: a score saved,
 * and finishing, which turns each low score into an item of the register
 * receiving gaps (source 案卷评查) through the record engine (audited and
 * counted like any other item) and closes the campaign (case_review.h). */
#include "case_review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "record.h"
#include "rubric.h"
#include "validate.h"

#define REVIEW_SOURCE "案卷评查" /* the remedial item's source */
#define REVIEW_ISSUE_MAX 500     /* characters: the remedial item's issue field's "max" */

int case_review_save_score(db *d, int64_t review, int64_t record, json_t *scores, const struct rubric_result *res,
			   int64_t by, struct fz_err *e)
{
	char *text = json_dumps(scores, JSON_COMPACT);
	db_stmt *st = db_prepare(d, "UPDATE case_review_cases SET scores = $3, total = $4, passed = $5, zero_item = $6,"
				    " submitted_by = COALESCE(submitted_by, $7), submitted_at = COALESCE(submitted_at, $8)"
				    " WHERE review_id = $1 AND record_id = $2");
	db_bind_int(st, 1, review);
	db_bind_int(st, 2, record);
	db_bind_text(st, 3, text);
	db_bind_int(st, 4, res->total);
	db_bind_int(st, 5, res->passed);
	db_bind_int(st, 6, res->zero_item);
	if (by)
		db_bind_int(st, 7, by);
	else
		db_bind_null(st, 7);
	db_bind_int(st, 8, (int64_t)time(NULL));
	int rc;
	if (!text) { /* no memory: not run */
		db_done(st);
		rc = fz_store(e, d);
	} else {
		rc = db_run_done(st) == DB_DONE ? 0 : fz_store(e, d);
	}
	free(text);
	return rc;
}

/* The text of a low score's remedial item: the case, the total
 * and every deduction with its note, cut to the field's length. */
static void issue_text(const char *head, const char *case_no, json_t *scores, int total, int pass, char *out, size_t n)
{
	size_t len = (size_t)snprintf(out, n, "%s：案卷 %s 评查得分 %d 分（%s，合格线 %d 分）。扣分：", head, case_no, total,
				      total >= pass ? "合格，但有评分项为零分" : "不合格", pass);
	json_t *it, *d;
	size_t i, k;
	json_array_foreach(json_object_get(scores, "items"), i, it) json_array_foreach(json_object_get(it, "deductions"), k, d)
	{
		const char *note = json_string_value(json_object_get(d, "note"));
		int noted = note && *note;
		if (len < n)
			len += (size_t)snprintf(out + len, n - len, "%s—%s 扣 %lld 分%s%s%s；",
						json_string_value(json_object_get(it, "name")),
						json_string_value(json_object_get(d, "text")),
						(long long)json_integer_value(json_object_get(d, "points")), noted ? "（" : "",
						noted ? note : "", noted ? "）" : "");
	}
	/* at most REVIEW_ISSUE_MAX characters, cut at a character's start */
	size_t chars = 0;
	for (i = 0; out[i]; i++)
		if (((unsigned char)out[i] & 0xC0) != 0x80 && ++chars > REVIEW_ISSUE_MAX) {
			out[i] = 0;
			break;
		}
	utf8_scrub(out);
}

/* A scored case to rectify. */
struct low {
	int64_t record;
	char body[64];
	char issue[1600];
};

/* The campaign's low scores not yet rectified, their texts written:
 * their number, or -1 on a store error. */
static int lows(db *d, int64_t id, struct low *out, int max)
{
	db_stmt *st = db_prepare(d, "SELECT v.title, v.register, v.rubric_id, v.rubric_version, c.record_id, b.code,"
				    " rec.title, rec.data, c.scores, c.total"
				    " FROM case_review_cases c JOIN case_reviews v ON v.id = c.review_id"
				    " JOIN bodies b ON b.id = c.body_id JOIN records rec ON rec.id = c.record_id"
				    " WHERE c.review_id = $1 AND c.submitted_at IS NOT NULL AND (c.passed = 0 OR c.zero_item = 1)"
				    " AND c.remedy_id IS NULL ORDER BY c.record_id");
	int n = 0, rc;
	db_bind_int(st, 1, id);
	while (n < max && (rc = db_step(st)) == DB_ROW) {
		const struct reg_def *r = register_find(db_col_text(st, 1));
		const struct rubric *rb = rubric_shipped(db_col_text(st, 2), db_col_text(st, 3));
		json_t *data = json_loads(db_col_text(st, 7), 0, NULL), *scores = json_loads(db_col_text(st, 8), 0, NULL);
		const char *no = r ? json_string_value(json_object_get(data, r->fields[r->review.number_field].name)) : NULL;
		out[n].record = db_col_int(st, 4);
		snprintf(out[n].body, sizeof out[n].body, "%s", db_col_text(st, 5));
		issue_text(db_col_text(st, 0), no && *no ? no : db_col_text(st, 6), scores, (int)db_col_int(st, 9),
			   rb ? rb->pass : 0, out[n].issue, sizeof out[n].issue);
		json_decref(data);
		json_decref(scores);
		n++;
	}
	db_done(st);
	return rc == DB_DONE || rc == DB_ROW ? n : -1;
}

int case_review_finish(struct rec_ctx *c, int64_t id, const char *deadline, json_t *created, struct fz_err *e)
{
	const struct reg_def *g = register_gap_receiver();
	struct low *low = calloc(CASE_REVIEW_MAX_CASES, sizeof *low);
	int n = low ? lows(c->d, id, low, CASE_REVIEW_MAX_CASES) : -1, rc = 0;
	if (n < 0)
		rc = fz_store(e, c->d);
	else if (n > 0 && !g)
		rc = fz_fail(e, 409, "no_gap_register", NULL, "没有登记簿接收整改事项（登记簿定义中未声明 receives_gaps）");
	for (int i = 0; rc == 0 && i < n; i++) {
		json_t *data = json_object();
		int64_t rid = 0;
		json_object_set_new(data, g->fields[g->gaps.source_field].name, json_string(REVIEW_SOURCE));
		json_object_set_new(data, g->fields[g->gaps.issue_field].name, json_string(low[i].issue));
		json_object_set_new(data, g->fields[g->deadline.field].name, json_string(deadline));
		rc = record_create(c, g, low[i].body, NULL, data, &rid, e);
		json_decref(data);
		if (rc == 0) {
			db_stmt *u = db_prepare(c->d, "UPDATE case_review_cases SET remedy_id = $3"
						      " WHERE review_id = $1 AND record_id = $2");
			db_bind_int(u, 1, id);
			db_bind_int(u, 2, low[i].record);
			db_bind_int(u, 3, rid);
			rc = db_run_done(u) == DB_DONE ? 0 : fz_store(e, c->d);
			json_array_append_new(created, json_integer(rid));
		}
	}
	free(low);
	if (rc == 0) {
		db_stmt *st = db_prepare(c->d, "UPDATE case_reviews SET state = 'finished' WHERE id = $1");
		db_bind_int(st, 1, id);
		rc = db_run_done(st) == DB_DONE ? 0 : fz_store(e, c->d);
	}
	return rc;
}
