/*
 * totp.h — the second login factor: TOTP codes (RFC 6238 with the defaults
 * authenticator apps read: HMAC-SHA1, 6 digits, 30 s steps) checked by
 * liboath within ±1 step, each time step accepted once; enrolment (a
 * secret, its otpauth URI and a QR code made by libqrencode); one-time
 * recovery codes kept only as SM3 digests. Secrets are sealed with the
 * personal-data key (crypto_seal). Required for the administrator roles,
 * optional for everyone else.
 */
#ifndef FAZHI_TOTP_H
#define FAZHI_TOTP_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "error.h"

#define TOTP_URI_LEN 192        /* otpauth://totp/fazhi:NAME?secret=…&issuer=fazhi */
#define TOTP_RECOVERY_COUNT 10  /* recovery codes given at each enrolment */
#define TOTP_RECOVERY_LEN 12    /* "XXXXX-XXXXX" and NUL */

/* Whether the account has a confirmed second factor: 1 yes, 0 no, -1 a
 * store error. */
int totp_enabled(db *d, int64_t user_id);

/* A new random secret for the account, sealed with key. activate: it takes
 * effect at once (host enrolment, `fazhi user add|totp`; the previous
 * secret and recovery codes are dropped); otherwise it waits as pending
 * until totp_confirm. uri receives the otpauth URI. Caller holds the
 * transaction. 0 ok; -1 with e. */
int totp_enrol(db *d, const unsigned char key[32], int64_t user_id, const char *username, int activate,
	       char uri[TOTP_URI_LEN], struct fz_err *e);

/* Confirms the pending secret with a current code: it becomes the
 * account's secret, and TOTP_RECOVERY_COUNT fresh recovery codes replace
 * the old ones (written into codes, shown once). Caller holds the
 * transaction. 0 ok; -1 with e (422 when the code is wrong or nothing is
 * pending). */
int totp_confirm(db *d, const unsigned char key[32], int64_t user_id, const char *code,
		 char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN], struct fz_err *e);

/* Checks a login's second factor: a 6-digit code from a time step after the
 * last one accepted, or an unused recovery code; the step or the recovery
 * code is spent in the caller's transaction. *recovery is set when a
 * recovery code was used. 0 accepted, 1 refused, -1 store or crypto error. */
int totp_check(db *d, const unsigned char key[32], int64_t user_id, const char *code, int *recovery);

/* Removes the account's second factor and recovery codes. 0 ok, -1 error. */
int totp_remove(db *d, int64_t user_id);

/* The QR code of text as an SVG data URI ("data:image/svg+xml;base64,…"),
 * malloc'd (free it); NULL on failure. */
char *totp_qr_data_uri(const char *text);

#endif
