/*
 * judicial_suggestion.h — 司法建议、检察建议 (data/registers/
 * judicial_suggestion.json): what its declaration cannot say — the reply
 * period by kind (检察公益诉讼解释 第二十一条; the others' from settings),
 * the remedial item (整改) each suggestion becomes, and its demo.
 */
#ifndef FAZHI_DOMAIN_JUDICIAL_SUGGESTION_H
#define FAZHI_DOMAIN_JUDICIAL_SUGGESTION_H

#include "domain.h"

int judicial_suggestion_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e);

#endif
