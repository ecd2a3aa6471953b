/*
 * totp.c — the second login factor (see totp.h): liboath computes and
 * checks the codes, qr_svg.c draws the enrolment QR code, crypto.c seals
 * the secrets. The replay guard is one conditional UPDATE of last_step, so
 * two logins racing with one code cannot both pass.
 */
#include "totp.h"

#include <ctype.h>
#include <liboath/oath.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "qr_svg.h"

#define TOTP_SECRET_BYTES 20 /* 160 bits, as RFC 4226 recommends */
#define TOTP_STEP 30
#define TOTP_WINDOW 1
#define TOTP_DIGITS 6

static int oath_ready = -1;
static void oath_setup(void) { oath_ready = oath_init() == OATH_OK ? 0 : -1; }

static int totp_lib(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, oath_setup);
	return oath_ready;
}

int totp_enabled(db *d, int64_t user_id)
{
	db_stmt *st = db_prepare(d, "SELECT COUNT(*) FROM user_totp WHERE user_id = $1 AND secret IS NOT NULL");
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	int rc = db_step(st);
	int on = rc == DB_ROW && db_col_int(st, 0) > 0;
	db_done(st);
	return rc == DB_ROW ? on : -1;
}

/* The sealed secret in column col (secret or pending), opened into out.
 * 0 ok, 1 none, -1 error. */
static int secret_load(db *d, const unsigned char key[32], int64_t user_id, const char *col, unsigned char **out,
		       size_t *outn, int64_t *last_step)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT %s, last_step FROM user_totp WHERE user_id = $1", col);
	db_stmt *st = db_prepare(d, sql);
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	int rc = db_step(st), found = 1;
	if (rc == DB_ROW && !db_col_isnull(st, 0)) {
		size_t n = 0;
		const void *blob = db_col_blob(st, 0, &n);
		found = blob && crypto_open(key, blob, n, out, outn) == 0 ? 0 : -1;
		if (last_step)
			*last_step = db_col_int(st, 1);
	}
	db_done(st);
	return rc < 0 ? -1 : found;
}

static int uri_make(const unsigned char *secret, const char *username, char uri[TOTP_URI_LEN])
{
	char *b32 = NULL;
	size_t n = 0;
	if (oath_base32_encode((const char *)secret, TOTP_SECRET_BYTES, &b32, &n) != OATH_OK)
		return -1;
	int len = snprintf(uri, TOTP_URI_LEN, "otpauth://totp/fazhi:%s?secret=%s&issuer=fazhi", username, b32);
	crypto_wipe(b32, n);
	free(b32);
	return len > 0 && len < TOTP_URI_LEN ? 0 : -1;
}

int totp_enrol(db *d, const unsigned char key[32], int64_t user_id, const char *username, int activate,
	       char uri[TOTP_URI_LEN], struct fz_err *e)
{
	unsigned char secret[TOTP_SECRET_BYTES], *sealed = NULL;
	size_t n = 0;
	if (totp_lib() != 0)
		return fz_fail(e, 500, "crypto_error", NULL, "动态验证码组件初始化失败");
	crypto_random(secret, sizeof secret);
	int rc = uri_make(secret, username, uri) == 0 && crypto_seal(key, secret, sizeof secret, &sealed, &n) == 0
			 ? 0 : -1;
	crypto_wipe(secret, sizeof secret);
	if (rc != 0) {
		free(sealed);
		return fz_fail(e, 500, "crypto_error", NULL, "动态验证码密钥生成失败");
	}
	db_stmt *st = db_prepare(d, activate
		? "INSERT INTO user_totp(user_id, secret, pending, last_step, enabled_at) VALUES ($1, $2, NULL, 0, $3)"
		  " ON CONFLICT(user_id) DO UPDATE SET secret = excluded.secret, pending = NULL, last_step = 0,"
		  " enabled_at = excluded.enabled_at"
		: "INSERT INTO user_totp(user_id, pending, last_step) VALUES ($1, $2, 0)"
		  " ON CONFLICT(user_id) DO UPDATE SET pending = excluded.pending");
	if (st) {
		db_bind_int(st, 1, user_id);
		db_bind_blob(st, 2, sealed, n);
		if (activate)
			db_bind_int(st, 3, (int64_t)time(NULL));
		rc = db_run(st);
		db_done(st);
	}
	free(sealed);
	if (!st || rc != DB_DONE)
		return fz_store(e, d);
	if (activate) {
		st = db_prepare(d, "DELETE FROM recovery_codes WHERE user_id = $1");
		if (!st)
			return fz_store(e, d);
		db_bind_int(st, 1, user_id);
		rc = db_run(st);
		db_done(st);
		if (rc != DB_DONE)
			return fz_store(e, d);
	}
	return 0;
}

/* The time step of a valid code for secret, or -1. */
static int64_t code_step(const unsigned char *secret, size_t n, const char *code)
{
	int pos = 0;
	uint64_t counter = 0;
	if (strlen(code) != TOTP_DIGITS || totp_lib() != 0)
		return -1;
	for (const char *p = code; *p; p++)
		if (!isdigit((unsigned char)*p))
			return -1;
	int rc = oath_totp_validate3((const char *)secret, n, time(NULL), TOTP_STEP, OATH_TOTP_DEFAULT_START_TIME,
				     TOTP_WINDOW, &pos, &counter, code);
	return rc >= 0 ? (int64_t)counter : -1;
}

