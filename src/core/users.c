/* users.c — account administration (see users.h), and the one predicate
 * that keeps the administrator accounts (三员) out of the API's reach. */
#include "users.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "crypto.h"
#include "roles.h"
#include "validate.h"

static int audit_user(db *d, const struct audit_actor *a, const char *action, int64_t id, json_t *detail)
{
	char sid[24];
	snprintf(sid, sizeof sid, "%" PRId64, id);
	int rc = audit_append(d, a, action, "user", sid, "ok", detail);
	json_decref(detail);
	return rc;
}

int64_t users_id_by_name(db *d, const char *username)
{
	db_stmt *st = db_prepare(d, "SELECT id FROM users WHERE username = $1");
	if (!st)
		return -1;
	db_bind_text(st, 1, username);
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : rc == DB_DONE ? 0 : -1;
	db_done(st);
	return id;
}

static int role_is_admin(const char *role)
{
	const struct role *r = role_find(role);
	return r && r->admin;
}

int users_api_may_manage(db *d, int64_t target_id, const char *role, struct fz_err *e)
{
	if (role_is_admin(role))
		return fz_fail(e, 403, "forbidden", "role",
			       "管理员角色（系统管理员、安全管理员、审计管理员）不能通过接口授予，"
			       "只能由运维人员在服务器上用 fazhi user add 设置");
	if (target_id <= 0)
		return 0;
	db_stmt *st = db_prepare(d, "SELECT role FROM users WHERE id = $1");
	if (!st)
		return fz_store(e, d);
	db_bind_int(st, 1, target_id);
	int rc = db_step(st), admin = rc == DB_ROW && role_is_admin(db_col_text(st, 0));
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return fz_store(e, d);
	if (admin)
		return fz_fail(e, 403, "forbidden", NULL,
			       "管理员账号（系统管理员、安全管理员、审计管理员）不能通过接口修改、重置、解锁或停用，"
			       "只能由运维人员在服务器上用 fazhi user 命令管理");
	return 0;
}

static int check_spec(db *d, const struct user_spec *s, struct fz_err *e)
{
	if (!s->role || !role_find(s->role)) {
		char list[512] = "";
		for (int i = 0; i < role_count(); i++)
			snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? "、" : "", role_at(i)->label);
		return fz_invalid(e, "role", "角色无效，应为以下之一：%s", list);
	}
	int64_t found = 0;
	if (s->scope_region && *s->scope_region) {
		int rc = db_lookup_int(d, "SELECT id FROM regions WHERE code = $1", &found, 1, s->scope_region);
		if (rc < 0)
			return fz_store(e, d);
		if (rc == DB_DONE)
			return fz_invalid(e, "scope_region", "管辖区划 %s 不存在", s->scope_region);
	}
	if (s->bodies && !json_is_array(s->bodies))
		return fz_invalid(e, "bodies", "所属机关应为机关编码数组");
	return 0;
}

static int set_bodies(db *d, int64_t id, json_t *bodies, struct fz_err *e)
{
	db_stmt *st = db_prepare(d, "DELETE FROM user_bodies WHERE user_id = $1");
	if (!st)
		return fz_store(e, d);
	db_bind_int(st, 1, id);
	int rc = db_run(st);
	db_done(st);
	if (rc != DB_DONE)
		return fz_store(e, d);
	size_t i;
	json_t *v;
	json_array_foreach(bodies, i, v) {
		const char *code = json_string_value(v);
		int64_t bid = 0;
		rc = code ? db_lookup_int(d, "SELECT id FROM bodies WHERE code = $1", &bid, 1, code) : DB_DONE;
		if (rc < 0)
			return fz_store(e, d);
		if (rc == DB_DONE)
			return fz_invalid(e, "bodies", "机关 %s 不存在", code ? code : "(非字符串)");
		st = db_prepare(d, "INSERT INTO user_bodies(user_id, body_id) VALUES ($1, $2) ON CONFLICT DO NOTHING");
		if (!st)
			return fz_store(e, d);
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, bid);
		rc = db_run(st);
		db_done(st);
		if (rc != DB_DONE)
			return fz_store(e, d);
	}
	return 0;
}

static int username_ok(const char *u)
{
	size_t n = strlen(u);
	if (n < 3 || n > 32)
		return 0;
	for (; *u; u++)
		if (!isalnum((unsigned char)*u) && *u != '_' && *u != '.' && *u != '-')
			return 0;
	return 1;
}

