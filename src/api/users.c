/* users.c — /api/v1/users: business-account administration for the
 * security administrator (安全管理员). Every write route passes one guard
 * first (separation_guard): administrator accounts and roles are host
 * operations only (`fazhi user`), never the API's. */
#include "api.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fields.h"
#include "users.h"

static const struct list_col cols[] = {
	{ "id", "编号", 1 }, { "username", "用户名", 0 }, { "display_name", "姓名", 0 }, { "role", "角色", 0 },
	{ "scope_region", "管辖区划代码", 0 }, { "scope_region_name", "管辖区划", 0 }, { "disabled_i", "已停用", 1 }, { "locked_until", "锁定至", 1 },
	{ "must_change_i", "须改密码", 1 }, { "last_login_at", "最近登录", 1 }, { NULL, NULL, 0 },
};

static const char SELECT[] = "SELECT u.id, u.username, u.display_name, u.role, u.scope_region, g.name, u.disabled,"
			     " u.locked_until, u.must_change, u.last_login_at";

static json_t *fix(struct api *a, json_t *o)
{
	int64_t id = json_integer_value(json_object_get(o, "id"));
	json_t *bodies = json_array();
	db_stmt *st = db_prepare(a->db, "SELECT b.code FROM user_bodies ub JOIN bodies b ON b.id = ub.body_id"
				      " WHERE ub.user_id = $1 ORDER BY b.code");
	if (st) {
		db_bind_int(st, 1, id);
		while (db_step(st) == DB_ROW)
			json_array_append_new(bodies, json_string(db_col_text(st, 0)));
		db_done(st);
	}
	json_object_set_new(o, "bodies", bodies);
	const struct role *r = role_find(json_string_value(json_object_get(o, "role")));
	json_object_set_new(o, "administrator", json_boolean(!r || r->admin));
	json_object_set_new(o, "disabled", json_boolean(json_integer_value(json_object_get(o, "disabled_i"))));
	json_object_set_new(o, "must_change_password",
			    json_boolean(json_integer_value(json_object_get(o, "must_change_i"))));
	json_object_set_new(o, "locked", json_boolean(json_integer_value(json_object_get(o, "locked_until")) >
						       (json_int_t)time(NULL)));
	json_object_del(o, "disabled_i");
	json_object_del(o, "must_change_i");
	return o;
}

static void list(struct api *a)
{
	struct query sel, cnt;
	const char *kw = http_query(a->r, "q");
	query_init(&sel, SELECT);
	query_init(&cnt, "SELECT COUNT(*)");
	for (struct query *q = &sel; q; q = q == &sel ? &cnt : NULL) {
		query_raw(q, " FROM users u LEFT JOIN regions g ON g.code = u.scope_region WHERE 1 = 1");
		if (kw && *kw) {
			char *pat = query_like_pattern(kw);
			q->failed |= !pat; /* no memory: the query is never run */
			query_add(q, " AND (u.username LIKE ? ESCAPE '\\' OR u.display_name LIKE ? ESCAPE '\\')", "ss",
				  pat, pat);
			free(pat);
		}
	}
	api_list(a, &sel, &cnt, "u.id", cols, "用户", fix);
	query_free(&sel);
	query_free(&cnt);
}

static void show(struct api *a, int64_t id, int status, const char *initial)
{
	struct query q;
	query_init(&q, SELECT);
	query_add(&q, " FROM users u LEFT JOIN regions g ON g.code = u.scope_region WHERE u.id = ?", "i", id);
	json_t *o = api_fetch_row(a, &q, cols);
	query_free(&q);
	if (!o)
		return;
	o = fix(a, o);
	if (initial)
		json_object_set_new(o, "initial_password", json_string(initial));
	api_json(a, status, o);
}

static void get(struct api *a)
{
	int64_t id = api_param_id(a, 0);
	if (id > 0)
		show(a, id, 200, NULL);
}

static int read_spec(struct api *a, struct user_spec *s, struct fz_err *e)
{
	if (api_str(a, "username", "用户名", 0, 32, &s->username, e) ||
	    api_str(a, "display_name", "姓名", 0, 50, &s->display_name, e) ||
	    api_str(a, "role", "角色", 0, 24, &s->role, e) ||
	    api_str(a, "scope_region", "管辖区划", 0, 12, &s->scope_region, e))
		return -1;
	s->bodies = json_object_get(a->body, "bodies");
	return 0;
}

/* The check every write route passes first, before any field is read or
 * validated: an administrator account is out of the API's reach, and no
 * account is given an administrator role (users_api_may_manage). Each
 * refusal is audited. 0 when the route may go on. */
static int separation_guard(struct api *a, const char *action, int64_t id)
{
	struct fz_err e = { 0 };
	const char *role = json_string_value(json_object_get(a->body, "role"));
	if (users_api_may_manage(a->db, id, role, &e) == 0)
		return 0;
	if (e.status == 403 &&
	    api_audit(a, action, "user", id, "refused",
		      json_pack("{s:s, s:s?}", "reason", "administrator_separation", "role", role)) != 0)
		fz_store(&e, a->db);
	api_fail(a, &e);
	return -1;
}

