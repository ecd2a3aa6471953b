/*
 * joint.c — 综合查一次: different bodies' planned inspections of one
 * enterprise whose windows overlap are offered as one joint visit
 * (优化营商环境条例 第五十四条). An offer (a merge: joint_merges and its
 * joint_merge_members, migration 034) is made when a plan is created or
 * registered; each member body answers; once every member left has
 * accepted (two at least) each gets joint = 是, the merge's id as its
 * joint group and the window all share. All in the caller's transaction.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/inspection/joint.h"

#include "clock.h"

#define JOINT_MAX_MEMBERS 16

/* Writes made by the joint mechanism itself (merging, a visit's check-in
 * or rating followed by the others) run with this set: they neither offer
 * nor follow again, so no write recurses. Per thread: one request each. */
static _Thread_local int joint_depth;

/* One member of a merge as its record stands. */
struct member {
	int64_t id, body_id;
	char path[128], from[DATE_STR], to[DATE_STR];
};

int joint_lock(const struct rec_ctx *c, int64_t enterprise, struct fz_err *e)
{
	return !db_in_tx(c->d) || db_lock(c->d, JOINT_LOCK_KEY + enterprise) == 0 ? 0 : fz_store(e, c->d);
}

int joint_planned(const struct reg_def *r, int state)
{
	const char *s = r->states[state].name;
	return strcmp(s, "plan") == 0 || strcmp(s, "registered") == 0;
}

int joint_audit(const struct rec_ctx *c, const char *action, int64_t merge, const char *result, json_t *detail)
{
	char sid[24];
	snprintf(sid, sizeof sid, "%" PRId64, merge);
	int rc = c->actor ? audit_append(c->d, c->actor, action, JOINT_ENTITY, sid, result, detail) : 0;
	json_decref(detail);
	return rc;
}

/* 1 when rec is a live member (pending, accepted) of an open merge or
 * has declined one (its body chose to go alone); 0 otherwise; -1 error. */
static int taken(db *d, int64_t rec)
{
	int64_t n = 0;
	char id[24];
	snprintf(id, sizeof id, "%" PRId64, rec);
	int rc = db_lookup_int(d, "SELECT COUNT(*) FROM joint_merge_members x JOIN joint_merges m ON m.id = x.merge_id"
				  " WHERE x.record_id = CAST($1 AS INTEGER) AND (x.answer = 'declined'"
				  " OR (m.state = 'open' AND x.answer IN ('pending', 'accepted')))", &n, 1, id);
	return rc < 0 ? -1 : n > 0;
}