int users_create(db *d, const struct settings *cfg, const struct audit_actor *actor,
		 const struct user_spec *s, const char *password, char *initial, int64_t *out_id,
		 struct fz_err *e)
{
	if (!s->username || !username_ok(s->username))
		return fz_invalid(e, "username", "用户名应为 3 到 32 个字母、数字、“_”“.”“-”");
	if (check_spec(d, s, e) != 0)
		return -1;
	int64_t other = users_id_by_name(d, s->username);
	if (other < 0)
		return fz_store(e, d);
	if (other)
		return fz_fail(e, 409, "conflict", "username", "用户名 %s 已存在", s->username);
	int64_t now = (int64_t)time(NULL);
	db_stmt *st = db_prepare(d, "INSERT INTO users(username, display_name, role, scope_region, pw_hash,"
				   " must_change, pw_changed_at, created_at, updated_at)"
				   " VALUES ($1, $2, $3, $4, '!', 1, $5, $5, $5) RETURNING id");
	if (!st)
		return fz_store(e, d);
	db_bind_text(st, 1, s->username);
	db_bind_text(st, 2, s->display_name ? s->display_name : s->username);
	db_bind_text(st, 3, s->role);
	db_bind_text(st, 4, s->scope_region && *s->scope_region ? s->scope_region : NULL);
	db_bind_int(st, 5, now);
	int rc = db_step(st);
	*out_id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	if (rc == DB_ROW)
		db_step(st);
	db_done(st);
	if (!*out_id)
		return fz_store(e, d);
	if (s->bodies && set_bodies(d, *out_id, s->bodies, e) != 0)
		return -1;
	if (users_set_password(d, cfg, NULL, *out_id, password, initial, e) != 0)
		return -1;
	return audit_user(d, actor, "create", *out_id,
			  json_pack("{s:s, s:s, s:s?}", "username", s->username, "role", s->role,
				    "scope_region", s->scope_region));
}

int users_update(db *d, const struct audit_actor *actor, int64_t id, const struct user_spec *s,
		 int disabled, struct fz_err *e)
{
	if (check_spec(d, s, e) != 0)
		return -1;
	db_stmt *st = db_prepare(d, "UPDATE users SET display_name = $2, role = $3, scope_region = $4,"
				   " disabled = $5, updated_at = $6 WHERE id = $1");
	if (!st)
		return fz_store(e, d);
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, s->display_name);
	db_bind_text(st, 3, s->role);
	db_bind_text(st, 4, s->scope_region && *s->scope_region ? s->scope_region : NULL);
	db_bind_int(st, 5, disabled);
	db_bind_int(st, 6, (int64_t)time(NULL));
	int rc = db_run(st);
	db_done(st);
	if (rc != DB_DONE)
		return fz_store(e, d);
	if (s->bodies && set_bodies(d, id, s->bodies, e) != 0)
		return -1;
	if (disabled && auth_kill_sessions(d, id) != 0)
		return fz_store(e, d);
	return audit_user(d, actor, "update", id,
			  json_pack("{s:s, s:s?, s:b}", "role", s->role, "scope_region", s->scope_region,
				    "disabled", disabled));
}

static int set_lock(db *d, const struct audit_actor *actor, int64_t id, int64_t until, const char *action,
		    struct fz_err *e)
{
	db_stmt *st = db_prepare(d, "UPDATE users SET locked_until = $2, failed_count = 0 WHERE id = $1");
	if (!st)
		return fz_store(e, d);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, until);
	int rc = db_run(st);
	int64_t n = db_changes(st);
	db_done(st);
	if (rc != DB_DONE)
		return fz_store(e, d);
	if (n == 0)
		return fz_fail(e, 404, "not_found", NULL, "用户不存在");
	if (until && auth_kill_sessions(d, id) != 0)
		return fz_store(e, d);
	/* Either way the account's failure window starts afresh. */
	char sid[24];
	snprintf(sid, sizeof sid, "%" PRId64, id);
	st = db_prepare(d, "DELETE FROM login_failure_events WHERE kind = 'account' AND subject = $1");
	if (!st)
		return fz_store(e, d);
	db_bind_text(st, 1, sid);
	rc = db_run(st);
	db_done(st);
	if (rc != DB_DONE)
		return fz_store(e, d);
	return audit_user(d, actor, action, id, NULL);
}

int users_unlock(db *d, const struct audit_actor *actor, int64_t id, struct fz_err *e)
{
	return set_lock(d, actor, id, 0, "unlock", e);
}

int users_lock(db *d, const struct audit_actor *actor, int64_t id, struct fz_err *e)
{
	/* An administrative lock lasts until an unlock: far in the future. */
	return set_lock(d, actor, id, INT64_C(253402300799), "lock", e);
}

int users_set_password(db *d, const struct settings *cfg, const struct audit_actor *actor, int64_t id,
		       const char *password, char *initial, struct fz_err *e)
{
	char name[64] = "";
	db_stmt *st = db_prepare(d, "SELECT username FROM users WHERE id = $1");
	if (!st)
		return fz_store(e, d);
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		snprintf(name, sizeof name, "%s", db_col_text(st, 0));
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return fz_store(e, d);
	if (!name[0])
		return fz_fail(e, 404, "not_found", NULL, "用户不存在");
	int generated = password == NULL;
	if (generated) {
		auth_generate_password(initial);
		password = initial;
	}
	if (auth_set_password(d, cfg, id, name, password, generated, e) != 0)
		return -1;
	if (auth_kill_sessions(d, id) != 0)
		return fz_store(e, d);
	return actor ? audit_user(d, actor, "password_reset", id, NULL) : 0;
}
