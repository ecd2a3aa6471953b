/* test_qr.c — the 入企码: make/check round trip, every single-bit forgery,
 * truncation at every length, expiry, version, another store's key, the
 * process-wide key and cache, and the SVG decoded back (zbarimg, when
 * installed). */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto.h"
#include "qr_svg.h"
#include "qr_token.h"
#include "t.h"

#define TODAY 20000 /* 2024-10-04 */

static char dir[] = "/tmp/fazhi-qrXXXXXX";

static crypto_signer *signer(const char *name)
{
	char path[256], err[256];
	crypto_signer *k = NULL;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	CHECK(crypto_signer_load(path, 1, &k, err, sizeof err) == 0);
	return k;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* tok with bit `bit` of the decoded byte `byte` flipped, re-encoded. */
static void flip(const char *tok, int byte, int bit, char out[QR_TOKEN_LEN + 1])
{
	int pos = byte * 8 + bit; /* bit position, most significant first */
	int ch = pos / 6, b = 5 - pos % 6;
	memcpy(out, tok, QR_TOKEN_LEN + 1);
	int v = (int)(strchr(b64, tok[ch]) - b64) ^ (1 << b);
	out[ch] = b64[v];
}

static void round_trip(crypto_signer *k)
{
	struct qr_claim c = { QR_KIND_INSPECTION, 123456789012LL, 42, TODAY + 30 }, got = { 0 };
	char tok[QR_TOKEN_LEN + 1];
	CHECK(qr_token_make(k, &c, tok) == 0);
	CHECK_INT(strlen(tok), QR_TOKEN_LEN);
	CHECK(strspn(tok, b64) == QR_TOKEN_LEN);
	CHECK_INT(qr_token_check(k, tok, strlen(tok), TODAY, &got), QR_OK);
	CHECK_INT(got.kind, QR_KIND_INSPECTION);
	CHECK_INT(got.record_id, 123456789012LL);
	CHECK_INT(got.subject_id, 42);
	CHECK_INT(got.expires, TODAY + 30);
	/* valid through its last day, expired the day after */
	CHECK_INT(qr_token_check(k, tok, QR_TOKEN_LEN, TODAY + 30, &got), QR_OK);
	CHECK_INT(qr_token_check(k, tok, QR_TOKEN_LEN, TODAY + 31, &got), QR_EXPIRED);
	/* out-of-range claims are not signed */
	struct qr_claim bad[] = { { 0, 1, 1, TODAY }, { QR_KIND_MAX + 1, 1, 1, TODAY }, { 1, 0, 1, TODAY },
				  { 1, 1, -5, TODAY }, { 1, 1, 1, -1 }, { 1, 1, 1, 70000 } };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK(qr_token_make(k, &bad[i], tok) != 0);
}

static void forgeries(crypto_signer *k)
{
	struct qr_claim c = { QR_KIND_INSPECTION, 7, 8, TODAY + 1 }, got;
	char tok[QR_TOKEN_LEN + 1], bad[QR_TOKEN_LEN + 1];
	CHECK(qr_token_make(k, &c, tok) == 0);
	/* every bit of every part: version -> malformed, the rest -> forged */
	int refused = 0, total = 0;
	for (int byte = 0; byte < QR_TOKEN_BYTES; byte++)
		for (int bit = 0; bit < 8; bit++) {
			flip(tok, byte, bit, bad);
			enum qr_reason r = qr_token_check(k, bad, QR_TOKEN_LEN, TODAY, &got);
			total++;
			refused += r == (byte == 0 ? QR_MALFORMED : QR_FORGED);
		}
	CHECK_INT(refused, total);
	/* truncation at every length */
	int truncated = 0;
	for (size_t n = 1; n < QR_TOKEN_LEN; n++)
		truncated += qr_token_check(k, tok, n, TODAY, &got) == QR_TRUNCATED;
	CHECK_INT(truncated, QR_TOKEN_LEN - 1);
	CHECK_INT(qr_token_check(k, tok, 0, TODAY, &got), QR_MALFORMED);
	/* longer, or a character outside the alphabet */
	char longer[QR_TOKEN_LEN + 2];
	snprintf(longer, sizeof longer, "%sA", tok);
	CHECK_INT(qr_token_check(k, longer, strlen(longer), TODAY, &got), QR_MALFORMED);
	memcpy(bad, tok, sizeof bad);
	bad[50] = '=';
	CHECK_INT(qr_token_check(k, bad, QR_TOKEN_LEN, TODAY, &got), QR_MALFORMED);
	bad[5] = '.';
	CHECK_INT(qr_token_check(k, bad, 10, TODAY, &got), QR_MALFORMED);
	/* expired beats nothing: a forged expired token is forged */
	flip(tok, 30, 0, bad);
	CHECK_INT(qr_token_check(k, bad, QR_TOKEN_LEN, TODAY + 100, &got), QR_FORGED);
	/* no key: nothing verifies */
	CHECK_INT(qr_token_check(NULL, tok, QR_TOKEN_LEN, TODAY, &got), QR_FORGED);
}

static void other_keys(crypto_signer *k, crypto_signer *other)
{
	struct qr_claim c = { QR_KIND_INSPECTION, 7, 8, TODAY + 1 }, got;
	char tok[QR_TOKEN_LEN + 1];
	CHECK(qr_token_make(other, &c, tok) == 0);
	CHECK_INT(qr_token_check(other, tok, QR_TOKEN_LEN, TODAY, &got), QR_OK);
	CHECK_INT(qr_token_check(k, tok, QR_TOKEN_LEN, TODAY, &got), QR_FORGED);
}

/* Threads verifying the same few tokens at once through the cache: every
 * answer right (run under the sanitizers too). */
#define NTOK 8
static char shared_tok[NTOK][QR_TOKEN_LEN + 1];

static void *verifier(void *arg)
{
	long wrong = 0;
	struct qr_claim got;
	for (int i = 0; i < 400; i++) {
		int t = (i + (int)(intptr_t)arg) % NTOK;
		wrong += qr_token_verify(shared_tok[t], QR_TOKEN_LEN, &got) != QR_OK || got.record_id != t + 1;
	}
	return (void *)wrong;
}

static void concurrent(void)
{
	pthread_t th[4];
	long wrong = 0;
	for (int t = 0; t < NTOK; t++) {
		struct qr_claim c = { QR_KIND_INSPECTION, t + 1, 1, qr_today() + 1 };
		CHECK(qr_token_make(qr_key(), &c, shared_tok[t]) == 0);
	}
	for (intptr_t i = 0; i < 4; i++)
		CHECK(pthread_create(&th[i], NULL, verifier, (void *)i) == 0);
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(th[i], &r);
		wrong += (long)r;
	}
	CHECK_INT(wrong, 0);
}

