/*
 * enforcement_case.h — 行政处罚案件 (data/registers/enforcement_case.json):
 * the rules of 行政处罚法 2021 its declaration cannot say — certified
 * officers on every act, the limitation at 立案, the handling and
 * delivery limits, the hearing, 法制审核 and 首违不罚 — and its demo.
 */
#ifndef FAZHI_DOMAIN_ENFORCEMENT_CASE_H
#define FAZHI_DOMAIN_ENFORCEMENT_CASE_H

#include "discretion.h"
#include "domain.h"

/* The value of an enum or text field, NULL when absent or empty. */
const char *ec_val(const struct record *rec, const char *field);
/* Whether an enum field holds "是". */
int ec_yes(const struct record *rec, const char *field);

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

#endif
