/*
 * enforcement_case.h — 行政处罚案件 (data/registers/enforcement_case.json):
 * the rules of 行政处罚法 2021 its declaration cannot say — certified
 * officers on every act, the limitation at 立案, the handling and
 * delivery limits, the hearing, 法制审核 and 首违不罚 — and its demo.
 */
#ifndef FAZHI_DOMAIN_ENFORCEMENT_CASE_H
#define FAZHI_DOMAIN_ENFORCEMENT_CASE_H

#include "clock.h"
#include "discretion.h"
#include "domain.h"


/* 第四十二条: the officers named on rec (their 执法证号) are at least two,
 * each a person of the case's body whose certificate is active and valid
 * on day; otherwise a refusal naming the officer and the reason. */
int ec_officers_check(const struct rec_ctx *c, const struct record *rec, const char *day, struct fz_err *e);

/* The gates of 决定 (第三十三条, 第五十一条, 第五十八条) and of 告知 and
 * 陈述申辩（听证）终结 (第六十三条, 第六十四条). */
int ec_decide_gate(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct fz_err *e);
int ec_notify_gate(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct fz_err *e);
int ec_hear_gate(const struct record *rec, struct fz_err *e);

/* Whether 第六十三条 gives the party the right to a hearing for the
 * proposed penalty and amount (较大数额: the province's settings). */
int ec_hearing_required(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec);
/* Whether 第五十八条 requires a 法制审核 before the decision. */
int ec_review_required(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec);

/* The discretion benchmark's check of a decision (category, amount,
 * violation code, version, circumstance, base, reason when outside): the
 * one place the decision meets 裁量基准 (discretion_check). Outside
 * without a reason and a category without ground are 409; a code,
 * version or circumstance no benchmark lists 400 naming the field. */
int ec_benchmark_check(const struct rec_ctx *c, const struct record *rec, struct fz_err *e);
/* The benchmark version the case names (benchmark_code, and
 * benchmark_version or, empty, the newest listing the code); the caller
 * frees it; NULL with e (400 naming the field, 500). */
struct discretion_benchmark *ec_benchmark(const struct rec_ctx *c, const struct record *rec, struct fz_err *e);

/* The demo's proof of key step t of case id on day (proofs.c), uploaded by
 * user: a one-page PDF in the attachment store, or nothing (no store, not
 * a key step, or one of the few cases that lack it). */
int ec_demo_proof(struct demo_ctx *d, int64_t id, const char *t, const char *day, int64_t user, struct fz_err *e);

int enforcement_case_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e);

/* out = from + rule by the statutory clock (field names the date for the
 * error). */
int ec_after(const char *from, struct deadline_rule rule, char out[DATE_STR], const char *field, struct fz_err *e);

/* ---- sectors (sector.c) ---- */
/* The setting key as the case's sector sets it: "<key>_<slug>" when the
 * register declares it for sector (discretion_sectors' slugs), else key. */
int ec_sector_setting(const struct rec_ctx *c, const struct reg_def *r, const char *key, const char *sector);
/* The case's 执法领域, taken once from its enforcement matter. */
int ec_sector_derive(const struct rec_ctx *c, const struct reg_def *r, struct record *rec, struct fz_err *e);

/* ---- 公示 (disclosure.c) ---- */
/* Whether the decision must be published (第四十八条, the locality's
 * rule), by when (the sector's working days), whether it was on time,
 * and by when a withdrawal is due (第四十八条第二款, 第八十五条). */
int ec_disclosure_derive(const struct rec_ctx *c, const struct reg_def *r, struct record *rec, struct fz_err *e);
/* The masked view of case id as it would be published now: *out (new
 * reference), or -1 with the refusal (not decided, not required, a
 * minor, already published or withdrawn). key: the personal-data key to
 * read the party's ID number (its birth date); NULL: the party_minor
 * field alone. */
int ec_disclosure_preview(const struct rec_ctx *c, const struct reg_def *r, int64_t id, const unsigned char *key,
			  json_t **out, struct fz_err *e);
/* Publishes case id on day (its view stored in penalty_disclosures, the
 * case annotated and audited). */
int ec_publish(struct rec_ctx *c, const struct reg_def *r, int64_t id, const unsigned char *key, const char *day,
	       struct fz_err *e);
/* Withdraws case id's published decision on day: kind (变更/撤销/确认违法/
 * 确认无效/公示期满), the reason, and the day the decision was changed. */
int ec_withdraw(struct rec_ctx *c, const struct reg_def *r, int64_t id, const char *kind, const char *reason,
		const char *changed_on, const char *day, struct fz_err *e);
/* Answers the one penalty_disclosures row of q (freed) with its content
 * as JSON: 404 when none (disclosure_public.c). */
struct api;
struct list_col;
struct query;
void ec_disclosure_answer(struct api *a, struct query *q, const struct list_col *cols);
/* The demo's publications of year: most decisions on time, a few late,
 * one withdrawn. */
int ec_disclosure_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e);

#endif
