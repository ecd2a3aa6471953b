/*
 * urges.c — POST /api/v1/urges: the office issues a 催办单 (urge) or a
 * 督办单 (supervise) on an open item of a register or an open task of
 * another body, within its scope. A 督办单 is for items past their
 * deadline. At most one of each kind per item and day. The act is an
 * audit entry on the item (so it is on the item's timeline) that the
 * notification pass turns into a notice to the body and its webhooks.
 */
#include "api.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cntime.h"
#include "fields.h"
#include "register.h"
#include "validate.h"
#include "vocab.h"

#define URGE_MESSAGE_MAX 500

struct target {
	const char *entity; /* a register's name, or "assignment" */
	int64_t id, body_id;
	char path[128], due[11];
	int open, met;
};

/* Loads the item within the caller's scope: 1 found, 0 not (404 to the
 * caller, as for any item outside its scope), -1 store error. */
static int target_load(struct api *a, struct target *t)
{
	struct query q;
	int task = strcmp(t->entity, "assignment") == 0;
	if (task)
		query_init(&q, "SELECT x.body_id, x.region_path, x.due_date, x.done_date IS NULL, 0 FROM assignments x"
			       " WHERE 1 = 1");
	else {
		query_init(&q, "SELECT r.body_id, r.region_path, COALESCE(r.due_date, ''), r.closed_date IS NULL,"
			       " r.met_date IS NOT NULL FROM records r WHERE 1 = 1");
		query_add(&q, " AND r.register = ?", "s", t->entity);
	}
	scope_filter(&q, &a->user, task ? "x.region_path" : "r.region_path", task ? "x.body_id" : "r.body_id");
	query_add(&q, task ? " AND x.id = ?" : " AND r.id = ?", "i", t->id);
	db_stmt *st = query_prepare(a->db, &q);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		t->body_id = db_col_int(st, 0);
		snprintf(t->path, sizeof t->path, "%s", db_col_text(st, 1));
		snprintf(t->due, sizeof t->due, "%s", db_col_text(st, 2));
		t->open = (int)db_col_int(st, 3);
		t->met = (int)db_col_int(st, 4);
	}
	db_done(st);
	query_free(&q);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static int in_own_body(const struct user *u, int64_t body_id)
{
	for (int i = 0; i < u->nbodies; i++)
		if (u->bodies[i] == body_id)
			return 1;
	return 0;
}

/* The rules of issuing one, in order; 0 when it may be issued. */
static int check(struct api *a, const struct target *t, const char *kind, const char *today, struct fz_err *e)
{
	if (in_own_body(&a->user, t->body_id))
		return fz_fail(e, 403, "own_body", NULL, "催办、督办由交办方对其他单位发出，不能对本单位的事项发出");
	if (!t->open)
		return fz_fail(e, 409, "closed", NULL, "该事项已办结，无需催办或督办");
	if (strcmp(kind, "supervise") == 0 && (t->met || !*t->due || strcmp(t->due, today) >= 0))
		return fz_fail(e, 409, "not_overdue", "kind", "督办单只对已逾期的事项发出（办理期限 %s）",
			       *t->due ? t->due : "未设定");
	return 0;
}

static int insert(struct api *a, const struct target *t, const char *kind, const char *msg, const char *reply,
		  const char *today, int64_t *id, struct fz_err *e)
{
	db_stmt *st = db_prepare(a->db, "INSERT INTO urges(kind, entity, entity_id, body_id, region_path, message, reply_by,"
					" day, issued_by, issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
					" RETURNING id");
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, t->entity);
	db_bind_int(st, 3, t->id);
	db_bind_int(st, 4, t->body_id);
	db_bind_text(st, 5, t->path);
	db_bind_text(st, 6, msg ? msg : "");
	db_bind_text(st, 7, reply);
	db_bind_text(st, 8, today);
	db_bind_int(st, 9, a->user.id);
	db_bind_int(st, 10, (int64_t)time(NULL));
	int rc = db_step(st);
	*id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc == DB_ROW)
		return 0;
	if (rc == DB_CONSTRAINT) /* the one constraint a valid row can break: one a kind, item and day */
		return fz_fail(e, 409, "duplicate", "kind", "今天已对该事项发出过%s", vocab_label(VOCAB_URGE_KIND, kind));
	return fz_store(e, a->db);
}

/* The body's fields: entity, id, kind; optional message and reply_by. */
static int read_input(struct api *a, struct target *t, const char **kind, const char **msg, const char **reply,
		      const char *today, struct fz_err *e)
{
	char why[128];
	json_t *id = json_object_get(a->body, "id");
	if (field_str(a->body, "entity", "对象", 1, 64, &t->entity, e) ||
	    field_enum(a->body, "kind", "类别", 1, vocab_codes(VOCAB_URGE_KIND), kind, e) ||
	    field_text(a->body, "message", "催办内容", 0, URGE_MESSAGE_MAX, msg, e) ||
	    field_str(a->body, "reply_by", "回复期限", 0, 10, reply, e))
		return -1;
	if (strcmp(t->entity, "assignment") != 0 && !register_find(t->entity))
		return fz_invalid(e, "entity", "对象应为登记簿名称或 assignment（分解任务）");
	if (!json_is_integer(id) || json_integer_value(id) <= 0)
		return fz_invalid(e, "id", "事项编号应为正整数");
	t->id = json_integer_value(id);
	if (*reply && (validate_date(*reply, why, sizeof why) != 0 || strcmp(*reply, today) < 0))
		return fz_invalid(e, "reply_by", "回复期限应为不早于今天的日期（YYYY-MM-DD）");
	return 0;
}

static void urge(struct api *a)
{
	struct fz_err e = { 0 };
	struct target t = { 0 };
	const char *kind, *msg = NULL, *reply = NULL;
	char today[11];
	int64_t id = 0;
	cn_today(today);
	if (read_input(a, &t, &kind, &msg, &reply, today, &e) != 0) {
		api_fail(a, &e);
		return;
	}
	int found = target_load(a, &t);
	if (found <= 0) {
		if (found < 0)
			api_error(a, 500, "store_error", NULL, "查询失败: %s", db_errmsg(a->db));
		else
			api_not_found(a);
		return;
	}
	if (check(a, &t, kind, today, &e) != 0) {
		api_audit(a, "urge", t.entity, t.id, "refused", json_pack("{s:s, s:s}", "kind", kind, "reason", e.msg));
		api_fail(a, &e);
		return;
	}
	int rc = db_begin(a->db) != 0 ? fz_store(&e, a->db) : insert(a, &t, kind, msg, reply, today, &id, &e);
	if (rc == 0)
		rc = api_audit(a, "urge", t.entity, t.id, "ok",
			       json_pack("{s:s, s:I, s:s, s:s?}", "kind", kind, "urge_id", (json_int_t)id, "message",
					 msg ? msg : "", "reply_by", reply));
	if (api_commit_or_fail(a, rc, &e) == 0)
		api_json(a, 201, json_pack("{s:I, s:s, s:s, s:I, s:s, s:s?, s:s}", "id", (json_int_t)id, "kind", kind,
					   "entity", t.entity, "entity_id", (json_int_t)t.id, "message", msg ? msg : "",
					   "reply_by", reply, "day", today));
}

API_ROUTES(urges, { "POST", "/api/v1/urges", urge, PERM_RECORD_URGE, 0, 0,
		    FIELDS("entity", "id", "kind", "message", "reply_by") })