static int add_member(db *d, int64_t merge, int64_t rec, int64_t body, const char *path)
{
	/* a plan that left the merge (its window changed) may come back */
	db_stmt *st = db_prepare(d, "INSERT INTO joint_merge_members(merge_id, record_id, body_id, region_path, answer)"
				    " VALUES ($1, $2, $3, $4, 'pending') ON CONFLICT (merge_id, record_id) DO UPDATE SET"
				    " answer = 'pending', reason = NULL, answered_by = NULL, answered_at = NULL");
	if (st)
		db_bind_int(st, 1, merge), db_bind_int(st, 2, rec), db_bind_int(st, 3, body), db_bind_text(st, 4, path);
	int rc = st ? db_run(st) : DB_ERR;
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int64_t new_merge(db *d, int64_t subject, const char *from, const char *to)
{
	db_stmt *st = db_prepare(d, "INSERT INTO joint_merges(subject_id, window_from, window_to, state, created_at)"
				    " VALUES ($1, $2, $3, 'open', $4) RETURNING id");
	if (!st)
		return 0;
	db_bind_int(st, 1, subject), db_bind_text(st, 2, from), db_bind_text(st, 3, to);
	db_bind_int(st, 4, (int64_t)time(NULL));
	int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
	db_run(st);
	db_done(st);
	return id;
}

/* The window shared by [from, to] and [f, t] into from/to; 0 when none. */
static int intersect(char *from, char *to, const char *f, const char *t)
{
	if (strcmp(f, from) > 0)
		snprintf(from, DATE_STR, "%s", f);
	if (strcmp(t, to) < 0)
		snprintf(to, DATE_STR, "%s", t);
	return strcmp(from, to) <= 0;
}

/* rec joins the open merge of its enterprise whose window meets its own
 * and holds no live member of its body: 1 joined, 0 none, -1 error. A
 * narrower window asks the members who accepted the wider one again. */
static int join_open(const struct rec_ctx *c, const struct record *rec, int64_t who, const char *from, const char *to)
{
	char f[DATE_STR], t[DATE_STR];
	int64_t id = 0;
	db_stmt *st = db_prepare(c->d, "SELECT m.id, m.window_from, m.window_to FROM joint_merges m WHERE m.subject_id = $1"
				       " AND m.state = 'open' AND m.window_from <= $3 AND m.window_to >= $2 AND NOT EXISTS"
				       " (SELECT 1 FROM joint_merge_members x WHERE x.merge_id = m.id AND x.body_id = $4"
				       " AND x.answer IN ('pending', 'accepted')) ORDER BY m.id");
	if (st)
		db_bind_int(st, 1, who), db_bind_text(st, 2, from), db_bind_text(st, 3, to), db_bind_int(st, 4, rec->body_id);
	int rc = st ? db_step(st) : DB_ERR;
	if (rc == DB_ROW) {
		id = db_col_int(st, 0);
		snprintf(f, sizeof f, "%s", db_col_text(st, 1));
		snprintf(t, sizeof t, "%s", db_col_text(st, 2));
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 0 : -1;
	int narrower = strcmp(from, f) > 0 || strcmp(to, t) < 0;
	intersect(f, t, from, to);
	st = db_prepare(c->d, narrower ? "UPDATE joint_merge_members SET answer = 'pending', answered_by = NULL, answered_at = NULL"
					 " WHERE merge_id = $1 AND answer = 'accepted'" : "SELECT $1");
	if (st)
		db_bind_int(st, 1, id);
	rc = st ? db_run(st) : DB_ERR;
	db_done(st);
	st = rc == DB_DONE ? db_prepare(c->d, "UPDATE joint_merges SET window_from = $2, window_to = $3 WHERE id = $1") : NULL;
	if (st)
		db_bind_int(st, 1, id), db_bind_text(st, 2, f), db_bind_text(st, 3, t);
	rc = st ? db_run(st) : DB_ERR;
	db_done(st);
	if (rc != DB_DONE || add_member(c->d, id, rec->id, rec->body_id, rec->region_path) != 0)
		return -1;
	return joint_audit(c, "joint_offer", id, "ok", json_pack("{s:[I]}", "members", (json_int_t)rec->id)) == 0 ? 1 : -1;
}

/* Other bodies' plans of the enterprise (not joined, not taken), up to
 * max, into m after rec itself; their number with rec's, -1 on error. */
static int candidates(const struct rec_ctx *c, const struct record *rec, int64_t who, struct member *m, int max)
{
	char like[48];
	int n = 1;
	snprintf(like, sizeof like, "%%\"enterprise\":%" PRId64 "%%", who);
	db_stmt *st = db_prepare(c->d, "SELECT id, body_id, region_path, data FROM records WHERE register = 'inspection'"
				       " AND state IN ('plan', 'registered') AND body_id <> $1 AND data LIKE $2 ORDER BY id");
	if (st)
		db_bind_int(st, 1, rec->body_id), db_bind_text(st, 2, like);
	int rc = st ? db_step(st) : DB_ERR;
	for (; rc == DB_ROW && n < max; rc = db_step(st)) {
		json_t *o = json_loads(db_col_text(st, 3), 0, NULL);
		struct record x = { .data = o };
		const char *f = insp_val(&x, "window_from"), *t = insp_val(&x, "window_to");
		if (o && json_integer_value(json_object_get(o, "enterprise")) == who && f && t &&
		    !json_object_get(o, "joint_group")) {
			m[n] = (struct member){ .id = db_col_int(st, 0), .body_id = db_col_int(st, 1) };
			snprintf(m[n].path, sizeof m[n].path, "%s", db_col_text(st, 2));
			snprintf(m[n].from, DATE_STR, "%s", f);
			snprintf(m[n].to, DATE_STR, "%s", t);
			n++;
		}
		json_decref(o);
	}
	db_done(st);
	return rc == DB_ERR || rc < 0 ? -1 : n;
}

/* Keeps, in order, the candidates whose window meets the running shared
 * window, one per body, not taken by another merge. */
static int cluster(const struct rec_ctx *c, struct member *m, int n, char *from, char *to)
{
	int k = 1;
	for (int i = 1; i < n; i++) {
		char f[DATE_STR], t[DATE_STR];
		int same = 0, busy;
		for (int j = 0; j < k; j++)
			same |= m[j].body_id == m[i].body_id;
		snprintf(f, sizeof f, "%s", from);
		snprintf(t, sizeof t, "%s", to);
		if (same || !intersect(f, t, m[i].from, m[i].to))
			continue;
		if ((busy = taken(c->d, m[i].id)) < 0)
			return -1;
		if (busy)
			continue;
		snprintf(from, DATE_STR, "%s", f);
		snprintf(to, DATE_STR, "%s", t);
		m[k++] = m[i];
	}
	return k;
}

int joint_offer(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct fz_err *e)
{
	(void)r;
	struct member m[JOINT_MAX_MEMBERS];
	char from[DATE_STR], to[DATE_STR];
	int64_t who = json_integer_value(json_object_get(rec->data, "enterprise"));
	const char *f = insp_val(rec, "window_from"), *t = insp_val(rec, "window_to");
	if (who && joint_lock(c, who, e) != 0)
		return -1;
	int busy = who && f && t && !json_object_get(rec->data, "joint_group") ? taken(c->d, rec->id) : 1;
	if (busy != 0)
		return busy < 0 ? fz_store(e, c->d) : 0;
	int joined = join_open(c, rec, who, f, t);
	if (joined != 0)
		return joined < 0 ? fz_store(e, c->d) : 0;
	m[0] = (struct member){ .id = rec->id, .body_id = rec->body_id };
	snprintf(m[0].path, sizeof m[0].path, "%s", rec->region_path);
	snprintf(from, sizeof from, "%s", f);
	snprintf(to, sizeof to, "%s", t);
	int n = candidates(c, rec, who, m, JOINT_MAX_MEMBERS);
	if (n >= 0)
		n = cluster(c, m, n, from, to);
	if (n < 0)
		return fz_store(e, c->d);
	if (n < 2)
		return 0;
	int64_t id = new_merge(c->d, who, from, to);
	json_t *ids = json_array();
	for (int i = 0; id && i < n; i++) {
		if (add_member(c->d, id, m[i].id, m[i].body_id, m[i].path) != 0)
			id = 0;
		json_array_append_new(ids, json_integer(m[i].id));
	}
	if (!id) {
		json_decref(ids);
		return fz_store(e, c->d);
	}
	return joint_audit(c, "joint_offer", id, "ok", json_pack("{s:o}", "members", ids)) == 0 ? 0 : fz_store(e, c->d);
}

/* Reads the live members (pending, accepted) of merge: their number,
 * *accepted of them accepted; -1 on error. */
static int live_members(db *d, int64_t merge, struct member *m, int max, int *accepted)
{
	db_stmt *st = db_prepare(d, "SELECT x.record_id, x.body_id, x.answer FROM joint_merge_members x"
				    " WHERE x.merge_id = $1 AND x.answer IN ('pending', 'accepted') ORDER BY x.record_id");
	int n = 0, rc = st ? DB_ROW : DB_ERR;
	*accepted = 0;
	if (st)
		db_bind_int(st, 1, merge);
	while (st && n < max && (rc = db_step(st)) == DB_ROW) {
		m[n] = (struct member){ .id = db_col_int(st, 0), .body_id = db_col_int(st, 1) };
		*accepted += strcmp(db_col_text(st, 2), "accepted") == 0;
		n++;
	}
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? n : -1;
}

static int set_state(db *d, int64_t merge, const char *state, const char *from, const char *to)
{
	db_stmt *st = db_prepare(d, "UPDATE joint_merges SET state = $2, decided_at = $3,"
				    " window_from = COALESCE($4, window_from), window_to = COALESCE($5, window_to) WHERE id = $1");
	if (st) {
		db_bind_int(st, 1, merge), db_bind_text(st, 2, state), db_bind_int(st, 3, (int64_t)time(NULL));
		db_bind_text(st, 4, from), db_bind_text(st, 5, to);
	}
	int rc = st ? db_run(st) : DB_ERR;
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* The members become one joint visit: each record (through the engine, as
 * the system acting for the caller) gets joint, the group and the window
 * all share; refused when their windows no longer meet. */
static int merge(const struct rec_ctx *c, const struct reg_def *r, int64_t id, struct member *m, int n,
		 struct fz_err *e)
{
	struct rec_ctx sys = *c;
	char from[DATE_STR] = "0000-00-00", to[DATE_STR] = "9999-12-31";
	sys.user = NULL;
	for (int i = 0; i < n; i++) {
		struct record x;
		if (record_load(&sys, r, m[i].id, &x, e) != 0)
			return -1;
		int ok = insp_val(&x, "window_from") && insp_val(&x, "window_to") &&
			 intersect(from, to, insp_val(&x, "window_from"), insp_val(&x, "window_to"));
		record_free(&x);
		if (!ok)
			return fz_fail(e, 409, "joint_windows_apart", "window_from",
				       "各成员的计划检查期间已无重叠（计划被修改过），不能合并为一次联合检查");
	}
	for (int i = 0; i < n; i++) {
		json_t *v = json_pack("{s:s, s:I, s:s, s:s}", "joint", "是", "joint_group", (json_int_t)id, "window_from",
				      from, "window_to", to);
		int rc = record_annotate(&sys, r, m[i].id, v, "joint_merge", json_pack("{s:I}", "joint_group", (json_int_t)id), e);
		json_decref(v);
		if (rc != 0)
			return -1;
	}
	return set_state(c->d, id, "merged", from, to) == 0 ? 0 : fz_store(e, c->d);
}

int joint_settle(const struct rec_ctx *c, const struct reg_def *r, int64_t id, struct fz_err *e)
{
	struct member m[JOINT_MAX_MEMBERS];
	int accepted, n = live_members(c->d, id, m, JOINT_MAX_MEMBERS, &accepted);
	if (n < 0)
		return fz_store(e, c->d);
	if (n < 2)
		return set_state(c->d, id, "dropped", NULL, NULL) == 0 ? 0 : fz_store(e, c->d);
	if (accepted < n)
		return 0;
	joint_depth++; /* the members' writes are the merge's own */
	int rc = merge(c, r, id, m, n, e);
	joint_depth--;
	return rc;
}

/* rec left its open merges on its own (checked in, cancelled, replanned):
 * each is settled again without it. */
static int leave(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct fz_err *e)
{
	int64_t ids[8], who = json_integer_value(json_object_get(rec->data, "enterprise"));
	int n = 0, rc;
	if (who && joint_lock(c, who, e) != 0)
		return -1;
	db_stmt *st = db_prepare(c->d, "SELECT x.merge_id FROM joint_merge_members x JOIN joint_merges m ON m.id = x.merge_id"
				       " WHERE x.record_id = $1 AND m.state = 'open' AND x.answer IN ('pending', 'accepted')");
	if (st)
		db_bind_int(st, 1, rec->id);
	while (st && n < 8 && (rc = db_step(st)) == DB_ROW)
		ids[n++] = db_col_int(st, 0);
	db_done(st);
	for (int i = 0; st && i < n; i++) {
		db_stmt *u = db_prepare(c->d, "UPDATE joint_merge_members SET answer = 'left' WHERE merge_id = $1 AND record_id = $2");
		if (u)
			db_bind_int(u, 1, ids[i]), db_bind_int(u, 2, rec->id);
		rc = u ? db_run(u) : DB_ERR;
		db_done(u);
		if (rc != DB_DONE)
			return fz_store(e, c->d);
		if (joint_audit(c, "joint_leave", ids[i], "ok", json_pack("{s:[I]}", "members", (json_int_t)rec->id)) != 0 ||
		    joint_settle(c, r, ids[i], e) != 0)
			return e->code ? -1 : fz_store(e, c->d);
	}
	return st ? 0 : fz_store(e, c->d);
}


/* Whether a plan's enterprise or window changed from old to rec. */
static int replanned(const struct record *old, const struct record *rec)
{
	static const char *const keys[] = { "enterprise", "window_from", "window_to" };
	for (int i = 0; i < 3; i++)
		if (!json_equal(json_object_get(old->data, keys[i]), json_object_get(rec->data, keys[i])))
			return 1;
	return 0;
}

static int after(const struct rec_ctx *c, const struct reg_def *r, const struct record *old,
		 const struct record *rec, struct fz_err *e)
{
	int moved = !old || old->state != rec->state;
	if (joint_planned(r, rec->state) && moved)
		return joint_offer(c, r, rec, e);
	if (old && json_object_get(old->data, "joint_group") && replanned(old, rec))
		return fz_fail(e, 409, "joint_replanned", "window_from",
			       "本检查已与其他机关合并为联合检查（联合检查组编号 %lld），被检查企业和计划检查期间由联合检查组确定，不能单独改变",
			       (long long)json_integer_value(json_object_get(old->data, "joint_group")));
	/* a plan moved to another enterprise or window: the offer made for the
	 * old one is left, and another made for the new */
	if (old && joint_planned(r, rec->state) && !json_object_get(rec->data, "joint_group") && replanned(old, rec))
		return leave(c, r, rec, e) == 0 ? joint_offer(c, r, rec, e) : -1;
	if (old && joint_planned(r, old->state) && !joint_planned(r, rec->state) && leave(c, r, rec, e) != 0)
		return -1;
	if (!old || !moved || !json_object_get(rec->data, "joint_group"))
		return 0;
	return joint_follow(c, r, old, rec, e);
}

int joint_after_write(const struct rec_ctx *c, const struct reg_def *r, const struct record *old,
		      const struct record *rec, struct fz_err *e)
{
	if (joint_depth > 0)
		return 0;
	joint_depth++;
	int rc = after(c, r, old, rec, e);
	joint_depth--;
	return rc;
}
