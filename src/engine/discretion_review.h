/*
 * discretion_review.h — the 裁量基准 citing a law that changed get review
 * tasks (discretion_review.c); called with the registers' law_changed
 * hooks by the law library's import.
 */
#ifndef FAZHI_DISCRETION_REVIEW_H
#define FAZHI_DISCRETION_REVIEW_H

#include "record.h"

/* Opens a review task for each benchmark citing law_title (its newest
 * version), counted into *opened; in c's transaction. 0, or -1 with e. */
int discretion_law_changed(const struct rec_ctx *c, const char *law_title, const char *change, const char *day, int *opened,
			   struct fz_err *e);

#endif
