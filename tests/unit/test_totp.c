/*
 * test_totp.c — the second factor (src/core/totp.c): the RFC 6238 defaults
 * (SHA-1, 6 digits, 30 s), enrolment and its otpauth URI, a code accepted
 * once and never an older one, the confirmation step, one-time recovery
 * codes, sealed secrets, and the QR code data URI.
 */
#include <liboath/oath.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crypto.h"
#include "db.h"
#include "t.h"
#include "totp.h"

static const unsigned char key[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
				       17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };

static int64_t user_add(db *d, const char *name)
{
	db_stmt *st = db_prepare(d, "INSERT INTO users(username, role, pw_hash, pw_changed_at, created_at, updated_at)"
				   " VALUES ($1, 'auditor', '!', 0, 0, 0) RETURNING id");
	db_bind_text(st, 1, name);
	int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
	db_step(st);
	db_done(st);
	return id;
}

/* The code of the secret in an otpauth URI for a time step offset from now. */
static void code_for(const char *uri, int offset, char out[7])
{
	char b32[64] = "", *raw = NULL;
	size_t n = 0;
	const char *p = strstr(uri, "secret=") + 7;
	snprintf(b32, sizeof b32, "%.*s", (int)strcspn(p, "&"), p);
	CHECK_INT(oath_base32_decode(b32, strlen(b32), &raw, &n), OATH_OK);
	CHECK_INT(oath_totp_generate(raw, n, time(NULL) + offset * 30, 30, 0, 6, out), OATH_OK);
	free(raw);
}

static void test_rfc6238_defaults(void)
{
	char out[9];
	/* RFC 6238 appendix B, SHA-1: T = 59 s → 94287082 (8 digits); 6 digits keep the tail. */
	CHECK_INT(oath_totp_generate("12345678901234567890", 20, 59, 30, 0, 8, out), OATH_OK);
	CHECK_STR(out, "94287082");
	CHECK_INT(oath_totp_generate("12345678901234567890", 20, 59, 30, 0, 6, out), OATH_OK);
	CHECK_STR(out, "287082");
}

static void test_codes_once(db *d)
{
	struct fz_err e = { 0 };
	char uri[TOTP_URI_LEN], code[7];
	int64_t id = user_add(d, "aud1");
	int rec = 0;
	CHECK_INT(totp_enabled(d, id), 0);
	CHECK_INT(totp_enrol(d, key, id, "aud1", 1, uri, &e), 0);
	CHECK(strncmp(uri, "otpauth://totp/fazhi:aud1?secret=", 33) == 0);
	CHECK(strstr(uri, "&issuer=fazhi") != NULL);
	CHECK_INT(strlen(strstr(uri, "secret=") + 7) - strlen("&issuer=fazhi"), 32);
	CHECK_INT(totp_enabled(d, id), 1);

	code_for(uri, 0, code);
	CHECK_INT(totp_check(d, key, id, code, &rec), 0);
	CHECK_INT(rec, 0);
	CHECK_INT(totp_check(d, key, id, code, &rec), 1);   /* replay */
	code_for(uri, -1, code);
	CHECK_INT(totp_check(d, key, id, code, &rec), 1);   /* older than the last accepted */
	code_for(uri, 1, code);
	CHECK_INT(totp_check(d, key, id, code, &rec), 0);   /* +1 step: inside the window */
	code_for(uri, 3, code);
	CHECK_INT(totp_check(d, key, id, code, &rec), 1);   /* outside the window */
	CHECK_INT(totp_check(d, key, id, "12a456", &rec), 1);
	CHECK_INT(totp_check(d, key, id, "", &rec), 1);

	/* The secret is sealed: its bytes are not in the row. */
	char *raw = NULL, b32[64];
	size_t n = 0;
	const char *p = strstr(uri, "secret=") + 7;
	snprintf(b32, sizeof b32, "%.*s", (int)strcspn(p, "&"), p);
	oath_base32_decode(b32, strlen(b32), &raw, &n);
	db_stmt *st = db_prepare(d, "SELECT secret FROM user_totp WHERE user_id = $1");
	db_bind_int(st, 1, id);
	CHECK_INT(db_step(st), DB_ROW);
	size_t bn = 0;
	const unsigned char *blob = db_col_blob(st, 0, &bn);
	CHECK(bn > n);
	CHECK(blob && memmem(blob, bn, raw, n) == NULL);
	db_done(st);
	free(raw);
}

static void test_confirm_and_recovery(db *d)
{
	struct fz_err e = { 0 };
	char uri[TOTP_URI_LEN], code[7], codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN];
	int64_t id = user_add(d, "biz1");
	int rec = 0;
	CHECK_INT(totp_confirm(d, key, id, "123456", codes, &e), -1); /* nothing pending */
	CHECK_INT(e.status, 422);
	CHECK_INT(totp_enrol(d, key, id, "biz1", 0, uri, &e), 0);
	CHECK_INT(totp_enabled(d, id), 0);                          /* pending only */
	code_for(uri, 0, code);
	char wrong[12];
	snprintf(wrong, sizeof wrong, "%06d", (atoi(code) + 1) % 1000000);
	memset(&e, 0, sizeof e);
	CHECK_INT(totp_confirm(d, key, id, wrong, codes, &e), -1);
	CHECK_STR(e.field, "code");
	CHECK_INT(totp_confirm(d, key, id, code, codes, &e), 0);
	CHECK_INT(totp_enabled(d, id), 1);
	CHECK_INT(totp_check(d, key, id, code, &rec), 1);           /* the confirming code is spent */
	for (int i = 0; i < TOTP_RECOVERY_COUNT; i++)
		CHECK_INT(strlen(codes[i]), 11);
	CHECK_INT(totp_check(d, key, id, codes[0], &rec), 0);
	CHECK_INT(rec, 1);
	CHECK_INT(totp_check(d, key, id, codes[0], &rec), 1);       /* once */
	CHECK_INT(totp_check(d, key, id, "AAAAA-AAAAA", &rec), 1);
	CHECK_INT(totp_remove(d, id), 0);
	CHECK_INT(totp_enabled(d, id), 0);
	CHECK_INT(totp_check(d, key, id, codes[1], &rec), 1);       /* removed with the factor */
}

static void test_qr(void)
{
	char *uri = totp_qr_data_uri("otpauth://totp/fazhi:aud1?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=fazhi");
	CHECK(uri != NULL);
	if (!uri)
		return;
	CHECK(strncmp(uri, "data:image/svg+xml;base64,PHN2Zy", 32) == 0); /* "<svg" */
	free(uri);
}

int main(void)
{
	crypto_init();
	char path[] = "/tmp/fazhi-totp-XXXXXX", uri[64], err[256];
	int fd = mkstemp(path);
	if (fd >= 0)
		close(fd);
	snprintf(uri, sizeof uri, "sqlite:%s", path);
	db *d = db_open(uri, err, sizeof err);
	CHECK(d != NULL);
	if (d && db_migrate(d) == 0) {
		test_rfc6238_defaults();
		test_codes_once(d);
		test_confirm_and_recovery(d);
	} else {
		CHECK(0);
	}
	test_qr();
	db_close(d);
	unlink(path);
	return t_done();
}
