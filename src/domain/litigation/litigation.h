/*
 * litigation.h — 行政应诉案件 (data/registers/litigation.json): the periods
 * of 行政诉讼法 (the defence, the appeal), who appeared when the court
 * notified the head, what must be performed, and the demo.
 */
#ifndef FAZHI_DOMAIN_LITIGATION_H
#define FAZHI_DOMAIN_LITIGATION_H

#include "domain.h"

int litigation_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e);

#endif