/* Spends step if it is later than the last one accepted: 0 ok, 1 replay, -1 error. */
static int step_spend(db *d, int64_t user_id, int64_t step)
{
	db_stmt *st = db_prepare(d, "UPDATE user_totp SET last_step = $2 WHERE user_id = $1 AND last_step < $2");
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, step);
	int rc = db_run(st);
	int64_t changed = db_changes(st);
	db_done(st);
	return rc != DB_DONE ? -1 : changed == 1 ? 0 : 1;
}

/* A recovery code's digest: letters and digits only, upper case. */
static void recovery_digest(const char *code, char out[65])
{
	char norm[64];
	size_t k = 0;
	for (const char *p = code; *p && k < sizeof norm - 1; p++)
		if (isalnum((unsigned char)*p))
			norm[k++] = (char)toupper((unsigned char)*p);
	norm[k] = 0;
	crypto_digest_hex(HASH_SM3, norm, k, out);
	crypto_wipe(norm, sizeof norm);
}

static int recovery_spend(db *d, int64_t user_id, const char *code)
{
	char digest[65];
	recovery_digest(code, digest);
	db_stmt *st = db_prepare(d, "UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_digest = $2"
				   " AND used_at IS NULL");
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, digest);
	db_bind_int(st, 3, (int64_t)time(NULL));
	int rc = db_run(st);
	int64_t changed = db_changes(st);
	db_done(st);
	return rc != DB_DONE ? -1 : changed == 1 ? 0 : 1;
}

int totp_check(db *d, const unsigned char key[32], int64_t user_id, const char *code, int *recovery)
{
	unsigned char *secret = NULL;
	size_t n = 0;
	int64_t last = 0;
	*recovery = 0;
	if (!code || !*code)
		return 1;
	if (strlen(code) != TOTP_DIGITS) {
		*recovery = 1;
		return recovery_spend(d, user_id, code);
	}
	int rc = secret_load(d, key, user_id, "secret", &secret, &n, &last);
	if (rc != 0)
		return rc;
	int64_t step = code_step(secret, n, code);
	crypto_wipe(secret, n);
	free(secret);
	return step < 0 ? 1 : step_spend(d, user_id, step);
}

static void recovery_make(char out[TOTP_RECOVERY_LEN])
{
	static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; /* 32: 5 bits a character */
	unsigned char rnd[10];
	crypto_random(rnd, sizeof rnd);
	int k = 0;
	for (int i = 0; i < 10; i++) {
		if (i == 5)
			out[k++] = '-';
		out[k++] = alphabet[rnd[i] & 31];
	}
	out[k] = 0;
	crypto_wipe(rnd, sizeof rnd);
}

static int recovery_replace(db *d, int64_t user_id, char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN])
{
	db_stmt *st = db_prepare(d, "DELETE FROM recovery_codes WHERE user_id = $1");
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	int rc = db_run(st);
	db_done(st);
	for (int i = 0; rc == DB_DONE && i < TOTP_RECOVERY_COUNT; i++) {
		char digest[65];
		recovery_make(codes[i]);
		recovery_digest(codes[i], digest);
		st = db_prepare(d, "INSERT INTO recovery_codes(user_id, code_digest) VALUES ($1, $2)");
		if (!st)
			return -1;
		db_bind_int(st, 1, user_id);
		db_bind_text(st, 2, digest);
		rc = db_run(st);
		db_done(st);
	}
	return rc == DB_DONE ? 0 : -1;
}

int totp_confirm(db *d, const unsigned char key[32], int64_t user_id, const char *code,
		 char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN], struct fz_err *e)
{
	unsigned char *secret = NULL;
	size_t n = 0;
	int rc = secret_load(d, key, user_id, "pending", &secret, &n, NULL);
	if (rc < 0)
		return fz_store(e, d);
	if (rc > 0)
		return fz_invalid(e, "code", "没有待确认的动态验证码绑定，请先开始绑定");
	int64_t step = code_step(secret, n, code ? code : "");
	crypto_wipe(secret, n);
	free(secret);
	if (step < 0)
		return fz_invalid(e, "code", "动态验证码不正确，应为身份验证器上当前显示的 6 位数字");
	db_stmt *st = db_prepare(d, "UPDATE user_totp SET secret = pending, pending = NULL, last_step = $2,"
				   " enabled_at = $3 WHERE user_id = $1");
	if (!st)
		return fz_store(e, d);
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, step); /* the confirming code is spent */
	db_bind_int(st, 3, (int64_t)time(NULL));
	rc = db_run(st);
	db_done(st);
	if (rc != DB_DONE || recovery_replace(d, user_id, codes) != 0)
		return fz_store(e, d);
	return 0;
}

int totp_remove(db *d, int64_t user_id)
{
	static const char *const sql[] = { "DELETE FROM recovery_codes WHERE user_id = $1",
					   "DELETE FROM user_totp WHERE user_id = $1" };
	for (int i = 0; i < 2; i++) {
		db_stmt *st = db_prepare(d, sql[i]);
		if (!st)
			return -1;
		db_bind_int(st, 1, user_id);
		int rc = db_run(st);
		db_done(st);
		if (rc != DB_DONE)
			return -1;
	}
	return 0;
}

/* ---- QR code ---- */

char *totp_qr_data_uri(const char *text)
{
	static const char prefix[] = "data:image/svg+xml;base64,";
	char *svg = qr_svg(text);
	if (!svg)
		return NULL;
	size_t n = strlen(svg);
	char *out = malloc(sizeof prefix + 4 * ((n + 2) / 3) + 1);
	if (out) {
		memcpy(out, prefix, sizeof prefix - 1);
		EVP_EncodeBlock((unsigned char *)out + sizeof prefix - 1, (const unsigned char *)svg, (int)n);
	}
	free(svg);
	return out;
}
