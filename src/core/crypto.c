/*
 * crypto.c — the crypto interface over OpenSSL 3.0 EVP (SM3, SHA-256, SM4,
 * HMAC, RAND, Ed25519) and libsodium (Argon2id, memzero). No primitive is written
 * here: this file only wires library calls together, encodes hex and
 * manages the key file.
 */
#include "crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
/* Not <sodium.h>: it declares a function crypto_hash(), which would clash
 * with our crypto_hash type. */
#include <sodium/core.h>
#include <sodium/crypto_pwhash.h>
#include <sodium/utils.h>

#define SM4_KEY_LEN 16
#define SM4_BLOCK 16
#define MAC_LEN 32

struct crypto_hash {
	EVP_MD_CTX *ctx;
	int failed;
};

static const EVP_MD *hash_md(enum hash_alg alg)
{
	switch (alg) {
	case HASH_SM3: return EVP_sm3();
	case HASH_SHA256: return EVP_sha256();
	}
	return NULL;
}

static void hex_encode(const unsigned char *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int crypto_init(void)
{
	EVP_MD *md;
	EVP_CIPHER *c;

	if (sodium_init() < 0)
		return -1;
	md = EVP_MD_fetch(NULL, "SM3", NULL);
	c = EVP_CIPHER_fetch(NULL, "SM4-CBC", NULL);
	EVP_MD_free(md);
	EVP_CIPHER_free(c);
	return md && c ? 0 : -1;
}

const char *hash_alg_name(enum hash_alg alg)
{
	return alg == HASH_SHA256 ? "sha256" : "sm3";
}

int hash_alg_parse(const char *name, enum hash_alg *out)
{
	if (name && strcasecmp(name, "sm3") == 0) {
		*out = HASH_SM3;
		return 0;
	}
	if (name && strcasecmp(name, "sha256") == 0) {
		*out = HASH_SHA256;
		return 0;
	}
	return -1;
}

crypto_hash *crypto_hash_new(enum hash_alg alg)
{
	const EVP_MD *md = hash_md(alg);
	crypto_hash *h;

	if (!md || !(h = calloc(1, sizeof *h)))
		return NULL;
	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx || EVP_DigestInit_ex(h->ctx, md, NULL) != 1) {
		EVP_MD_CTX_free(h->ctx);
		free(h);
		return NULL;
	}
	return h;
}

void crypto_hash_update(crypto_hash *h, const void *p, size_t n)
{
	if (h && !h->failed && n && EVP_DigestUpdate(h->ctx, p, n) != 1)
		h->failed = 1;
}

/* Writes "" into out when the digest failed (or h is NULL). */
void crypto_hash_final_hex(crypto_hash *h, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	out[0] = '\0';
	if (!h)
		return;
	if (!h->failed && EVP_DigestFinal_ex(h->ctx, md, &len) == 1 &&
	    len == 32)
		hex_encode(md, len, out);
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

int crypto_digest_hex(enum hash_alg alg, const void *p, size_t n, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	const EVP_MD *m = hash_md(alg);

	out[0] = '\0';
	if (!m || EVP_Digest(p, n, md, &len, m, NULL) != 1 || len != 32)
		return -1;
	hex_encode(md, len, out);
	return 0;
}

struct crypto_hasher {
	EVP_MD *md;
	EVP_MD_CTX *ctx;
};

crypto_hasher *crypto_hasher_new(enum hash_alg alg)
{
	crypto_hasher *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->md = EVP_MD_fetch(NULL, alg == HASH_SHA256 ? "SHA256" : "SM3", NULL);
	h->ctx = EVP_MD_CTX_new();
	if (!h->md || !h->ctx) {
		crypto_hasher_free(h);
		return NULL;
	}
	return h;
}

int crypto_hasher_digest(crypto_hasher *h, const void *p, size_t n, unsigned char out[32])
{
	unsigned int len = 0;
	return EVP_DigestInit_ex2(h->ctx, h->md, NULL) == 1 && EVP_DigestUpdate(h->ctx, p, n) == 1 &&
			       EVP_DigestFinal_ex(h->ctx, out, &len) == 1 && len == 32
		       ? 0
		       : -1;
}

void crypto_hasher_free(crypto_hasher *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->ctx);
	EVP_MD_free(h->md);
	free(h);
}

