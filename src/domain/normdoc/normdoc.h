/*
 * normdoc.h — 行政规范性文件 (data/registers/normdoc.json): the rules its
 * definition cannot say (normdoc.c), the issuing body's entitlement and
 * the document number in its series (number.c), the review opened when a
 * cited law changes (law_review.c), the clean-up desk (cleanup.c) and the
 * demo (demo.c).
 */
#ifndef FAZHI_DOMAIN_NORMDOC_H
#define FAZHI_DOMAIN_NORMDOC_H

#include "domain.h"

/* The listed entry of the 制定主体清单 (the register the "issuer" field
 * refers to) for body: its record id into *id and its 发文代字 into
 * prefix, 1; 0 when the body is not listed; -1 with e on a store error. */
int normdoc_entitled(const struct rec_ctx *c, const struct reg_def *r, int64_t body, int64_t *id,
		      char prefix[64], struct fz_err *e);
/* Gives rec (state issued) its number: the one written at issuing, or the
 * next of the body's series "<代字>〔<year>〕<n>号"; 409 duplicate_number
 * when another document has it. */
int normdoc_number(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct fz_err *e);

/* Writes rec (published, numbered) into the law library for the public
 * search, repealed on `repealed` (NULL: in force), and marks on_portal
 * (portal.c). */
int normdoc_publish(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, const char *repealed,
		    struct fz_err *e);
/* The law_changed hook (law_review.c). */
int normdoc_law_changed(const struct rec_ctx *c, const struct reg_def *r, const char *law_title, const char *change,
			const char *day, int *opened, struct fz_err *e);

int normdoc_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e);

#endif
