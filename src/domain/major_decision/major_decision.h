/*
 * major_decision.h — 重大行政决策 (data/registers/major_decision.json): the
 * five statutory procedures of 重大行政决策程序暂行条例, which apply and
 * whether each is done, the gate of adoption, and the demo.
 */
#ifndef FAZHI_DOMAIN_MAJOR_DECISION_H
#define FAZHI_DOMAIN_MAJOR_DECISION_H

#include "domain.h"

int major_decision_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e);

#endif
