/*
 * joint_demo.c — the demo's 综合查一次: joint visits made the way the
 * platform makes them (the partner's plan offered with the first as one
 * visit, both bodies accepting, the merge giving both the group), and
 * this year's offers left open for the demo's department and officer
 * accounts. No random draws: the demo's sequence is the others' too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/inspection/demo_int.h"
#include "domain/inspection/joint.h"

/* The squad's first two certified officers. */
static json_t *two(const struct squad *s)
{
	char text[80];
	snprintf(text, sizeof text, "%s、%s", s->certs[0], s->certs[1]);
	return json_string(text);
}

static int plan_of(struct demo_ctx *d, const struct reg_def *r, const struct squad *s, int64_t enterprise,
		   const char *kind, const char *from, const char *to, const char *day, int64_t *id, struct fz_err *e)
{
	json_t *data = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:o}", "enterprise", (json_int_t)enterprise, "matter",
				 (json_int_t)s->matter, "inspection_kind", kind, "window_from", from, "window_to", to, "joint",
				 "否", "officers", two(s));
	int rc = demo_create(d, r, s->code, day, data, id, e);
	json_decref(data);
	return rc;
}

/* Every member body of the merge a is in accepts (the demo's bodies have
 * no accounts answering): merged. *merge 0 when a was offered none. */
static int accept_all(struct demo_ctx *d, const struct reg_def *r, int64_t a, int64_t *merge, struct fz_err *e)
{
	db_stmt *st = db_prepare(d->c.d, "SELECT merge_id FROM joint_merge_members WHERE record_id = $1 AND answer = 'pending'");
	if (st)
		db_bind_int(st, 1, a);
	if (insp_demo_ids(st, merge, 1) < 0)
		return fz_store(e, d->c.d);
	st = *merge ? db_prepare(d->c.d, "UPDATE joint_merge_members SET answer = 'accepted', answered_at = $2"
					  " WHERE merge_id = $1 AND answer = 'pending'") : NULL;
	if (!*merge)
		return 0;
	if (st)
		db_bind_int(st, 1, *merge), db_bind_int(st, 2, (int64_t)time(NULL));
	int rc = st ? db_run(st) : DB_ERR;
	db_done(st);
	return rc == DB_DONE ? joint_settle(&d->c, r, *merge, e) : fz_store(e, d->c.d);
}

int joint_demo_pair(struct demo_ctx *d, const struct reg_def *r, const struct squad *partner, int64_t a,
		    int64_t enterprise, const char *kind, const char *from, const char *plan, int64_t *b,
		    struct fz_err *e)
{
	int64_t merge = 0;
	if (plan_of(d, r, partner, enterprise, kind, from, from, plan, b, e) != 0 || accept_all(d, r, a, &merge, e) != 0)
		return -1;
	if (!merge) /* not offered (never: the two plans meet) — the partner goes alone another day */
		return demo_step(d, r, *b, "cancel", plan, json_pack("{s:s}", "cancel_reason", "改期单独检查"), e) == 0
			       ? (*b = 0) : -1;
	if (demo_step(d, r, *b, "register", plan, NULL, e) == 0)
		return 0;
	if (e->status != 409)
		return -1;
	memset(e, 0, sizeof *e); /* over the cap: the joint visit counts once for the enterprise; approved */
	return demo_step(d, r, *b, "register", plan,
			 json_pack("{s:s}", "cap_approval", "经本机关负责人批准：综合查一次，与其他机关联合检查"), e);
}

/* The body coded code among s, or NULL. */
static struct squad *find(struct squad *s, int n, const char *code)
{
	for (int i = 0; code && i < n; i++)
		if (strcmp(s[i].code, code) == 0)
			return &s[i];
	return NULL;
}

/* One open offer: a plan of a and one of b, enterprise the k-th from
 * the end of a's, a week to a fortnight from today. */
static int offer(struct demo_ctx *d, const struct reg_def *r, const struct squad *a, const struct squad *b, int k,
		 struct fz_err *e)
{
	struct date t;
	char from[DATE_STR], to[DATE_STR], today[DATE_STR];
	int64_t x, y;
	if (!a || !b || !a->matter || !b->matter || a->nfirms <= k || date_parse(d->today, &t) != 0)
		return 0;
	snprintf(today, sizeof today, "%s", d->today);
	date_format(date_from_days(date_to_days(t) + 7), from);
	date_format(date_from_days(date_to_days(t) + 14), to);
	int64_t ent = a->firms[a->nfirms - 1 - k];
	return plan_of(d, r, a, ent, "专项检查", from, to, today, &x, e) != 0 ||
			       plan_of(d, r, b, ent, "随机抽查", from, to, today, &y, e) != 0
		       ? -1 : 0;
}

int joint_demo_open(struct demo_ctx *d, const struct reg_def *r, struct squad *s, int n, int year, struct fz_err *e)
{
	struct date t;
	if (date_parse(d->today, &t) != 0 || t.year != year)
		return 0;
	struct squad *desk = find(s, n, d->desk), *other = NULL;
	for (int i = 0; desk && i < n; i++)
		if (&s[i] != desk && s[i].matter && strcmp(s[i].path, desk->path) == 0 && !other)
			other = &s[i];
	if (offer(d, r, desk, other, 0, e) != 0)
		return -1;
	/* the officer's body (a 执法队), with its own matter when it has two certified officers */
	struct squad squad = { 0 };
	char *path = NULL;
	int64_t id = 0;
	if (!d->squad || db_lookup_int(d->c.d, "SELECT id FROM bodies WHERE code = $1", &id, 1, d->squad) != DB_ROW ||
	    db_lookup_text(d->c.d, "SELECT region_path FROM bodies WHERE code = $1", &path, 1, d->squad) != DB_ROW)
		return 0;
	squad.id = id;
	snprintf(squad.code, sizeof squad.code, "%s", d->squad);
	snprintf(squad.path, sizeof squad.path, "%s", path);
	free(path);
	if (insp_demo_load(d, &squad, year, e) != 0)
		return -1;
	if (squad.ncerts < 2 || squad.nfirms < 2)
		return 0;
	return insp_demo_matter(d, r, &squad, year, e) == 0 ? offer(d, r, &squad, other ? other : desk, 1, e) : -1;
}
