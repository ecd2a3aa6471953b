/*
 * crypto.h — the one crypto interface: SM3/SHA-256 digests, HMAC, CSPRNG,
 * Argon2id passwords, sealed personal data (SM4-CBC + HMAC-SM3), key file.
 * A certified (商用密码) module can replace OpenSSL/libsodium behind it.
 * Don't include <sodium.h> beside it: that declares a function crypto_hash.
 */
#ifndef FAZHI_CRYPTO_H
#define FAZHI_CRYPTO_H

#include <stddef.h>

enum hash_alg { HASH_SM3 = 0, HASH_SHA256 = 1 };

/* Initialises libsodium and checks that SM3/SM4 are available. 0 ok. Call
 * once at start-up, before any thread uses this module. */
int crypto_init(void);

const char *hash_alg_name(enum hash_alg alg); /* "sm3" / "sha256" */
int hash_alg_parse(const char *name, enum hash_alg *out); /* 0 ok, -1 unknown */

/* Streaming digest. Both algorithms give 32 bytes = 64 lowercase hex. */
typedef struct crypto_hash crypto_hash;
crypto_hash *crypto_hash_new(enum hash_alg alg); /* NULL on failure */
void crypto_hash_update(crypto_hash *h, const void *p, size_t n);
void crypto_hash_final_hex(crypto_hash *h, char out[65]); /* frees h */

int crypto_digest_hex(enum hash_alg alg, const void *p, size_t n, char out[65]);

/* Many short digests in a row (a draw's million keys): the algorithm
 * fetched once and one context reused, instead of crypto_digest_hex's
 * implicit fetch (a locked lookup) per call. One thread at a time. */
typedef struct crypto_hasher crypto_hasher;
crypto_hasher *crypto_hasher_new(enum hash_alg alg); /* NULL on failure */
int crypto_hasher_digest(crypto_hasher *h, const void *p, size_t n, unsigned char out[32]); /* 0 ok */
void crypto_hasher_free(crypto_hasher *h);
int crypto_hmac_hex(enum hash_alg alg, const void *key, size_t keylen,
		    const void *p, size_t n, char out[65]);

void crypto_random(void *buf, size_t n);          /* CSPRNG; aborts on failure */
void crypto_random_hex(char *out, size_t nbytes); /* 2*nbytes hex + NUL */

/* Argon2id (libsodium crypto_pwhash_str) with the INTERACTIVE limits:
 * opslimit 2, memlimit 64 MiB — about 0.1 s per hash on a server core.
 * out must hold CRYPTO_PWHASH_LEN bytes; the result starts "$argon2id$".
 * 0 ok, -1 on failure (out of memory, outlen too small). */
#define CRYPTO_PWHASH_LEN 128
int crypto_password_hash(const char *pw, char *out, size_t outlen);
/* 0 when pw matches encoded, -1 otherwise (including malformed encoded). */
int crypto_password_verify(const char *encoded, const char *pw);
/* 1 when encoded was made with weaker limits than the current ones. */
int crypto_password_needs_rehash(const char *encoded);

/* Personal data at rest. key = 16 bytes SM4 key || 16 bytes HMAC-SM3 key.
 * Sealed form: iv(16) || SM4-CBC ciphertext, PKCS#7 padded || HMAC-SM3(32)
 * over iv||ciphertext (encrypt-then-MAC). *out is malloc'd; free it (and
 * crypto_wipe the plaintext from crypto_open). 0 ok; -1 on failure, and
 * crypto_open gives -1 when the input is truncated or tampered with. */
#define CRYPTO_KEY_LEN 32
#define CRYPTO_SEAL_OVERHEAD (16 + 16 + 32) /* iv + max padding + mac */
int crypto_seal(const unsigned char key[32], const void *pt, size_t n,
		unsigned char **out, size_t *outn);
int crypto_open(const unsigned char key[32], const void *ct, size_t n,
		unsigned char **out, size_t *outn);

void crypto_wipe(void *p, size_t n); /* sodium_memzero */

/* Key file: 64 hex digits (32 bytes) and an optional newline. When the
 * file is missing and create is set, a random key is written atomically
 * with mode 0600. A key file writable by group or others is refused.
 * 0 ok; -1 and a Chinese message in err. */
int crypto_key_load(const char *path, unsigned char key[32], int create,
		    char *err, size_t errlen);

/* Ed25519 signatures (OpenSSL EVP) for the audit log's checkpoints. The
 * private key is a PKCS#8 PEM file; like the key file above it is created
 * with mode 0600 when missing and create is set, and refused when group or
 * others may write it. 0 ok; -1 and a Chinese message in err. */
typedef struct crypto_signer crypto_signer;
int crypto_signer_load(const char *path, int create, crypto_signer **out,
		       char *err, size_t errlen);
void crypto_signer_free(crypto_signer *s);
/* The raw 64-byte signature of p, and its check (0 valid, -1 not). */
#define CRYPTO_SIG_LEN 64
int crypto_sign(const crypto_signer *s, const void *p, size_t n, unsigned char sig[CRYPTO_SIG_LEN]);
int crypto_verify(const crypto_signer *s, const void *p, size_t n, const unsigned char sig[CRYPTO_SIG_LEN]);
/* Signature of p as 128 lowercase hex digits (+ NUL). 0 ok. */
int crypto_sign_hex(const crypto_signer *s, const void *p, size_t n,
		    char out[129]);
/* 0 when sig_hex is s's valid signature of p, -1 otherwise. */
int crypto_verify_hex(const crypto_signer *s, const void *p, size_t n,
		      const char *sig_hex);
/* The public key as a PEM SubjectPublicKeyInfo (malloc'd), or NULL. */
char *crypto_signer_public_pem(const crypto_signer *s);

#endif
