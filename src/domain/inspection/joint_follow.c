/*
 * joint_follow.c — one joint visit, one rating: when a member of a joint
 * group is checked in, every other member is checked in with it (a plan
 * still unregistered is registered first); a rating or a complaint on one
 * member is given to every member that has recorded its result, and to
 * the others when they record it. Each write goes through the record
 * engine as the system acting for the caller, so each member's gate (its
 * own two certified officers, 行政处罚法 第四十二条) applies; a refusal
 * refuses the whole visit, in the caller's transaction.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/inspection/joint.h"

#include "validate.h"

#define JOINT_MAX_GROUP 16

/* The other accepted members of rec's group, up to max; -1 on error. */
static int others(const struct rec_ctx *c, const struct record *rec, int64_t *ids, int max)
{
	int64_t group = json_integer_value(json_object_get(rec->data, "joint_group"));
	db_stmt *st = db_prepare(c->d, "SELECT record_id FROM joint_merge_members WHERE merge_id = $1 AND answer = 'accepted'"
				       " AND record_id <> $2 ORDER BY record_id");
	int n = 0, rc = st ? DB_ROW : DB_ERR;
	if (st)
		db_bind_int(st, 1, group), db_bind_int(st, 2, rec->id);
	while (st && n < max && (rc = db_step(st)) == DB_ROW)
		ids[n++] = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? n : -1;
}

/* e's refusal, told as the member's: which one could not follow. */
static int member_refused(const struct rec_ctx *c, int64_t id, const char *act, struct fz_err *e)
{
	char msg[sizeof e->msg], *body = NULL, sid[24];
	snprintf(sid, sizeof sid, "%" PRId64, id);
	db_lookup_text(c->d, "SELECT b.name FROM records r JOIN bodies b ON b.id = r.body_id WHERE r.id = CAST($1 AS INTEGER)",
		       &body, 1, sid);
	if (snprintf(msg, sizeof msg, "联合检查的成员%s（检查编号 %s）不能同时%s：%s", body ? body : "", sid, act, e->msg) >=
	    (int)sizeof msg)
		utf8_scrub(msg); /* cut: no half character */
	memcpy(e->msg, msg, sizeof msg);
	free(body);
	return -1;
}

static int step(struct rec_ctx *sys, const struct reg_def *r, int64_t id, const char *name, json_t *patch,
		const char *act, struct fz_err *e)
{
	int rc = record_transition(sys, r, id, name, patch, e);
	json_decref(patch);
	return rc == 0 ? 0 : member_refused(sys, id, act, e);
}

static int check_in(struct rec_ctx *sys, const struct reg_def *r, int64_t id, struct fz_err *e)
{
	struct record x;
	if (record_load(sys, r, id, &x, e) != 0)
		return -1;
	const char *s = r->states[x.state].name;
	int plan = strcmp(s, "plan") == 0, due = plan || strcmp(s, "registered") == 0;
	record_free(&x);
	if (plan && step(sys, r, id, "register", NULL, "报备", e) != 0)
		return -1;
	return due ? step(sys, r, id, "check_in", NULL, "入企检查", e) : 0;
}

/* The rating and the complaint src holds, given to member id where its
 * state allows and it has none yet. */
static int carry(struct rec_ctx *sys, const struct reg_def *r, json_t *src, int64_t id, struct fz_err *e)
{
	struct record x;
	json_t *rating = json_object_get(src, "rating");
	const char *complaint = json_string_value(json_object_get(src, "complaint"));
	if (record_load(sys, r, id, &x, e) != 0)
		return -1;
	const char *s = r->states[x.state].name;
	int recorded = strcmp(s, "result_recorded") == 0;
	int rate = rating && recorded && !json_object_get(x.data, "rating");
	int complain = complaint && *complaint && (recorded || strcmp(s, "rated") == 0) && !insp_val(&x, "complaint");
	record_free(&x);
	if (rate && step(sys, r, id, "rate", json_pack("{s:O}", "rating", rating), "评价", e) != 0)
		return -1;
	return complain ? step(sys, r, id, "complain", json_pack("{s:s}", "complaint", complaint), "记录投诉", e) : 0;
}

/* rec has just recorded its result: the group's rating and complaint, if
 * another member was given them already. */
static int catch_up(struct rec_ctx *sys, const struct reg_def *r, const struct record *rec, int64_t *ids, int n,
		    struct fz_err *e)
{
	for (int i = 0; i < n; i++) {
		struct record x;
		if (record_load(sys, r, ids[i], &x, e) != 0)
			return -1;
		int given = json_object_get(x.data, "rating") || insp_val(&x, "complaint");
		int rc = given ? carry(sys, r, x.data, rec->id, e) : 0;
		record_free(&x);
		if (rc != 0 || given)
			return rc;
	}
	return 0;
}

int joint_follow(const struct rec_ctx *c, const struct reg_def *r, const struct record *old,
		 const struct record *rec, struct fz_err *e)
{
	(void)old;
	int64_t ids[JOINT_MAX_GROUP];
	struct rec_ctx sys = *c;
	const char *to = r->states[rec->state].name;
	int checking = strcmp(to, "checked_in") == 0, rated = strcmp(to, "rated") == 0 || strcmp(to, "complained") == 0;
	if (!checking && !rated && strcmp(to, "result_recorded") != 0)
		return 0;
	int n = others(c, rec, ids, JOINT_MAX_GROUP);
	if (n < 0)
		return fz_store(e, c->d);
	sys.user = NULL; /* another body's record: the system acts, audited as the caller */
	if (!checking && !rated)
		return catch_up(&sys, r, rec, ids, n, e);
	for (int i = 0; i < n; i++)
		if ((checking ? check_in(&sys, r, ids[i], e) : carry(&sys, r, rec->data, ids[i], e)) != 0)
			return -1;
	return 0;
}