/* What a create or an update may name. */
static const char *const user_fields[] = { "username", "display_name", "role", "scope_region", "bodies", "disabled", NULL };

/* The route guards (route.guard): the separation check with the route's
 * action, on the path's id (none for a create). */
static int guard_id(struct api *a, const char *action, int with_id)
{
	int64_t id = with_id ? api_param_id(a, 0) : 0;
	return id < 0 ? -1 : separation_guard(a, action, id);
}

static int guard_create(struct api *a) { return guard_id(a, "create", 0); }
static int guard_update(struct api *a) { return guard_id(a, "update", 1); }
static int guard_unlock(struct api *a) { return guard_id(a, "unlock", 1); }
static int guard_reset(struct api *a) { return guard_id(a, "password_reset", 1); }

static void do_create(struct api *a, int64_t unused)
{
	struct user_spec s = { 0 };
	struct fz_err e = { 0 };
	char initial[17] = "";
	int64_t id = 0;
	(void)unused;
	if (read_spec(a, &s, &e) != 0) {
		api_fail(a, &e);
		return;
	}
	if (!s.role)
		fz_invalid(&e, "role", "角色为必填项");
	int rc = e.code ? -1 : db_begin(a->db);
	if (rc == 0)
		rc = users_create(a->db, &a->app->cfg, &a->actor, &s, NULL, initial, &id, &e);
	if (!e.code && rc != 0 && !db_in_tx(a->db))
		fz_store(&e, a->db);
	if (api_commit_or_fail(a, rc, &e) == 0)
		show(a, id, 201, initial);
}

static void do_update(struct api *a, int64_t id)
{
	struct user_spec s = { 0 };
	struct fz_err e = { 0 };
	if (read_spec(a, &s, &e) != 0) {
		api_fail(a, &e);
		return;
	}
	if (s.username) {
		api_error(a, 422, "invalid", "username", "用户名不能修改");
		return;
	}
	struct user cur;
	if (auth_user_load(a->db, id, &cur) != 0) {
		api_not_found(a);
		return;
	}
	db_stmt *st = db_prepare(a->db, "SELECT disabled FROM users WHERE id = $1");
	if (st)
		db_bind_int(st, 1, id);
	int rc = st ? db_step(st) : DB_ERR;
	int disabled = rc == DB_ROW ? (int)db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW) {
		fz_store(&e, a->db);
		api_fail(a, &e);
		return;
	}
	if (api_bool(a, "disabled", "停用", &disabled, &e) != 0) {
		api_fail(a, &e);
		return;
	}
	if (!s.role)
		s.role = cur.role;
	if (!s.display_name)
		s.display_name = cur.display_name;
	if (!json_object_get(a->body, "scope_region"))
		s.scope_region = cur.scope_region;
	rc = db_begin(a->db);
	if (rc == 0)
		rc = users_update(a->db, &a->actor, id, &s, disabled, &e);
	if (api_commit_or_fail(a, rc, &e) == 0)
		show(a, id, 200, NULL);
}

static void do_unlock(struct api *a, int64_t id)
{
	struct fz_err e = { 0 };
	int rc = db_begin(a->db);
	if (rc == 0)
		rc = users_unlock(a->db, &a->actor, id, &e);
	if (api_commit_or_fail(a, rc, &e) == 0)
		show(a, id, 200, NULL);
}

static void do_reset(struct api *a, int64_t id)
{
	struct fz_err e = { 0 };
	char initial[17] = "";
	int rc = db_begin(a->db);
	if (rc == 0)
		rc = users_set_password(a->db, &a->app->cfg, &a->actor, id, NULL, initial, &e);
	if (api_commit_or_fail(a, rc, &e) == 0)
		api_json(a, 200, json_pack("{s:s}", "initial_password", initial));
}

static void create(struct api *a) { do_create(a, 0); }
static void update(struct api *a) { do_update(a, api_param_id(a, 0)); }
static void unlock(struct api *a) { do_unlock(a, api_param_id(a, 0)); }
static void reset_password(struct api *a) { do_reset(a, api_param_id(a, 0)); }

API_ROUTES(users,
	{ "GET", "/api/v1/users", list, PERM_USER_ADMIN, 0 },
	{ "POST", "/api/v1/users", create, PERM_USER_ADMIN, 0, 0, user_fields, guard_create },
	{ "GET", "/api/v1/users/{id}", get, PERM_USER_ADMIN, 0 },
	{ "PATCH", "/api/v1/users/{id}", update, PERM_USER_ADMIN, 0, 0, user_fields, guard_update },
	{ "POST", "/api/v1/users/{id}/unlock", unlock, PERM_USER_ADMIN, 0, 0, NO_FIELDS, guard_unlock },
	{ "POST", "/api/v1/users/{id}/reset-password", reset_password, PERM_USER_ADMIN, 0, 0, NO_FIELDS, guard_reset })
