/*
 * disclosure_demo.c — the demo year's publications: each decision that
 * must be published is, most within the sector's period, a few percent
 * a few working days late, those decided lately not yet — and this year
 * each body's latest one is left for its officer to publish (the demo's
 * desk); the year's first one changed on 行政复议 and withdrawn with the
 * reason.
 */
#include <stdlib.h>
#include <string.h>

#include "domain/demo.h"
#include "domain/enforcement_case/enforcement_case.h"

/* The cases of year whose decision must be published, in id order; their
 * bodies into body (the same length, malloc'd). */
static int64_t *to_publish(struct demo_ctx *d, const struct reg_def *r, int year, int *n, int64_t **body,
			   struct fz_err *e)
{
	char from[DATE_STR], to[DATE_STR];
	snprintf(from, sizeof from, "%04d-01-01", year);
	snprintf(to, sizeof to, "%04d-12-31", year);
	db_stmt *st = db_prepare(d->c.d, "SELECT id, data, body_id FROM records WHERE register = $1 AND start_date >= $2"
					 " AND start_date <= $3 ORDER BY id");
	int64_t *ids = NULL;
	*body = NULL;
	int cap = 0, rc;
	*n = 0;
	db_bind_text(st, 1, r->name);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, to);
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *data = json_loads(db_col_text(st, 1), 0, NULL);
		const char *must = json_string_value(json_object_get(data, "disclose_required"));
		int take = must && strcmp(must, "是") == 0 && !json_object_get(data, "published_on");
		json_decref(data);
		if (!take)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			int64_t *more = realloc(ids, sizeof *ids * (size_t)cap), *bodies = more ? realloc(*body, sizeof *ids * (size_t)cap) : NULL;
			if (more)
				ids = more;
			if (!bodies) {
				rc = DB_ERR;
				break;
			}
			*body = bodies;
		}
		(*body)[*n] = db_col_int(st, 2);
		ids[(*n)++] = db_col_int(st, 0);
	}
	db_done(st);
	if (rc != DB_DONE) {
		free(ids);
		free(*body);
		*body = NULL;
		fz_store(e, d->c.d);
		return NULL;
	}
	return ids;
}

/* Publishes case id: on time (within its period) or, late, a few
 * working days after; 1 when that day is still to come. */
static int publish(struct demo_ctx *d, const struct reg_def *r, int64_t id, int late, char day[DATE_STR], struct fz_err *e)
{
	struct record rec;
	if (record_load(&d->c, r, id, &rec, e) != 0)
		return -1;
	const char *decided = record_text(&rec, "decided_on"), *due = record_text(&rec, "disclose_due");
	struct date a, b;
	int span = date_parse(decided, &a) == 0 && date_parse(due, &b) == 0 ? date_to_days(b) - date_to_days(a) : 1;
	int rc = 0;
	if (late)
		rc = ec_after(due, (struct deadline_rule){ .kind = DL_WORKING_DAYS, .days = 1 + demo_pick(d, 5) }, day, "published_on", e);
	else
		date_format(date_from_days(date_to_days(a) + demo_pick(d, span > 1 ? span : 1)), day);
	record_free(&rec);
	if (rc != 0)
		return -1;
	if (strcmp(day, d->today) > 0)
		return 1;
	return ec_publish(&d->c, r, id, NULL, day, e);
}

/* The first publication changed on 行政复议 ten days later and withdrawn
 * two working days after that (第四十八条第二款: within three). */
static int withdraw(struct demo_ctx *d, const struct reg_def *r, int64_t id, const char *published, struct fz_err *e)
{
	char changed[DATE_STR], day[DATE_STR];
	if (demo_day_after(d, published, 10, changed) != 0 ||
	    ec_after(changed, (struct deadline_rule){ .kind = DL_WORKING_DAYS, .days = 2 }, day, "withdrawn_on", e) != 0 ||
	    strcmp(day, d->today) > 0)
		return 0;
	return ec_withdraw(&d->c, r, id, "变更", "经行政复议，复议机关决定变更罚款数额，原公示的决定信息撤回，变更后的决定另行公示",
			   changed, day, e);
}

int ec_disclosure_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e)
{
	int n, rc = 0, withdrawn = 0;
	int64_t *body, *ids = to_publish(d, r, year, &n, &body, e);
	char day[DATE_STR];
	if (!ids && e->code)
		return -1;
	for (int i = 0; rc >= 0 && i < n; i++) {
		int later = 0; /* another of its body's decisions to come this year? */
		for (int j = i + 1; j < n && !later; j++)
			later = body[j] == body[i];
		if (!later && year == atoi(d->today))
			continue;
		rc = publish(d, r, ids[i], demo_chance(d, 4), day, e);
		if (rc == 0 && !withdrawn) {
			withdrawn = 1;
			rc = withdraw(d, r, ids[i], day, e);
		}
	}
	free(ids);
	free(body);
	return rc < 0 ? -1 : 0;
}
