/* demo_reviews.c — the demo's finished 案卷评查 of last year (demo_reviews.h). */
#include "demo_reviews.h"

#include <stdio.h>
#include <string.h>

#include "case_review.h"
#include "record.h"
#include "rubric.h"

/* The deductions of the i-th of n cases: two fail (60 分), the others
 * lose a little or nothing. */
static json_t *demo_score(int i, int n)
{
	if (i == 1 || (n > 4 && i == n / 2))
		return json_pack("{s:[{s:s, s:[{s:s, s:s}]}, {s:s, s:[{s:s}]}]}", "items", "item", "evidence", "deductions",
				 "code", "evidence-missing", "note", "现场检查笔录、抽样记录缺失", "item", "procedure",
				 "deductions", "code", "procedure-notice");
	switch (i % 3) {
	case 0:
		return json_pack("{s:[{s:s, s:[{s:s, s:i, s:s}]}]}", "items", "item", "documents", "deductions", "code",
				 "documents-errors", "points", 2, "note", "文书文号未写年份");
	case 1:
		return json_pack("{s:[{s:s, s:[{s:s}]}, {s:s, s:[{s:s, s:i}]}]}", "items", "item", "evidence", "deductions",
				 "code", "evidence-form", "item", "law", "deductions", "code", "law-article", "points", 2);
	default:
		return json_pack("{s:[]}", "items");
	}
}

int demo_case_review(db *d, const char *region, int year, const char *today, struct fz_err *e)
{
	const struct reg_def *r = register_reviewed();
	const struct rubric *rb = rubric_shipped(NULL, NULL);
	char path[160] = "", title[64], deadline[11];
	struct case_review_new in = { .region_code = region, .year = year, .per_body = 3, .title = title };
	int64_t id = 0;
	if (!r || !rb)
		return 0;
	db_stmt *st = db_prepare(d, "SELECT path FROM regions WHERE code = $1");
	db_bind_text(st, 1, region);
	if (db_step(st) == DB_ROW)
		snprintf(path, sizeof path, "%s", db_col_text(st, 0));
	db_done(st);
	if (!*path)
		return fz_store(e, d);
	in.region_path = path;
	snprintf(in.seed, sizeof in.seed, "demo-%d", year);
	snprintf(title, sizeof title, "%d年度行政执法案卷评查", year);
	if (case_review_create(d, r, rb->id, rb->version, &in, &id, e) != 0)
		return e->code && strcmp(e->code, "review_no_cases") == 0 ? 0 : -1;
	st = db_prepare(d, "SELECT record_id, reviewer_id FROM case_review_cases WHERE review_id = $1 ORDER BY record_id");
	struct { int64_t record, reviewer; } cases[CASE_REVIEW_MAX_CASES / 10];
	int n = 0, rc = 0;
	db_bind_int(st, 1, id);
	while (n < (int)(sizeof cases / sizeof cases[0]) && db_step(st) == DB_ROW) {
		cases[n].record = db_col_int(st, 0);
		cases[n++].reviewer = db_col_int(st, 1);
	}
	db_done(st);
	for (int i = 0; rc == 0 && i < n; i++) {
		json_t *given = demo_score(i, n), *scores = NULL;
		struct rubric_result res;
		rc = rubric_score(rb, given, &scores, &res, e);
		if (rc == 0)
			rc = case_review_save_score(d, id, cases[i].record, scores, &res, cases[i].reviewer, e);
		json_decref(given);
		json_decref(scores);
	}
	struct rec_ctx c;
	json_t *created = json_array();
	rec_ctx_init(&c, d, NULL, NULL);
	snprintf(deadline, sizeof deadline, "%.4s-12-31", today);
	if (rc == 0)
		rc = case_review_finish(&c, id, deadline, created, e);
	json_decref(created);
	return rc;
}
