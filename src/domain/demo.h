/*
 * demo.h — what the registers' demo generators (src/domain/<register>/,
 * the `demo` hook of domain.h) share: a deterministic random sequence,
 * the bodies that handle work, and records created and moved through
 * their transitions on past days, so counters, deadlines and statuses
 * come out as they would have in real use.
 */
#ifndef FAZHI_DOMAIN_DEMO_H
#define FAZHI_DOMAIN_DEMO_H

#include <stdint.h>

#include "attach_store.h"
#include "clock.h"
#include "record.h"

#define DEMO_MAX_BODIES 256

struct demo_ctx {
	struct rec_ctx c;           /* the system: no user, no audit */
	const char *today;          /* YYYY-MM-DD: no step after it */
	uint64_t rng;
	char bodies[DEMO_MAX_BODIES][48]; /* handling bodies (departments, townships) */
	int nbodies;
	/* the top region's departments and the county governments: where the
	 * top level's work (what its deputies raise) is assigned */
	char top[DEMO_MAX_BODIES][48];
	int ntop;
	long count;                 /* records created */
	/* the demo clerk's body (the department account's): the generators
	 * give it today's work — items to start, one returned, one overdue —
	 * so its 工作台 shows what the console is for; NULL: none */
	const char *desk;
	/* the demo officer's body (a 执法队): it handles cases too, so the
	 * officer account's case list is not empty; NULL: none */
	const char *squad;
	/* `fazhi demo --cases N`: about how many enforcement cases a year the
	 * generators make, all bodies together; 0: their default */
	long cases;
	/* where the generators' proofs (印证材料) go, in bulk mode; NULL: none */
	struct attach_store *files;
};

int demo_pick(struct demo_ctx *d, int n);           /* 0..n-1 */
int demo_chance(struct demo_ctx *d, int percent);
const char *demo_body(struct demo_ctx *d);
const char *demo_top_body(struct demo_ctx *d); /* a body of the top level (any, when none) */
/* out = start + days; -1 when that is after today (the step has not happened yet). */
int demo_day_after(const struct demo_ctx *d, const char *start, int days, char out[DATE_STR]);
/* Creates a record dated start for body (NULL: any handling body; data
 * borrowed); 0, or -1 with e set. */
int demo_create(struct demo_ctx *d, const struct reg_def *r, const char *body, const char *start, json_t *data,
		int64_t *id, struct fz_err *e);
/* Takes transition t on day (patch stolen, may be NULL). */
int demo_step(struct demo_ctx *d, const struct reg_def *r, int64_t id, const char *t, const char *day,
	      json_t *patch, struct fz_err *e);
/* Runs one(d, r, year, k, e) for k = 0 … n-1 on a random sequence of its
 * own (salt and year), then gives the shared sequence back as it was: a
 * generator added later leaves the other generators' records unchanged.
 * Stops at the first failure. */
typedef int (*demo_one_fn)(struct demo_ctx *d, const struct reg_def *r, int year, int k, struct fz_err *e);
int demo_each(struct demo_ctx *d, const struct reg_def *r, int year, uint64_t salt, int n, demo_one_fn one,
	      struct fz_err *e);
/* The 执法证号 of body's officers whose certificates are active and valid
 * all year, at most max into out: their number, or -1 with e set. */
int demo_certs(struct demo_ctx *d, int64_t body, int year, char (*out)[32], int max, struct fz_err *e);

#endif
