/*
 * qr_token.c — the 入企码's bytes, signature and checks (see qr_token.h),
 * the process-wide signing key and the cache of verified tokens.
 */
#include "qr_token.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "cntime.h"

#define SIGNED_BYTES 20 /* version .. expiry: what the signature covers */
#define CACHE_SLOTS 1024

const char *qr_reason_name(enum qr_reason r)
{
	static const char *const names[] = { "ok", "malformed", "truncated", "forged", "expired" };
	return (unsigned)r < sizeof names / sizeof names[0] ? names[r] : "malformed";
}

static void put_be(unsigned char *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)v;
}

static uint64_t get_be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static int b64url_char(unsigned char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
	       ch == '_';
}

/* Base64 (OpenSSL) with the URL alphabet's two characters swapped in. */
static void b64url_encode(const unsigned char *p, char out[QR_TOKEN_LEN + 1])
{
	EVP_EncodeBlock((unsigned char *)out, p, QR_TOKEN_BYTES);
	for (char *s = out; *s; s++)
		*s = *s == '+' ? '-' : *s == '/' ? '_' : *s;
}

static int b64url_decode(const char *tok, unsigned char out[QR_TOKEN_BYTES])
{
	unsigned char in[QR_TOKEN_LEN + 1], buf[QR_TOKEN_BYTES + 3];
	for (int i = 0; i < QR_TOKEN_LEN; i++)
		in[i] = tok[i] == '-' ? '+' : tok[i] == '_' ? '/' : (unsigned char)tok[i];
	in[QR_TOKEN_LEN] = 0;
	if (EVP_DecodeBlock(buf, in, QR_TOKEN_LEN) != QR_TOKEN_BYTES)
		return -1;
	memcpy(out, buf, QR_TOKEN_BYTES);
	return 0;
}

int qr_token_make(const crypto_signer *k, const struct qr_claim *c, char out[QR_TOKEN_LEN + 1])
{
	unsigned char b[QR_TOKEN_BYTES];
	out[0] = 0;
	if (!k || c->kind < 1 || c->kind > QR_KIND_MAX || c->record_id <= 0 || c->subject_id <= 0 ||
	    c->expires < 0 || c->expires > 0xffff)
		return -1;
	b[0] = QR_TOKEN_VERSION;
	b[1] = (unsigned char)c->kind;
	put_be(b + 2, (uint64_t)c->record_id, 8);
	put_be(b + 10, (uint64_t)c->subject_id, 8);
	put_be(b + 18, (uint64_t)c->expires, 2);
	if (crypto_sign(k, b, SIGNED_BYTES, b + SIGNED_BYTES) != 0)
		return -1;
	b64url_encode(b, out);
	return 0;
}

enum qr_reason qr_token_check(const crypto_signer *k, const char *tok, size_t len, int today,
			      struct qr_claim *c)
{
	unsigned char b[QR_TOKEN_BYTES];
	if (len == 0)
		return QR_MALFORMED;
	for (size_t i = 0; i < len; i++)
		if (!b64url_char((unsigned char)tok[i]))
			return QR_MALFORMED;
	if (len < QR_TOKEN_LEN)
		return QR_TRUNCATED;
	if (len > QR_TOKEN_LEN || b64url_decode(tok, b) != 0 || b[0] != QR_TOKEN_VERSION)
		return QR_MALFORMED;
	if (!k || crypto_verify(k, b, SIGNED_BYTES, b + SIGNED_BYTES) != 0)
		return QR_FORGED;
	struct qr_claim v = {
		.kind = b[1],
		.record_id = (int64_t)get_be(b + 2, 8),
		.subject_id = (int64_t)get_be(b + 10, 8),
		.expires = (int)get_be(b + 18, 2),
	};
	if (v.kind < 1 || v.kind > QR_KIND_MAX || v.record_id <= 0 || v.subject_id <= 0)
		return QR_MALFORMED; /* signed, but not by this version's rules */
	if (today > v.expires)
		return QR_EXPIRED;
	*c = v;
	return QR_OK;
}

int qr_today(void)
{
	char today[DATE_STR];
	struct date d;
	cn_today(today);
	return date_parse(today, &d) == 0 ? date_to_days(d) : 0;
}

/* ---- the process-wide key and the cache ---- */

struct slot {
	char tok[QR_TOKEN_LEN];
	struct qr_claim c;
	int used;
};

static crypto_signer *key;
static struct slot cache[CACHE_SLOTS];
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

static void cache_clear(void)
{
	pthread_mutex_lock(&cache_lock);
	memset(cache, 0, sizeof cache);
	pthread_mutex_unlock(&cache_lock);
}

int qr_key_open(const char *prefix, int create, char *err, size_t n)
{
	char path[4200];
	crypto_signer *k;
	snprintf(path, sizeof path, "%s%s", prefix, QR_SIGN_FILE);
	if (crypto_signer_load(path, create, &k, err, n) != 0)
		return -1;
	qr_key_close();
	key = k;
	return 0;
}

void qr_key_close(void)
{
	crypto_signer_free(key);
	key = NULL;
	cache_clear();
}

const crypto_signer *qr_key(void) { return key; }

static unsigned slot_of(const char *tok)
{
	uint32_t h = 2166136261u; /* FNV-1a: the slot, not a secret */
	for (int i = 0; i < QR_TOKEN_LEN; i++)
		h = (h ^ (unsigned char)tok[i]) * 16777619u;
	return h % CACHE_SLOTS;
}

enum qr_reason qr_token_verify(const char *tok, size_t len, struct qr_claim *c)
{
	int today = qr_today(), hit = 0;
	if (len == QR_TOKEN_LEN) {
		struct slot *s = &cache[slot_of(tok)];
		pthread_mutex_lock(&cache_lock);
		if (s->used && memcmp(s->tok, tok, QR_TOKEN_LEN) == 0) {
			*c = s->c;
			hit = 1;
		}
		pthread_mutex_unlock(&cache_lock);
		if (hit)
			return today > c->expires ? QR_EXPIRED : QR_OK;
	}
	enum qr_reason r = qr_token_check(key, tok, len, today, c);
	if (r == QR_OK) {
		struct slot *s = &cache[slot_of(tok)];
		pthread_mutex_lock(&cache_lock);
		memcpy(s->tok, tok, QR_TOKEN_LEN);
		s->c = *c;
		s->used = 1;
		pthread_mutex_unlock(&cache_lock);
	}
	return r;
}
