/*
 * mediation.h — 行政调解、行政裁决案件 (data/registers/mediation.json):
 * what its declaration cannot say — the period by kind from the day of
 * acceptance, the dispute types and outcomes each kind allows, the
 * document a success or a ruling needs, and its demo.
 */
#ifndef FAZHI_DOMAIN_MEDIATION_H
#define FAZHI_DOMAIN_MEDIATION_H

#include "domain.h"

int mediation_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e);

#endif
