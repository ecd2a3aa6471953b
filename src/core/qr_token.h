/*
 * qr_token.h — the 入企码: a signed token an inspector's visit shows the
 * enterprise (a QR code of https://HOST/c/TOKEN), checked without a login
 * and without the database.
 *
 * Layout (version 1), 84 bytes, integers big-endian:
 *
 *   offset  size  field
 *        0     1  version (QR_TOKEN_VERSION)
 *        1     1  kind (enum qr_kind: what the record id names)
 *        2     8  record id (> 0)
 *       10     8  subject id (the enterprise, > 0)
 *       18     2  expiry: the last valid day, days since 1970-01-01, China
 *       20    64  Ed25519 signature over bytes 0..19
 *
 * written as unpadded base64url: exactly QR_TOKEN_LEN (112) characters of
 * [A-Za-z0-9_-]. The signing key is one per store, PREFIXqr-sign.pem beside
 * the audit log's trust files (audit_anchor.h), made 0600 on first use.
 */
#ifndef FAZHI_QR_TOKEN_H
#define FAZHI_QR_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

#define QR_TOKEN_VERSION 1
#define QR_TOKEN_BYTES 84
#define QR_TOKEN_LEN 112 /* base64url characters */
#define QR_SIGN_FILE "qr-sign.pem"

enum qr_kind { QR_KIND_INSPECTION = 1, QR_KIND_MAX = 1 };

struct qr_claim {
	int kind;           /* enum qr_kind */
	int64_t record_id;
	int64_t subject_id;
	int expires;        /* days since 1970-01-01: valid through this day */
};

/* Why a token was refused; QR_OK when it was not. */
enum qr_reason { QR_OK = 0, QR_MALFORMED, QR_TRUNCATED, QR_FORGED, QR_EXPIRED };
const char *qr_reason_name(enum qr_reason r); /* "ok", "malformed", … */

/* The token of c signed with k into out (QR_TOKEN_LEN + NUL). 0 ok; -1 when
 * a field is out of range (ids > 0, a known kind, expires 0..65535). */
int qr_token_make(const crypto_signer *k, const struct qr_claim *c, char out[QR_TOKEN_LEN + 1]);
/* Checks tok (len bytes, not necessarily NUL-terminated) against k and
 * today (days since 1970-01-01): length and alphabet, version, signature,
 * then expiry. Fills *c only when QR_OK. Shorter than a token (not empty),
 * every character from the alphabet: QR_TRUNCATED; other shapes and versions:
 * QR_MALFORMED; a bad signature: QR_FORGED. */
enum qr_reason qr_token_check(const crypto_signer *k, const char *tok, size_t len, int today,
			      struct qr_claim *c);

/* Today in China as days since 1970-01-01. */
int qr_today(void);

/* The process-wide key: PREFIXqr-sign.pem, created (0600) when missing and
 * create is set. Open once before threads use it. 0 ok; -1 and a Chinese
 * message in err. */
int qr_key_open(const char *prefix, int create, char *err, size_t n);
void qr_key_close(void);
const crypto_signer *qr_key(void); /* NULL before qr_key_open */

/* qr_token_check against the process-wide key and today, through a small
 * bounded cache of tokens already verified (a signature check costs about
 * 0.2 ms; a hit costs a hash and a compare; expiry is checked on each hit).
 * Thread-safe. QR_FORGED when no key is open. */
enum qr_reason qr_token_verify(const char *tok, size_t len, struct qr_claim *c);

#endif