/* HMAC through EVP_MAC; out receives 32 bytes. */
static int hmac_raw(enum hash_alg alg, const void *key, size_t keylen,
		    const void *p, size_t n, unsigned char out[MAC_LEN])
{
	static const unsigned char nokey[1];
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
	OSSL_PARAM params[2];
	size_t len = 0;
	int ok;

	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
		(char *)(alg == HASH_SHA256 ? "SHA256" : "SM3"), 0);
	params[1] = OSSL_PARAM_construct_end();
	ok = ctx &&
	     EVP_MAC_init(ctx, keylen ? key : nokey, keylen, params) == 1 &&
	     EVP_MAC_update(ctx, p, n) == 1 &&
	     EVP_MAC_final(ctx, out, &len, MAC_LEN) == 1 && len == MAC_LEN;
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return ok ? 0 : -1;
}

int crypto_hmac_hex(enum hash_alg alg, const void *key, size_t keylen,
		    const void *p, size_t n, char out[65])
{
	unsigned char m[MAC_LEN];

	out[0] = '\0';
	if (hmac_raw(alg, key, keylen, p, n, m) != 0)
		return -1;
	hex_encode(m, MAC_LEN, out);
	return 0;
}

void crypto_random(void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n > 0) {
		int chunk = n > (1u << 30) ? (1 << 30) : (int)n;
		if (RAND_bytes(p, chunk) != 1) {
			fputs("fazhi: 随机数发生器失败，无法继续\n", stderr);
			abort();
		}
		p += chunk;
		n -= (size_t)chunk;
	}
}

void crypto_random_hex(char *out, size_t nbytes)
{
	unsigned char buf[64];
	size_t done = 0;

	while (done < nbytes) {
		size_t k = nbytes - done < sizeof buf ? nbytes - done : sizeof buf;
		crypto_random(buf, k);
		hex_encode(buf, k, out + 2 * done);
		done += k;
	}
	out[2 * nbytes] = '\0';
	crypto_wipe(buf, sizeof buf);
}

