/*
 * case_review.h — 案卷评查 (case-file review) in the store: a campaign of
 * the office for one year and region samples, per body, the closed
 * records of the register declaring "case_file_review" (register.h),
 * reproducibly from a recorded seed (review_draw.h); assigns each sampled
 * case a reviewer from outside the case's body (交叉评查); keeps the
 * scores given on the rubric (rubric.h). Tables: case_reviews,
 * case_review_cases (migration 027). The one scope rule of the reviews is
 * here (case_review_scope).
 */
#ifndef FAZHI_CASE_REVIEW_H
#define FAZHI_CASE_REVIEW_H

#include <jansson.h>
#include <stdint.h>

#include "auth.h"
#include "db.h"
#include "error.h"
#include "query.h"
#include "register.h"

#define CASE_REVIEW_MAX_CASES 5000    /* sampled cases of one campaign */
#define CASE_REVIEW_MAX_REVIEWERS 500 /* reviewers considered for the rotation */
#define CASE_REVIEW_MAX_PER_BODY 200  /* a body's sample by number */

/* The one scope rule. A user sees a campaign and its whole sample when the
 * campaign's region lies within the user's scope and the user is the
 * office that runs reviews (a role holding eval.run, bound to no body); a
 * reviewer sees only the sampled cases assigned to them — the case
 * record's details included, whatever its body or region. Appends to a
 * query over case_reviews v (and, cases set, case_review_cases c). */
void case_review_scope(struct query *q, const struct user *u, int cases);

struct case_review_new {
	const char *region_code, *region_path;
	int year, per_body, percent; /* per_body > 0, else percent */
	char seed[65 + 1];           /* given, or a fresh one when empty */
	const char *title;
	int64_t created_by;
};

/* Creates the campaign for register r and rubric (id, version), draws its
 * sample and assigns the reviewers, in the caller's transaction: 0 with
 * *id, or -1 with e (no closed case in the region and year: 422). */
int case_review_create(db *d, const struct reg_def *r, const char *rubric_id, const char *rubric_version,
		       struct case_review_new *in, int64_t *id, struct fz_err *e);

/* Re-draws campaign id's sample from its seed and the closed cases now in
 * the store and compares it with the recorded one: *out {"same": bool,
 * "seed", "drawn": N, "recorded": N, "missing": [record ids], "extra":
 * [record ids]} (new reference). 0, or -1 with e. */
int case_review_verify(db *d, int64_t id, json_t **out, struct fz_err *e);

/* Whether user uid may review a case of body_id in the campaign's region
 * (region_path): an active user whose role holds the scoring permission,
 * whose scope covers or lies within the region, not bound to body_id.
 * 1 yes; 0 with why (Chinese, for the refusal; *same_body set when the
 * user belongs to the case's body); -1 on a store error. */
int case_review_may_review(db *d, int64_t uid, int64_t body_id, const char *region_path, int *same_body,
			   char *why, size_t n);

/* The users who may review in the campaign's region (see
 * case_review_may_review), by id: [{id, name, bodies: [body ids]}] (a new
 * reference), or NULL on a store error. */
json_t *case_review_reviewers(db *d, const char *region_path);

/* Saves a checked score (rubric_score) of a sampled case; the first
 * submitter and time stay (a correction keeps them). by 0: the system. */
struct rubric_result;
int case_review_save_score(db *d, int64_t review, int64_t record, json_t *scores, const struct rubric_result *res,
			   int64_t by, struct fz_err *e);

/* Finishes campaign id in the caller's transaction: every scored case
 * below the pass mark, or with an item at 0, becomes an item of the
 * register receiving gaps for the case's body, due on deadline (ids
 * appended to created); the campaign is closed. 0, or -1 with e. */
struct rec_ctx;
int case_review_finish(struct rec_ctx *c, int64_t id, const char *deadline, json_t *created, struct fz_err *e);

/* Per body of campaign id: {body, body_name, sampled, reviewed, passed,
 * average (of the reviewed, 1 decimal), remedies (整改事项 made)}. NULL on a store
 * error. */
json_t *case_review_results(db *d, int64_t id);

#endif
