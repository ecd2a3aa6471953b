/*
 * decision_catalog.h — 重大行政决策事项目录 (data/registers/decision_catalog.json):
 * a government's catalogue of the year, its publication deadline from the
 * locality's setting, and the demo.
 */
#ifndef FAZHI_DOMAIN_DECISION_CATALOG_H
#define FAZHI_DOMAIN_DECISION_CATALOG_H

#include "domain.h"

int decision_catalog_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e);

#endif
