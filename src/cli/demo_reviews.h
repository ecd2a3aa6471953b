/*
 * demo_reviews.h — the demo's 案卷评查: one finished campaign of last year
 * over the demo city (3 closed cases per enforcement body, scored by the
 * demo evaluator, most passing, two failing and rectified), so 4.19.1
 * 案卷评查合格率 has a value.
 */
#ifndef FAZHI_DEMO_REVIEWS_H
#define FAZHI_DEMO_REVIEWS_H

#include "db.h"
#include "error.h"

/* In the caller's transaction; year: the campaign's, today: YYYY-MM-DD.
 * 0 (also when no register takes reviews, or no case closed that year),
 * or -1 with e. */
int demo_case_review(db *d, const char *region, int year, const char *today, struct fz_err *e);

#endif
