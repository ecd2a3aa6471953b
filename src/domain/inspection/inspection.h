/*
 * inspection.h — 涉企行政检查 (data/registers/inspection.json): what its
 * declaration cannot say — the item is a 行政检查 of the 执法事项清单 and
 * brings its basis, two certified officers at 报备 and at 入企, the cap
 * and the quiet period at 报备 (cap.c), a case behind 立案查处.
 */
#ifndef FAZHI_DOMAIN_INSPECTION_H
#define FAZHI_DOMAIN_INSPECTION_H

#include "domain.h"

/* The value of an enum, date or text field, NULL when absent or empty. */
const char *insp_val(const struct record *rec, const char *field);

/* Whether the kind is a routine check (not 重点检查 or 投诉举报: 优化营商环境
 * 条例 第五十四条第二款), which the cap and the quiet period bound. */
int insp_routine(const char *kind);

/* The body's other routine inspections of rec's enterprise in rec's year
 * (window_from's), 报备 and after: *n their number; quiet (DATE_STR or
 * "") the latest window_from within quiet_days before rec's, if any. */
int insp_prior(const struct rec_ctx *c, const struct record *rec, int quiet_days, int *n, char *quiet, struct fz_err *e);
/* The year's ordinal and the (enterprise, body) pair fields, at 报备. */
int insp_cap_derive(const struct rec_ctx *c, const struct reg_def *r, struct record *rec, struct fz_err *e);
/* 报备 over the cap or within the quiet period, without an approval:
 * 409 naming the enterprise and the count. */
int insp_cap_gate(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct fz_err *e);


/* The cap and quiet period that apply to rec (rules.c): the most specific
 * rule in force for its body, region and the enterprise's industry, else
 * the register's settings (rule 0, basis ""). */
struct insp_limits {
	int cap, quiet;
	char basis[304];
	int64_t rule;
};
int insp_limits(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct insp_limits *out,
		struct fz_err *e);

/* The register's demo: a year of the demo city's inspections (demo.c). */
int inspection_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e);

#endif