int crypto_password_hash(const char *pw, char *out, size_t outlen)
{
	if (!pw || outlen < crypto_pwhash_STRBYTES)
		return -1;
	if (crypto_pwhash_str_alg(out, pw, strlen(pw),
				  crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return -1;
	return 0;
}

int crypto_password_verify(const char *encoded, const char *pw)
{
	if (!encoded || !pw)
		return -1;
	if (strncmp(encoded, "$argon2id$", 10) != 0)
		return -1;
	return crypto_pwhash_str_verify(encoded, pw, strlen(pw)) == 0 ? 0 : -1;
}

int crypto_password_needs_rehash(const char *encoded)
{
	return crypto_pwhash_str_needs_rehash(encoded,
		crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
		crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE) != 0;
}

/* SM4-CBC (PKCS#7) of n bytes from in to out; returns the output length or
 * -1. out must have room for n + 16 bytes. */
static long sm4_cbc(int enc, const unsigned char *key, const unsigned char *iv,
		    const unsigned char *in, size_t n, unsigned char *out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int l1 = 0, l2 = 0, ok;

	if (n > INT32_MAX - 2 * SM4_BLOCK) {
		EVP_CIPHER_CTX_free(ctx);
		return -1;
	}
	ok = ctx &&
	     EVP_CipherInit_ex(ctx, EVP_sm4_cbc(), NULL, key, iv, enc) == 1 &&
	     EVP_CipherUpdate(ctx, out, &l1, in, (int)n) == 1 &&
	     EVP_CipherFinal_ex(ctx, out + l1, &l2) == 1;
	EVP_CIPHER_CTX_free(ctx);
	return ok ? (long)l1 + l2 : -1;
}

int crypto_seal(const unsigned char key[32], const void *pt, size_t n,
		unsigned char **out, size_t *outn)
{
	unsigned char *buf;
	long clen;

	*out = NULL;
	*outn = 0;
	if (n > INT32_MAX - CRYPTO_SEAL_OVERHEAD ||
	    !(buf = malloc(n + CRYPTO_SEAL_OVERHEAD)))
		return -1;
	crypto_random(buf, SM4_BLOCK);
	clen = sm4_cbc(1, key, buf, pt, n, buf + SM4_BLOCK);
	if (clen < 0 || hmac_raw(HASH_SM3, key + SM4_KEY_LEN, 16, buf,
				 SM4_BLOCK + (size_t)clen,
				 buf + SM4_BLOCK + clen) != 0) {
		free(buf);
		return -1;
	}
	*out = buf;
	*outn = SM4_BLOCK + (size_t)clen + MAC_LEN;
	return 0;
}

int crypto_open(const unsigned char key[32], const void *ct, size_t n,
		unsigned char **out, size_t *outn)
{
	const unsigned char *in = ct;
	unsigned char mac[MAC_LEN], *buf;
	size_t clen;
	long plen;

	*out = NULL;
	*outn = 0;
	if (n < SM4_BLOCK + SM4_BLOCK + MAC_LEN ||
	    (n - SM4_BLOCK - MAC_LEN) % SM4_BLOCK != 0)
		return -1;
	clen = n - SM4_BLOCK - MAC_LEN;
	if (hmac_raw(HASH_SM3, key + SM4_KEY_LEN, 16, in, SM4_BLOCK + clen,
		     mac) != 0 ||
	    CRYPTO_memcmp(mac, in + SM4_BLOCK + clen, MAC_LEN) != 0)
		return -1;
	if (!(buf = malloc(clen + SM4_BLOCK)))
		return -1;
	plen = sm4_cbc(0, key, in, in + SM4_BLOCK, clen, buf);
	if (plen < 0) {
		crypto_wipe(buf, clen + SM4_BLOCK);
		free(buf);
		return -1;
	}
	*out = buf;
	*outn = (size_t)plen;
	return 0;
}

void crypto_wipe(void *p, size_t n)
{
	if (p && n)
		sodium_memzero(p, n);
}

/* Decodes exactly 64 hex digits followed by optional whitespace. */
static int key_parse(const char *s, size_t len, unsigned char key[32])
{
	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r' ||
			   s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len != 64)
		return -1;
	for (size_t i = 0; i < 32; i++) {
		int hi = hex_value((unsigned char)s[2 * i]);
		int lo = hex_value((unsigned char)s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		key[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

/* 1 read, 0 missing, -1 error (message in err). */
static int key_read(const char *path, unsigned char key[32], char *err,
		    size_t errlen)
{
	char buf[130];
	struct stat st;
	ssize_t got;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 1;

	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0) {
		snprintf(err, errlen, "无法打开密钥文件 %s：%s", path,
			 strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "密钥文件 %s 不是普通文件", path);
		rc = -1;
	} else if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(err, errlen,
			 "密钥文件 %s 可被其他用户写入，请将权限改为 0600", path);
		rc = -1;
	} else if ((got = read(fd, buf, sizeof buf)) < 0) {
		snprintf(err, errlen, "无法读取密钥文件 %s：%s", path,
			 strerror(errno));
		rc = -1;
	} else if (key_parse(buf, (size_t)got, key) != 0) {
		snprintf(err, errlen, "密钥文件 %s 格式错误（应为 64 位十六进制）",
			 path);
		rc = -1;
	}
	close(fd);
	crypto_wipe(buf, sizeof buf);
	if (rc < 0)
		crypto_wipe(key, 32);
	return rc;
}

/* 1 created, 0 someone else created it meanwhile, -1 error. */
static int key_create(const char *path, unsigned char key[32], char *err,
		      size_t errlen)
{
	char hex[66];
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int ok;

	if (fd < 0 && errno == EEXIST)
		return 0;
	if (fd < 0) {
		snprintf(err, errlen, "无法创建密钥文件 %s：%s", path,
			 strerror(errno));
		return -1;
	}
	crypto_random(key, 32);
	hex_encode(key, 32, hex);
	hex[64] = '\n';
	ok = fchmod(fd, 0600) == 0 && write(fd, hex, 65) == 65 &&
	     fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	crypto_wipe(hex, sizeof hex);
	if (!ok) {
		snprintf(err, errlen, "无法写入密钥文件 %s：%s", path,
			 strerror(errno));
		unlink(path);
		crypto_wipe(key, 32);
		return -1;
	}
	return 1;
}

int crypto_key_load(const char *path, unsigned char key[32], int create,
		    char *err, size_t errlen)
{
	int rc;

	if (err && errlen)
		err[0] = '\0';
	if (!path || !*path) {
		snprintf(err, errlen, "未指定密钥文件");
		return -1;
	}
	for (int attempt = 0; attempt < 2; attempt++) {
		rc = key_read(path, key, err, errlen);
		if (rc != 0)
			return rc > 0 ? 0 : -1;
		if (!create) {
			snprintf(err, errlen, "密钥文件 %s 不存在", path);
			return -1;
		}
		rc = key_create(path, key, err, errlen);
		if (rc != 0)
			return rc > 0 ? 0 : -1;
	}
	snprintf(err, errlen, "无法读取密钥文件 %s", path);
	return -1;
}

/* ---- Ed25519 signer ---- */

struct crypto_signer {
	EVP_PKEY *pkey;
};

static int signer_read(const char *path, EVP_PKEY **pkey, char *err, size_t errlen)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	FILE *f;

	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0) {
		snprintf(err, errlen, "无法打开签名密钥文件 %s：%s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		snprintf(err, errlen, "签名密钥文件 %s 不是普通文件或可被其他用户写入（应为 0600）", path);
		close(fd);
		return -1;
	}
	if (!(f = fdopen(fd, "r"))) {
		close(fd);
		snprintf(err, errlen, "无法读取签名密钥文件 %s", path);
		return -1;
	}
	*pkey = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (!*pkey || EVP_PKEY_get_base_id(*pkey) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(*pkey);
		*pkey = NULL;
		snprintf(err, errlen, "签名密钥文件 %s 格式错误（应为 Ed25519 PKCS#8 PEM）", path);
		return -1;
	}
	return 1;
}

/* 1 created, 0 someone else created it meanwhile, -1 error. */
static int signer_create(const char *path, char *err, size_t errlen)
{
	EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	int fd = pkey ? open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600) : -1;
	FILE *f;
	int ok;

	if (fd < 0 && pkey && errno == EEXIST) {
		EVP_PKEY_free(pkey);
		return 0;
	}
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		snprintf(err, errlen, "无法创建签名密钥文件 %s：%s", path, strerror(errno));
		if (fd >= 0)
			close(fd), unlink(path);
		EVP_PKEY_free(pkey);
		return -1;
	}
	ok = fchmod(fd, 0600) == 0 && PEM_write_PrivateKey(f, pkey, NULL, NULL, 0, NULL, NULL) == 1 &&
	     fflush(f) == 0 && fsync(fd) == 0;
	ok = fclose(f) == 0 && ok;
	EVP_PKEY_free(pkey);
	if (!ok) {
		snprintf(err, errlen, "无法写入签名密钥文件 %s", path);
		unlink(path);
		return -1;
	}
	return 1;
}

