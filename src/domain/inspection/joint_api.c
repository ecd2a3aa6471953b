/*
 * joint_api.c — 综合查一次 over HTTP: GET /api/v1/joint-merges (the merges
 * offered with a member in the caller's scope: ?state=open|merged|dropped|all,
 * ?record= one inspection's, ?mine=1 those awaiting the caller's body),
 * POST …/{id}/accept and …/{id}/decline {"reason"} by a member body's
 * officer or department. A merge outside the scope is missing (404); each
 * answer and each refusal is audited on the merge.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/api.h"

#include "domain/inspection/joint.h"

#define JOINT_LIST_MAX 100

static const char *answer_label(const char *a)
{
	return strcmp(a, "pending") == 0    ? "待答复"
	       : strcmp(a, "accepted") == 0 ? "已接受"
	       : strcmp(a, "declined") == 0 ? "不接受"
					    : "已退出（单独检查或已取消）";
}

static const char *state_label(const char *s)
{
	return strcmp(s, "open") == 0 ? "待各机关答复" : strcmp(s, "merged") == 0 ? "已合并为联合检查" : "未合并";
}

static int own_body(const struct user *u, int64_t body)
{
	for (int i = 0; i < u->nbodies; i++)
		if (u->bodies[i] == body)
			return 1;
	return 0;
}

/* One member as the list shows it: its body, item, officers and window
 * from its record, and its body's answer. */
static json_t *member(struct api *a, const struct reg_def *r, db_stmt *st)
{
	json_t *data = json_loads(db_col_text(st, 5), 0, NULL);
	struct record x = { .data = data };
	int state = register_state(r, db_col_text(st, 4));
	const char *ans = db_col_text(st, 3);
	json_t *m = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s?, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:b}",
			      "record_id", (json_int_t)db_col_int(st, 0), "body_id", (json_int_t)db_col_int(st, 1),
			      "body_name", db_col_text(st, 2), "answer", ans, "answer_label", answer_label(ans),
			      "reason", db_col_isnull(st, 6) ? NULL : db_col_text(st, 6), "state", db_col_text(st, 4),
			      "state_label", state >= 0 ? r->states[state].label : "", "matter_name", insp_val(&x, "matter_name"),
			      "other_items", insp_val(&x, "other_items"), "officers", insp_val(&x, "officers"),
			      "window_from", insp_val(&x, "window_from"), "window_to", insp_val(&x, "window_to"),
			      "mine", own_body(&a->user, db_col_int(st, 1)));
	json_decref(data);
	return m;
}

/* The merge's members into o, with the caller's part: whether its body
 * has a member awaiting its answer, and the other bodies' names. */
static int members(struct api *a, const struct reg_def *r, json_t *o)
{
	json_t *list = json_array(), *others = json_array();
	int pending = 0;
	db_stmt *st = db_prepare(a->db, "SELECT x.record_id, x.body_id, b.name, x.answer, r.state, r.data, x.reason"
					" FROM joint_merge_members x JOIN bodies b ON b.id = x.body_id JOIN records r ON r.id = x.record_id"
					" WHERE x.merge_id = $1 ORDER BY x.record_id");
	if (st)
		db_bind_int(st, 1, json_integer_value(json_object_get(o, "id")));
	int rc = st ? db_step(st) : DB_ERR;
	for (; rc == DB_ROW; rc = db_step(st)) {
		json_t *m = member(a, r, st);
		int mine = json_is_true(json_object_get(m, "mine")), live = strcmp(db_col_text(st, 3), "left") != 0 &&
									strcmp(db_col_text(st, 3), "declined") != 0;
		pending |= mine && strcmp(db_col_text(st, 3), "pending") == 0;
		if (!mine && live)
			json_array_append_new(others, json_string(db_col_text(st, 2)));
		json_array_append_new(list, m);
	}
	db_done(st);
	json_object_set_new(o, "members", list);
	json_object_set_new(o, "other_bodies", others);
	json_object_set_new(o, "my_pending", json_boolean(pending));
	return rc == DB_DONE ? 0 : -1;
}

/* FROM and the conditions every read shares: a member in the scope. */
static void scoped(struct api *a, struct query *q)
{
	query_init(q, "SELECT m.id, m.subject_id, s.name, m.window_from, m.window_to, m.state, m.created_at"
		      " FROM joint_merges m JOIN subjects s ON s.id = m.subject_id WHERE EXISTS"
		      " (SELECT 1 FROM joint_merge_members x WHERE x.merge_id = m.id");
	scope_filter(q, &a->user, "x.region_path", "x.body_id");
	query_raw(q, ")");
}

