/*
 * proposal.h — 建议提案 (data/registers/proposal.json): the rules of
 * 代表法 第五十一条 and the province's rules that its declaration cannot
 * say, and its demo generator.
 */
#ifndef FAZHI_DOMAIN_PROPOSAL_H
#define FAZHI_DOMAIN_PROPOSAL_H

#include "domain.h"

int proposal_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e);

#endif
