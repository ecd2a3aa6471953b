/*
 * gov_rule.h — 政府规章 (data/registers/gov_rule.json): the rules of
 * 规章制定程序条例 its definition cannot say (gov_rule.c) and the demo.
 */
#ifndef FAZHI_DOMAIN_GOV_RULE_H
#define FAZHI_DOMAIN_GOV_RULE_H

#include "domain.h"

#define GR_CONSULT_DAYS 30   /* 第十五条: 一般不少于30日 */
#define GR_EFFECTIVE_DAYS 30 /* 第三十二条: 公布之日起30日后施行 */
#define GR_FILING_DAYS 30    /* 第三十四条; 法规规章备案审查条例 第四条 */

int gov_rule_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e);

#endif