static int filters(struct api *a, struct query *q, struct fz_err *e)
{
	const char *state = http_query(a->r, "state");
	int64_t rec = 0;
	if (api_query_id(a, "record", &rec, e) != 0)
		return -1;
	if (state && strcmp(state, "all") != 0 && strcmp(state, "open") != 0 && strcmp(state, "merged") != 0 &&
	    strcmp(state, "dropped") != 0)
		return fz_invalid(e, "state", "状态应为 open（待答复）、merged（已合并）、dropped（未合并）或 all");
	if (!state && !rec)
		state = "open";
	if (state && strcmp(state, "all") != 0)
		query_add(q, " AND m.state = ?", "s", state);
	if (rec)
		query_add(q, " AND EXISTS (SELECT 1 FROM joint_merge_members y WHERE y.merge_id = m.id AND y.record_id = ?)", "i", rec);
	if (http_query(a->r, "mine")) {
		query_raw(q, " AND EXISTS (SELECT 1 FROM joint_merge_members y WHERE y.merge_id = m.id AND y.answer = 'pending'"
			     " AND y.body_id IN (0");
		for (int i = 0; i < a->user.nbodies; i++)
			query_add(q, ", ?", "i", a->user.bodies[i]);
		query_raw(q, "))");
	}
	return 0;
}

/* The merges q finds, each with its members; NULL on a store error. */
static json_t *read_merges(struct api *a, const struct reg_def *r, struct query *q)
{
	static const struct list_col cols[] = {
		{ "id", "编号", 1 }, { "enterprise", "被检查企业编号", 1 }, { "enterprise_name", "被检查企业", 0 },
		{ "window_from", "共同检查起始日期", 0 }, { "window_to", "共同检查截止日期", 0 }, { "state", "状态", 0 },
		{ "created_at", "提议时间", 1 }, { NULL, NULL, 0 },
	};
	json_t *items = json_array();
	db_stmt *st = query_prepare(a->db, q);
	int rc = st ? db_step(st) : DB_ERR;
	for (; rc == DB_ROW; rc = db_step(st)) {
		json_t *o = api_row(st, cols);
		json_object_set_new(o, "state_label", json_string(state_label(db_col_text(st, 5))));
		json_array_append_new(items, o);
	}
	db_done(st);
	for (size_t i = 0; rc == DB_DONE && i < json_array_size(items); i++)
		if (members(a, r, json_array_get(items, i)) != 0)
			rc = DB_ERR;
	if (rc != DB_DONE) {
		json_decref(items);
		return NULL;
	}
	return items;
}

static void list(struct api *a)
{
	struct fz_err e = { 0 };
	struct query q;
	const struct reg_def *r = register_find("inspection");
	if (!r) {
		api_not_found(a);
		return;
	}
	scoped(a, &q);
	if (filters(a, &q, &e) != 0) {
		query_free(&q);
		api_fail(a, &e);
		return;
	}
	char lim[64];
	snprintf(lim, sizeof lim, " ORDER BY m.id DESC LIMIT %d", JOINT_LIST_MAX);
	query_raw(&q, lim);
	json_t *items = read_merges(a, r, &q);
	query_free(&q);
	api_items(a, items);
}

/* The merge's state when the caller may see it (a member in its scope):
 * 0, or -1 with 404 as for a missing one (or the store's error). */
static int visible(struct api *a, int64_t id, char *state, size_t n, int64_t *enterprise, struct fz_err *e)
{
	struct query q;
	scoped(a, &q);
	query_add(&q, " AND m.id = ?", "i", id);
	db_stmt *st = query_prepare(a->db, &q);
	query_free(&q);
	int rc = st ? db_step(st) : DB_ERR;
	if (rc == DB_ROW) {
		snprintf(state, n, "%s", db_col_text(st, 5));
		*enterprise = db_col_int(st, 1);
	}
	db_done(st);
	if (rc == DB_ROW)
		return 0;
	return rc == DB_DONE ? fz_fail(e, 404, "not_found", NULL, "联合检查提议不存在或不在您的管辖范围内") : fz_store(e, a->db);
}

/* The caller's body's members awaiting its answer, into ids (up to max):
 * their number, or -1 with the refusal (not a member, answered already). */
static int my_pending(struct api *a, int64_t id, int64_t *ids, int max, struct fz_err *e)
{
	struct query q;
	int n = 0, answered = 0;
	query_init(&q, "SELECT record_id, answer FROM joint_merge_members WHERE 1 = 1");
	query_add(&q, " AND merge_id = ? AND body_id IN (0", "i", id);
	for (int i = 0; i < a->user.nbodies; i++)
		query_add(&q, ", ?", "i", a->user.bodies[i]);
	query_raw(&q, ") ORDER BY record_id");
	db_stmt *st = query_prepare(a->db, &q);
	query_free(&q);
	int rc = st ? db_step(st) : DB_ERR;
	for (; rc == DB_ROW; rc = db_step(st)) {
		if (strcmp(db_col_text(st, 1), "pending") != 0)
			answered = 1;
		else if (n < max)
			ids[n++] = db_col_int(st, 0);
	}
	db_done(st);
	if (rc != DB_DONE)
		return fz_store(e, a->db);
	if (n == 0 && answered)
		return fz_fail(e, 409, "joint_answered", NULL, "本机关已答复过该联合检查提议");
	if (n == 0)
		return fz_fail(e, 403, "joint_not_member", NULL,
			       "联合检查提议由参加的各检查机关（其执法人员或部门用户）答复；您所在单位的检查不在该提议中");
	return n;
}

