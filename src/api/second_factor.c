/*
 * second_factor.c — /api/v1/me/totp: a user enrols an authenticator app
 * (TOTP, totp.h) from the console. POST starts: a new secret waits as
 * pending and the answer shows its otpauth URI and QR code; POST …/confirm
 * with a current code turns it on and answers the one-time recovery codes
 * (shown once); POST …/disable with the password turns it off for a
 * business account (administrators must keep it). Every step is audited.
 */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "totp.h"

/* Commits the transaction with the audit entry, or answers the error. */
static int commit_audited(struct api *a, int rc, const char *action, struct fz_err *e)
{
	if (rc == 0)
		rc = api_audit(a, action, "user", a->user.id, "ok", NULL);
	return api_commit_or_fail(a, rc, e);
}

static void begin(struct api *a)
{
	struct fz_err e = { 0 };
	char uri[TOTP_URI_LEN];
	int rc = db_begin(a->db);
	if (rc == 0)
		rc = totp_enrol(a->db, a->app->key, a->user.id, a->user.username, 0, uri, &e);
	if (commit_audited(a, rc, "totp_enrol", &e) != 0)
		return;
	char *qr = totp_qr_data_uri(uri);
	const char *secret = strstr(uri, "secret=") + 7;
	json_t *o = json_pack("{s:s, s:s%, s:s?}", "otpauth_uri", uri, "secret", secret,
			      (size_t)(strchr(secret, '&') - secret), "qr", qr);
	free(qr);
	crypto_wipe(uri, sizeof uri);
	api_json(a, 200, o);
}

static void confirm(struct api *a)
{
	struct fz_err e = { 0 };
	const char *code;
	char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN];
	if (api_str(a, "code", "动态验证码", 1, 6, &code, &e)) {
		api_fail(a, &e);
		return;
	}
	int rc = db_begin(a->db);
	if (rc == 0)
		rc = totp_confirm(a->db, a->app->key, a->user.id, code, codes, &e);
	if (rc != 0 && e.status == 422) {
		db_rollback(a->db);
		api_audit(a, "totp_enable", "user", a->user.id, "refused", NULL);
		api_fail(a, &e);
		return;
	}
	if (commit_audited(a, rc, "totp_enable", &e) != 0)
		return;
	json_t *list = json_array();
	for (int i = 0; i < TOTP_RECOVERY_COUNT; i++)
		json_array_append_new(list, json_string(codes[i]));
	crypto_wipe(codes, sizeof codes);
	api_json(a, 200, json_pack("{s:b, s:o}", "totp_enabled", 1, "recovery_codes", list));
}

static void disable(struct api *a)
{
	struct fz_err e = { 0 };
	const char *pw;
	const struct role *r = role_find(a->user.role);
	if (!r || r->admin) {
		api_audit(a, "totp_disable", "user", a->user.id, "refused", NULL);
		api_error(a, 403, "forbidden", NULL, "管理员账号必须使用动态验证码，不能关闭");
		return;
	}
	if (api_str(a, "password", "密码", 1, 128, &pw, &e)) {
		api_fail(a, &e);
		return;
	}
	int rc = auth_password_check(a->db, a->user.id, pw);
	if (rc < 0) {
		fz_store(&e, a->db);
		api_fail(a, &e);
		return;
	}
	if (rc == 0) {
		api_audit(a, "totp_disable", "user", a->user.id, "refused", NULL);
		api_error(a, 422, "invalid", "password", "密码不正确");
		return;
	}
	rc = db_begin(a->db);
	if (rc == 0)
		rc = totp_remove(a->db, a->user.id);
	if (commit_audited(a, rc, "totp_disable", &e) == 0)
		api_no_content(a);
}

API_ROUTES(second_factor,
	{ "POST", "/api/v1/me/totp", begin, 0, R_SIGNED_IN, 0, NO_FIELDS },
	{ "POST", "/api/v1/me/totp/confirm", confirm, 0, R_SIGNED_IN, 0, FIELDS("code") },
	{ "POST", "/api/v1/me/totp/disable", disable, 0, R_SIGNED_IN, 0, FIELDS("password") })