/* The process-wide key and its cache: a hit still checks expiry, and a
 * new key (rotation) empties the cache. */
static void process_key(void)
{
	char prefix[256], path[300], err[256], tok[QR_TOKEN_LEN + 1];
	struct stat st;
	struct qr_claim got, c = { QR_KIND_INSPECTION, 5, 6, 0 };
	snprintf(prefix, sizeof prefix, "%s/store.", dir);
	CHECK_INT(qr_token_verify("x/y", 3, &got), QR_MALFORMED);
	CHECK_INT(qr_token_verify("x", 1, &got), QR_TRUNCATED);
	CHECK(qr_key_open(prefix, 0, err, sizeof err) != 0); /* no file, no create */
	CHECK(qr_key_open(prefix, 1, err, sizeof err) == 0);
	snprintf(path, sizeof path, "%s%s", prefix, QR_SIGN_FILE);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	c.expires = qr_today();
	CHECK(qr_token_make(qr_key(), &c, tok) == 0);
	for (int i = 0; i < 3; i++) /* a miss, then hits */
		CHECK_INT(qr_token_verify(tok, QR_TOKEN_LEN, &got), QR_OK);
	CHECK_INT(got.record_id, 5);
	c.expires = qr_today() - 1;
	CHECK(qr_token_make(qr_key(), &c, tok) == 0);
	CHECK_INT(qr_token_verify(tok, QR_TOKEN_LEN, &got), QR_EXPIRED);
	c.expires = qr_today() + 1;
	CHECK(qr_token_make(qr_key(), &c, tok) == 0);
	CHECK_INT(qr_token_verify(tok, QR_TOKEN_LEN, &got), QR_OK);
	/* rotation: the old key's tokens are refused, cached or not */
	CHECK(unlink(path) == 0);
	CHECK(qr_key_open(prefix, 1, err, sizeof err) == 0);
	CHECK_INT(qr_token_verify(tok, QR_TOKEN_LEN, &got), QR_FORGED);
	/* reopening the same file keeps its tokens valid */
	CHECK(qr_token_make(qr_key(), &c, tok) == 0);
	CHECK(qr_key_open(prefix, 0, err, sizeof err) == 0);
	CHECK_INT(qr_token_verify(tok, QR_TOKEN_LEN, &got), QR_OK);
	concurrent();
	qr_key_close();
}

