/*
 * fuzz_qr_token.c — libFuzzer target: bytes as a 入企码 (qr_token.h)
 * checked against a fixed test key. The first byte picks the form: even,
 * the rest is the token text as it arrives under /c/; odd, the rest is the
 * decoded token (base64url-encoded here), so mutations reach the version,
 * signature and expiry checks. Checks that every answer is one of the
 * reasons, and that an accepted token is exactly the one qr_token_make
 * signs for its claim (Ed25519 is deterministic: no second spelling of a
 * valid token is accepted).
 */
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qr_token.h"

#define TODAY 20000 /* the day the seed corpus's tokens were made for */

/* A test key, never a store's. */
static const char test_key[] = "-----BEGIN PRIVATE KEY-----\n"
			       "MC4CAQAwBQYDK2VwBCIEIOLYU1YNC4eWMCpskMQI8Yp1fpxTyzscD7Vc3OwxM6K1\n"
			       "-----END PRIVATE KEY-----\n";

static crypto_signer *key(void)
{
	static crypto_signer *k;
	char path[] = "/tmp/fazhi-fuzz-qrXXXXXX", err[256];
	if (k)
		return k;
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, test_key, sizeof test_key - 1) != (ssize_t)(sizeof test_key - 1) || close(fd) != 0 ||
	    crypto_signer_load(path, 0, &k, err, sizeof err) != 0)
		abort();
	unlink(path);
	return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[4096 + 1], again[QR_TOKEN_LEN + 1];
	size_t n;
	struct qr_claim c;
	if (size == 0)
		return 0;
	if (data[0] & 1) {
		unsigned char raw[QR_TOKEN_BYTES] = { 0 };
		memcpy(raw, data + 1, size - 1 < sizeof raw ? size - 1 : sizeof raw);
		EVP_EncodeBlock((unsigned char *)text, raw, QR_TOKEN_BYTES);
		for (char *s = text; *s; s++)
			*s = *s == '+' ? '-' : *s == '/' ? '_' : *s;
		n = QR_TOKEN_LEN;
	} else {
		n = size - 1 < sizeof text - 1 ? size - 1 : sizeof text - 1;
		memcpy(text, data + 1, n);
	}
	enum qr_reason r = qr_token_check(key(), text, n, TODAY, &c);
	if (r < QR_OK || r > QR_EXPIRED || !qr_reason_name(r)[0])
		abort();
	if (r == QR_OK) {
		if (c.expires < TODAY || qr_token_make(key(), &c, again) != 0 || n != QR_TOKEN_LEN ||
		    memcmp(again, text, QR_TOKEN_LEN) != 0)
			abort();
	}
	return 0;
}
