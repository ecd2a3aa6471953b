/*
 * demo_int.h — what the register's demo (demo.c) and its joint visits
 * (joint_demo.c) share: a body that inspects, with its certified
 * officers, its 行政检查 matter and the enterprises of its region.
 */
#ifndef FAZHI_DOMAIN_INSPECTION_DEMO_INT_H
#define FAZHI_DOMAIN_INSPECTION_DEMO_INT_H

#include "domain/demo.h"
#include "domain/inspection/inspection.h"

#define MAX_CERTS 6
#define MAX_ENTERPRISES 40

struct squad {
	char code[48], path[128];
	int64_t id, matter;
	char certs[MAX_CERTS][32];
	int ncerts;
	int64_t firms[MAX_ENTERPRISES];
	int nfirms;
};

/* Up to max ids of the first column of st's rows (st finished); -1 on a
 * store error. */
int insp_demo_ids(db_stmt *st, int64_t *out, int max);
/* The squad's officers certified all year and its region's enterprises. */
int insp_demo_load(struct demo_ctx *d, struct squad *s, int year, struct fz_err *e);
/* The body's 行政检查 matter: listed the first year, found the next. */
int insp_demo_matter(struct demo_ctx *d, const struct reg_def *r, struct squad *s, int year, struct fz_err *e);
/* 报备 on day: over the cap or in the quiet period, approved half the
 * time, cancelled otherwise. 1: not registered. */
int insp_demo_register(struct demo_ctx *d, const struct reg_def *r, const struct squad *s, int64_t id,
		       const char *day, struct fz_err *e);

/* The partner's plan of the same enterprise and window as plan a (kind
 * its kind), offered with it as one joint visit, accepted by both bodies
 * and registered (joint_demo.c): *b its id, 0 when none was merged. */
int joint_demo_pair(struct demo_ctx *d, const struct reg_def *r, const struct squad *partner, int64_t a,
		    int64_t enterprise, const char *kind, const char *from, const char *plan, int64_t *b,
		    struct fz_err *e);
/* This year's offers left open for the demo's department and officer
 * accounts to answer: a plan of their body and one of another body of
 * the region, for the same enterprise a week ahead. */
int joint_demo_open(struct demo_ctx *d, const struct reg_def *r, struct squad *s, int n, int year, struct fz_err *e);

#endif