int crypto_signer_load(const char *path, int create, crypto_signer **out, char *err, size_t errlen)
{
	EVP_PKEY *pkey = NULL;
	int rc;

	*out = NULL;
	for (int attempt = 0; attempt < 2; attempt++) {
		rc = signer_read(path, &pkey, err, errlen);
		if (rc < 0)
			return -1;
		if (rc > 0)
			break;
		if (!create) {
			snprintf(err, errlen, "签名密钥文件 %s 不存在", path);
			return -1;
		}
		if (signer_create(path, err, errlen) < 0)
			return -1;
	}
	if (!pkey || !(*out = calloc(1, sizeof **out))) {
		EVP_PKEY_free(pkey);
		snprintf(err, errlen, "无法读取签名密钥文件 %s", path);
		return -1;
	}
	(*out)->pkey = pkey;
	return 0;
}

void crypto_signer_free(crypto_signer *s)
{
	if (s) {
		EVP_PKEY_free(s->pkey);
		free(s);
	}
}

int crypto_sign(const crypto_signer *s, const void *p, size_t n, unsigned char sig[CRYPTO_SIG_LEN])
{
	size_t len = CRYPTO_SIG_LEN;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, s->pkey) == 1 &&
		 EVP_DigestSign(ctx, sig, &len, p, n) == 1 && len == CRYPTO_SIG_LEN;

	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

int crypto_verify(const crypto_signer *s, const void *p, size_t n, const unsigned char sig[CRYPTO_SIG_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, s->pkey) == 1 &&
		 EVP_DigestVerify(ctx, sig, CRYPTO_SIG_LEN, p, n) == 1;

	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

int crypto_sign_hex(const crypto_signer *s, const void *p, size_t n, char out[129])
{
	unsigned char sig[CRYPTO_SIG_LEN];

	out[0] = '\0';
	if (crypto_sign(s, p, n, sig) != 0)
		return -1;
	hex_encode(sig, CRYPTO_SIG_LEN, out);
	return 0;
}

int crypto_verify_hex(const crypto_signer *s, const void *p, size_t n, const char *sig_hex)
{
	unsigned char sig[CRYPTO_SIG_LEN];

	if (!sig_hex || strlen(sig_hex) != 2 * CRYPTO_SIG_LEN)
		return -1;
	for (size_t i = 0; i < CRYPTO_SIG_LEN; i++) {
		int hi = hex_value((unsigned char)sig_hex[2 * i]), lo = hex_value((unsigned char)sig_hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		sig[i] = (unsigned char)(hi << 4 | lo);
	}
	return crypto_verify(s, p, n, sig);
}

char *crypto_signer_public_pem(const crypto_signer *s)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data, *out = NULL;
	long len;

	if (b && PEM_write_bio_PUBKEY(b, s->pkey) == 1 && (len = BIO_get_mem_data(b, &data)) > 0 &&
	    (out = malloc((size_t)len + 1))) {
		memcpy(out, data, (size_t)len);
		out[len] = '\0';
	}
	BIO_free(b);
	return out;
}