/* The caller's body answers merge id; settled afterwards (merged when it
 * was the last to accept, dropped when too few are left). */
static int respond(struct api *a, struct rec_ctx *c, const struct reg_def *r, int64_t id, int accept,
		   const char *reason, struct fz_err *e)
{
	char state[16];
	int64_t ids[8], who = 0;
	/* read again once the enterprise's offers are ours: another body's
	 * answer may have settled it meanwhile */
	if (visible(a, id, state, sizeof state, &who, e) != 0 || joint_lock(c, who, e) != 0 ||
	    visible(a, id, state, sizeof state, &who, e) != 0)
		return -1;
	if (strcmp(state, "open") != 0)
		return fz_fail(e, 409, "joint_decided", NULL, "该联合检查提议%s，不能再答复", state_label(state));
	int n = my_pending(a, id, ids, 8, e);
	if (n < 0)
		return -1;
	json_t *members = json_array();
	for (int i = 0; i < n; i++) {
		db_stmt *st = db_prepare(a->db, "UPDATE joint_merge_members SET answer = $3, reason = $4, answered_by = $5,"
						" answered_at = $6 WHERE merge_id = $1 AND record_id = $2");
		if (st) {
			db_bind_int(st, 1, id), db_bind_int(st, 2, ids[i]), db_bind_text(st, 3, accept ? "accepted" : "declined");
			db_bind_text(st, 4, reason), db_bind_int(st, 5, a->user.id), db_bind_int(st, 6, (int64_t)time(NULL));
		}
		int rc = st ? db_run(st) : DB_ERR;
		db_done(st);
		if (rc != DB_DONE) {
			json_decref(members);
			return fz_store(e, a->db);
		}
		json_array_append_new(members, json_integer(ids[i]));
	}
	if (joint_audit(c, accept ? "joint_accept" : "joint_decline", id, "ok",
			json_pack("{s:o, s:s?}", "members", members, "reason", reason)) != 0)
		return fz_store(e, a->db);
	return joint_settle(c, r, id, e);
}

/* The merge as the list shows it, after an answer. */
static void show(struct api *a, const struct reg_def *r, int64_t id)
{
	struct query q;
	scoped(a, &q);
	query_add(&q, " AND m.id = ?", "i", id);
	json_t *items = read_merges(a, r, &q);
	query_free(&q);
	if (!items || json_array_size(items) != 1) {
		json_decref(items);
		api_items(a, NULL);
		return;
	}
	api_json(a, 200, json_incref(json_array_get(items, 0)));
	json_decref(items);
}

static void answer(struct api *a, int accept)
{
	struct fz_err e = { 0 };
	struct rec_ctx c;
	const char *reason = NULL, *action = accept ? "joint_accept" : "joint_decline";
	const struct reg_def *r = register_find("inspection");
	int64_t id = api_param_id(a, 0);
	if (id <= 0)
		return;
	api_rec_ctx(a, &c);
	int rc = !r ? fz_fail(&e, 404, "not_found", NULL, "联合检查提议不存在或不在您的管辖范围内")
	       : !accept && api_str(a, "reason", "不接受联合检查的理由", 1, 500, &reason, &e) != 0 ? -1
	       : db_begin(a->db) != 0 ? fz_store(&e, a->db) : respond(a, &c, r, id, accept, reason, &e);
	if (rc == 0 && db_commit(a->db) == 0) {
		show(a, r, id);
		return;
	}
	if (db_in_tx(a->db))
		db_rollback(a->db);
	if (!e.code)
		fz_store(&e, a->db);
	if (e.status != 500)
		api_audit(a, action, JOINT_ENTITY, id, "refused", json_pack("{s:s, s:s, s:s?}", "code", e.code, "reason", e.msg,
									    "field", e.field));
	api_fail(a, &e);
}

static void accept(struct api *a)
{
	answer(a, 1);
}

static void decline(struct api *a)
{
	answer(a, 0);
}

API_ROUTES(joint_merges,
	{ "GET", "/api/v1/joint-merges", list, PERM_RECORD_READ, 0 },
	{ "POST", "/api/v1/joint-merges/{id}/accept", accept, PERM_RECORD_WRITE, 0, 0, NO_FIELDS },
	{ "POST", "/api/v1/joint-merges/{id}/decline", decline, PERM_RECORD_WRITE, 0, 0, FIELDS("reason") })
