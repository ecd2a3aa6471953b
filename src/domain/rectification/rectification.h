/*
 * rectification.h — 整改台账 (data/registers/rectification.json): what
 * its declaration cannot say. Its rules (deadlines moved only by an
 * approved extension, 销号 by the assigning side) are all declared; the
 * C here is its demo generator.
 */
#ifndef FAZHI_DOMAIN_RECTIFICATION_H
#define FAZHI_DOMAIN_RECTIFICATION_H

#include "domain.h"

int rectification_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e);

#endif
