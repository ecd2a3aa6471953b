/*
 * session.c — /api/v1/session (login, logout), /api/v1/me and the
 * caller's own password change; /api/v1/health and /api/v1/meta.
 */
#include "api.h"

#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "cntime.h"
#include "totp.h"
#include "vocab.h"


json_t *api_user_json(struct api *a, const struct user *u)
{
	const struct role *r = role_find(u->role);
	json_t *bodies = json_array();
	for (int i = 0; i < u->nbodies; i++)
		json_array_append_new(bodies, json_integer(u->bodies[i]));
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:o, s:b}", "id", (json_int_t)u->id,
			      "username", u->username, "display_name", u->display_name, "role", u->role,
			      "bodies", bodies, "must_change_password", u->must_change);
	json_object_set_new(o, "scope_region", u->scope_region[0] ? json_string(u->scope_region) : json_null());
	/* the scope's region, or for an unscoped user the installation's top one */
	json_t *name = json_null();
	int level = 0;
	db_stmt *st = db_prepare(a->db, u->scope_region[0] ? "SELECT name, level FROM regions WHERE code = $1"
							   : "SELECT NULL, level FROM regions ORDER BY level LIMIT 1");
	if (st) {
		if (u->scope_region[0])
			db_bind_text(st, 1, u->scope_region);
		if (db_step(st) == DB_ROW) {
			if (u->scope_region[0])
				name = json_string(db_col_text(st, 0));
			level = (int)db_col_int(st, 1);
		}
		db_done(st);
	}
	json_object_set_new(o, "scope_region_name", name ? name : json_null());
	json_object_set_new(o, "role_name", json_string(r ? role_label_at(r, level) : u->role));
	char today[11];
	cn_today(today);
	json_object_set_new(o, "today", json_string(today)); /* the console's "today" */
	/* the rules the change-password page states: the settings in force */
	json_object_set_new(o, "password_policy",
			    json_pack("{s:i, s:i}", "min_len", auth_password_min_len(&a->app->cfg, u->role), "history",
				      a->app->cfg.pw_history));
	int totp = totp_enabled(a->db, u->id);
	json_object_set_new(o, "totp_enabled", json_boolean(totp == 1));
	json_object_set_new(o, "totp_required", json_boolean(!r || r->admin));
	return o;
}

const char *api_session_cookie(const struct app *app)
{
	/* Under TLS the __Host- prefix: the browser keeps the cookie only when
	 * it is Secure, for Path=/ and this host alone (no Domain), so a
	 * sibling subdomain or a plain-HTTP page cannot plant or shadow it. */
	return app->secure_cookies ? "__Host-fazhi_session" : "fazhi_session";
}

/* A session cookie (no Max-Age or Expires: it dies with the browser; the
 * server's idle and absolute expiry still apply), or, with clear, one that
 * deletes it. */
static void set_cookie(struct api *a, const char *token, int clear)
{
	char c[256];
	snprintf(c, sizeof c, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", api_session_cookie(a->app), token,
		 clear ? "; Max-Age=0" : "", a->app->secure_cookies ? "; Secure" : "");
	http_add_header(a->w, "Set-Cookie", c);
}

static void login(struct api *a)
{
	struct login_input in = { .ip = a->r->ip };
	struct fz_err e;
	if (api_str(a, "username", "用户名", 1, 64, &in.username, &e) ||
	    api_str(a, "password", "密码", 1, 128, &in.password, &e) ||
	    api_str(a, "totp", "动态验证码", 0, 32, &in.totp, &e)) {
		api_fail(a, &e);
		return;
	}
	struct user u;
	struct session s;
	if (auth_login(a->db, &a->app->cfg, a->app->key, &in, &u, &s, &e) != 0) {
		api_fail(a, &e);
		return;
	}
	set_cookie(a, s.token, 0);
	crypto_wipe(s.token, sizeof s.token);
	api_json(a, 200, json_pack("{s:o, s:s}", "user", api_user_json(a, &u), "csrf_token", s.csrf));
}