/* The SVG's squares ("Mx yh1v1h-1z" in a viewBox "0 0 side side") drawn
 * as a PGM image, 8 pixels a module: what zbarimg reads (its SVG reader
 * renders one pixel a unit, too small to decode). 0 ok. */
static int svg_to_pgm(const char *svg, const char *path)
{
	enum { SCALE = 8 };
	int side, x, y, n;
	const char *p = strstr(svg, "viewBox=\"0 0 ");
	if (!p || sscanf(p, "viewBox=\"0 0 %d", &side) != 1 || side <= 0 || side > 200)
		return -1;
	int w = side * SCALE;
	unsigned char *img = malloc((size_t)w * w);
	if (!img)
		return -1;
	memset(img, 255, (size_t)w * w);
	for (p = strstr(svg, " d=\""); p && (p = strchr(p, 'M')); p += n) {
		n = 0;
		if (sscanf(p, "M%d %dh1v1h-1z%n", &x, &y, &n) != 2 || n == 0 || x < 0 || y < 0 || x >= side ||
		    y >= side)
			break;
		for (int j = y * SCALE; j < (y + 1) * SCALE; j++)
			memset(img + (size_t)j * w + x * SCALE, 0, SCALE);
	}
	FILE *f = fopen(path, "wb");
	int ok = f && fprintf(f, "P5 %d %d 255\n", w, w) > 0 && fwrite(img, 1, (size_t)w * w, f) == (size_t)w * w;
	if (f && fclose(f) != 0)
		ok = 0;
	free(img);
	return ok ? 0 : -1;
}

static void svg_decodes(crypto_signer *k)
{
	struct qr_claim c = { QR_KIND_INSPECTION, 99, 100, TODAY };
	char tok[QR_TOKEN_LEN + 1], url[256], pgm[256], cmd[1024], line[512] = "";
	CHECK(qr_token_make(k, &c, tok) == 0);
	snprintf(url, sizeof url, "https://fazhi.example.gov.cn/c/%s", tok);
	char *svg = qr_svg(url);
	CHECK(svg && strncmp(svg, "<svg ", 5) == 0 && strstr(svg, "</svg>"));
	if (!svg || system("command -v zbarimg >/dev/null 2>&1") != 0) {
		printf("note: zbarimg not installed (apt-get install zbar-tools): the SVG is not decoded back\n");
		free(svg);
		return;
	}
	snprintf(pgm, sizeof pgm, "%s/code.pgm", dir);
	CHECK(svg_to_pgm(svg, pgm) == 0);
	free(svg);
	snprintf(cmd, sizeof cmd, "zbarimg --quiet --raw %s 2>/dev/null", pgm);
	FILE *p = popen(cmd, "r");
	CHECK(p && fgets(line, sizeof line, p));
	if (p)
		pclose(p);
	line[strcspn(line, "\n")] = 0;
	CHECK_STR(line, url);
}

int main(void)
{
	CHECK(crypto_init() == 0);
	CHECK(mkdtemp(dir) != NULL);
	crypto_signer *k = signer("a.pem"), *other = signer("b.pem");
	round_trip(k);
	forgeries(k);
	other_keys(k, other);
	process_key();
	svg_decodes(k);
	crypto_signer_free(k);
	crypto_signer_free(other);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
	return t_done();
}
