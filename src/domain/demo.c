/* demo.c — the demo generators' shared helpers (demo.h). */
#include "domain/demo.h"

#include <stdio.h>

static uint32_t next(struct demo_ctx *d)
{
	d->rng ^= d->rng << 13;
	d->rng ^= d->rng >> 7;
	d->rng ^= d->rng << 17;
	return (uint32_t)(d->rng >> 32);
}

int demo_pick(struct demo_ctx *d, int n) { return (int)(next(d) % (uint32_t)n); }
int demo_chance(struct demo_ctx *d, int percent) { return demo_pick(d, 100) < percent; }
const char *demo_body(struct demo_ctx *d) { return d->bodies[demo_pick(d, d->nbodies)]; }
const char *demo_top_body(struct demo_ctx *d) { return d->ntop ? d->top[demo_pick(d, d->ntop)] : demo_body(d); }

int demo_day_after(const struct demo_ctx *d, const char *start, int days, char out[DATE_STR])
{
	struct date s, t;
	if (date_parse(start, &s) != 0 || date_parse(d->today, &t) != 0)
		return -1;
	int v = date_to_days(s) + days;
	if (v > date_to_days(t))
		return -1;
	date_format(date_from_days(v), out);
	return 0;
}

int demo_create(struct demo_ctx *d, const struct reg_def *r, const char *body, const char *start, json_t *data,
		int64_t *id, struct fz_err *e)
{
	snprintf(d->c.today, sizeof d->c.today, "%s", start);
	if (record_create(&d->c, r, body ? body : demo_body(d), start, data, id, e) != 0)
		return -1;
	d->count++;
	return 0;
}

int demo_step(struct demo_ctx *d, const struct reg_def *r, int64_t id, const char *t, const char *day,
	      json_t *patch, struct fz_err *e)
{
	snprintf(d->c.today, sizeof d->c.today, "%s", day);
	int rc = record_transition(&d->c, r, id, t, patch, e);
	json_decref(patch);
	return rc;
}

int demo_certs(struct demo_ctx *d, int64_t body, int year, char (*out)[32], int max, struct fz_err *e)
{
	char from[DATE_STR], until[DATE_STR];
	int n = 0;
	snprintf(from, sizeof from, "%04d-01-01", year);
	snprintf(until, sizeof until, "%04d-12-31", year);
	db_stmt *st = db_prepare(d->c.d, "SELECT cert_no FROM people WHERE body_id = $1 AND cert_status = 'active'"
					 " AND cert_valid_from <= $2 AND cert_valid_until >= $3 ORDER BY id");
	if (st)
		db_bind_int(st, 1, body), db_bind_text(st, 2, from), db_bind_text(st, 3, until);
	while (st && n < max && db_step(st) == DB_ROW)
		snprintf(out[n++], sizeof out[0], "%s", db_col_text(st, 0));
	db_done(st);
	return st ? n : fz_store(e, d->c.d);
}

int demo_each(struct demo_ctx *d, const struct reg_def *r, int year, uint64_t salt, int n, demo_one_fn one,
	      struct fz_err *e)
{
	uint64_t shared = d->rng;
	int rc = 0;
	d->rng ^= salt + (uint64_t)year;
	for (int k = 0; rc == 0 && k < n; k++)
		rc = one(d, r, year, k, e);
	d->rng = shared;
	return rc;
}