static void logout(struct api *a)
{
	struct fz_err e = { 0 };
	/* The session must be gone on the server before the client is told so. */
	if (auth_logout(a->db, a->token) != 0) {
		fz_store(&e, a->db);
		api_fail(a, &e);
		return;
	}
	api_audit(a, "logout", "user", a->user.id, "ok", NULL);
	set_cookie(a, "", 1);
	api_no_content(a);
}

static void me(struct api *a)
{
	api_json(a, 200, json_pack("{s:o, s:s}", "user", api_user_json(a, &a->user), "csrf_token", a->sess.csrf));
}

static void change_password(struct api *a)
{
	const char *old, *pw;
	struct fz_err e = { 0 };
	if (api_str(a, "old_password", "原密码", 1, 128, &old, &e) ||
	    api_str(a, "new_password", "新密码", 1, 128, &pw, &e)) {
		api_fail(a, &e);
		return;
	}
	int rc = auth_password_check(a->db, a->user.id, old);
	if (rc < 0) {
		fz_store(&e, a->db);
		api_fail(a, &e);
		return;
	}
	if (rc == 0) {
		api_audit(a, "password_change", "user", a->user.id, "refused", NULL);
		api_error(a, 422, "invalid", "old_password", "原密码不正确");
		return;
	}
	if (strcmp(old, pw) == 0) {
		api_error(a, 422, "invalid", "new_password", "新密码不能与原密码相同");
		return;
	}
	char newhash[256];
	if (auth_password_prepare(a->db, &a->app->cfg, a->user.id, a->user.username, pw, 0, newhash, &e) != 0 ||
	    db_begin(a->db) != 0 || auth_password_store(a->db, &a->app->cfg, a->user.id, newhash, 0, &e) != 0 ||
	    auth_kill_other_sessions(a->db, a->user.id, a->token) != 0 || /* a thief's session ends here */
	    api_audit(a, "password_change", "user", a->user.id, "ok", NULL) != 0 || db_commit(a->db) != 0) {
		db_rollback(a->db);
		if (!e.code)
			fz_store(&e, a->db);
		if (e.field && strcmp(e.field, "password") == 0)
			e.field = "new_password"; /* the policy speaks of "password": name the request's field */
		crypto_wipe(newhash, sizeof newhash);
		api_fail(a, &e);
		return;
	}
	crypto_wipe(newhash, sizeof newhash);
	api_no_content(a);
}

static void health(struct api *a)
{
	api_json(a, 200, json_pack("{s:s, s:s, s:s, s:b}", "status", "ok", "version", FAZHI_VERSION, "store",
				   a->app->store_name, "demo_data", a->app->cfg.demo_data == 1));
}

/* What the console builds itself from besides the register definitions:
 * the role matrix (roles_json) and the closed value lists (vocab_json). */
static void meta(struct api *a)
{
	json_t *m = roles_json(), *v = vocab_json();
	if (!m || !v || json_object_update(m, v) != 0) {
		json_decref(m);
		json_decref(v);
		api_error(a, 500, "internal", NULL, "内存不足");
		return;
	}
	json_decref(v);
	api_json(a, 200, m);
}

API_ROUTES(session,
	{ "POST", "/api/v1/session", login, 0, R_PUBLIC, 0, FIELDS("username", "password", "totp") },
	{ "DELETE", "/api/v1/session", logout, 0, R_SIGNED_IN | R_PASSWORD },
	{ "GET", "/api/v1/me", me, 0, R_SIGNED_IN | R_PASSWORD },
	{ "POST", "/api/v1/me/password", change_password, 0, R_SIGNED_IN | R_PASSWORD, 0, FIELDS("old_password", "new_password") },
	{ "GET", "/api/v1/health", health, 0, R_PUBLIC },
	{ "GET", "/api/v1/meta", meta, 0, R_SIGNED_IN | R_PASSWORD })
