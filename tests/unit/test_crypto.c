/*
 * test_crypto.c — known-answer tests for SM3, SHA-256, HMAC and SM4, the
 * sealed format (checked against OpenSSL EVP directly), Argon2id password
 * hashes, random tokens and the key file.
 */
#include "crypto.h"
#include "t.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char ABC_SM3[] =
	"66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0";
static const char ABC_SHA256[] =
	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

static void test_digests(void)
{
	char out[65];
	crypto_hash *h;
	const char *abcd16 = "abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd"
			     "abcdabcdabcdabcd";

	CHECK_INT(crypto_digest_hex(HASH_SM3, "abc", 3, out), 0);
	CHECK_STR(out, ABC_SM3);
	/* GB/T 32905-2016 example 2: 512-bit message */
	CHECK_INT(crypto_digest_hex(HASH_SM3, abcd16, 64, out), 0);
	CHECK_STR(out, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
	CHECK_INT(crypto_digest_hex(HASH_SHA256, "abc", 3, out), 0);
	CHECK_STR(out, ABC_SHA256);
	CHECK_INT(crypto_digest_hex(HASH_SHA256, "", 0, out), 0);
	CHECK_STR(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

	h = crypto_hash_new(HASH_SM3); /* streaming in pieces */
	CHECK(h != NULL);
	crypto_hash_update(h, "a", 1);
	crypto_hash_update(h, "", 0);
	crypto_hash_update(h, "bc", 2);
	crypto_hash_final_hex(h, out);
	CHECK_STR(out, ABC_SM3);
	h = crypto_hash_new(HASH_SHA256);
	crypto_hash_update(h, "ab", 2);
	crypto_hash_update(h, "c", 1);
	crypto_hash_final_hex(h, out);
	CHECK_STR(out, ABC_SHA256);
}

static void test_hmac_and_names(void)
{
	char out[65];
	const char *msg = "what do ya want for nothing?";
	enum hash_alg a = HASH_SHA256;

	/* RFC 4231 test case 2 */
	CHECK_INT(crypto_hmac_hex(HASH_SHA256, "Jefe", 4, msg, strlen(msg), out), 0);
	CHECK_STR(out, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	/* same inputs, HMAC-SM3 (value from `openssl dgst -sm3 -hmac Jefe`) */
	CHECK_INT(crypto_hmac_hex(HASH_SM3, "Jefe", 4, msg, strlen(msg), out), 0);
	CHECK_STR(out, "2e87f1d16862e6d964b50a5200bf2b10b764faa9680a296a2405f24bec39f882");

	CHECK_STR(hash_alg_name(HASH_SM3), "sm3");
	CHECK_STR(hash_alg_name(HASH_SHA256), "sha256");
	CHECK_INT(hash_alg_parse("sm3", &a), 0);
	CHECK_INT(a, HASH_SM3);
	CHECK_INT(hash_alg_parse("sha256", &a), 0);
	CHECK_INT(a, HASH_SHA256);
	CHECK_INT(hash_alg_parse("md5", &a), -1);
	CHECK_INT(hash_alg_parse(NULL, &a), -1);
}

static int unhex(const char *s, unsigned char *out)
{
	size_t n = strlen(s) / 2;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	return (int)n;
}

/* GB/T 32907-2016 appendix A example 1, straight through EVP. */
static void test_sm4_kat(void)
{
	unsigned char key[16], out[32];
	char hex[65];
	int l1 = 0, l2 = 0;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();

	unhex("0123456789abcdeffedcba9876543210", key);
	CHECK(EVP_EncryptInit_ex(c, EVP_sm4_ecb(), NULL, key, NULL) == 1);
	EVP_CIPHER_CTX_set_padding(c, 0);
	CHECK(EVP_EncryptUpdate(c, out, &l1, key, 16) == 1);
	CHECK(EVP_EncryptFinal_ex(c, out + l1, &l2) == 1);
	CHECK_INT(l1 + l2, 16);
	for (int i = 0; i < 16; i++)
		sprintf(hex + 2 * i, "%02x", out[i]);
	CHECK_STR(hex, "681edf34d206965e86b3e94f536e4246");
	EVP_CIPHER_CTX_free(c);
}

/* The sealed layout really is iv || SM4-CBC(key[0..16]) || HMAC-SM3(key[16..32]). */
static void check_seal_layout(const unsigned char key[32], const unsigned char *s,
			      size_t n, const char *pt)
{
	unsigned char plain[128], mac[32];
	int l1 = 0, l2 = 0;
	size_t maclen = 0;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();

	CHECK(EVP_DecryptInit_ex(c, EVP_sm4_cbc(), NULL, key, s) == 1);
	CHECK(EVP_DecryptUpdate(c, plain, &l1, s + 16, (int)(n - 48)) == 1);
	CHECK(EVP_DecryptFinal_ex(c, plain + l1, &l2) == 1);
	CHECK_INT(l1 + l2, strlen(pt));
	CHECK(memcmp(plain, pt, strlen(pt)) == 0);
	EVP_CIPHER_CTX_free(c);
	CHECK(EVP_Q_mac(NULL, "HMAC", NULL, "SM3", NULL, key + 16, 16, s,
			n - 32, mac, sizeof mac, &maclen) != NULL);
	CHECK(maclen == 32 && memcmp(mac, s + n - 32, 32) == 0);
}

static void test_seal_tamper(const unsigned char key[32], const unsigned char *s,
			     size_t n)
{
	unsigned char *copy = malloc(n), *pt = NULL, other[32];
	size_t ptn = 0;
	int opened = 0;

	for (size_t i = 0; i < n; i++) { /* every byte: iv, ciphertext, mac */
		memcpy(copy, s, n);
		copy[i] ^= 0x01;
		if (crypto_open(key, copy, n, &pt, &ptn) == 0) {
			opened++;
			free(pt);
		}
	}
	CHECK_INT(opened, 0);
	CHECK_INT(crypto_open(key, s, n - 1, &pt, &ptn), -1);
	CHECK_INT(crypto_open(key, s, 47, &pt, &ptn), -1);
	CHECK(pt == NULL);
	memcpy(other, key, 32);
	other[31] ^= 0x80; /* wrong mac half of the key */
	CHECK_INT(crypto_open(other, s, n, &pt, &ptn), -1);
	free(copy);
}

static void test_seal(void)
{
	unsigned char key[32], *s1, *s2, *pt;
	size_t n1, n2, ptn;
	const char *msg = "张三 330282199001011234 13812345678";

	crypto_random(key, sizeof key);
	CHECK_INT(crypto_seal(key, msg, strlen(msg), &s1, &n1), 0);
	CHECK_INT(n1, 16 + (strlen(msg) / 16 + 1) * 16 + 32);
	CHECK_INT(crypto_seal(key, msg, strlen(msg), &s2, &n2), 0);
	CHECK(n1 == n2 && memcmp(s1, s2, n1) != 0); /* random IV */
	CHECK_INT(crypto_open(key, s1, n1, &pt, &ptn), 0);
	CHECK(ptn == strlen(msg) && memcmp(pt, msg, ptn) == 0);
	crypto_wipe(pt, ptn);
	free(pt);
	check_seal_layout(key, s1, n1, msg);
	test_seal_tamper(key, s1, n1);
	free(s1);
	free(s2);

	CHECK_INT(crypto_seal(key, "", 0, &s1, &n1), 0); /* empty plaintext */
	CHECK_INT(n1, 64);
	CHECK_INT(crypto_open(key, s1, n1, &pt, &ptn), 0);
	CHECK_INT(ptn, 0);
	free(pt);
	free(s1);
}

static void test_passwords(void)
{
	char h1[CRYPTO_PWHASH_LEN], h2[CRYPTO_PWHASH_LEN], small[64];

	CHECK_INT(crypto_password_hash("Zheng#2024ok", h1, sizeof h1), 0);
	CHECK(strncmp(h1, "$argon2id$", 10) == 0);
	CHECK_INT(crypto_password_verify(h1, "Zheng#2024ok"), 0);
	CHECK_INT(crypto_password_verify(h1, "Zheng#2024oK"), -1);
	CHECK_INT(crypto_password_verify(h1, ""), -1);
	CHECK_INT(crypto_password_needs_rehash(h1), 0);
	CHECK_INT(crypto_password_hash("Zheng#2024ok", h2, sizeof h2), 0);
	CHECK(strcmp(h1, h2) != 0); /* random salt */
	CHECK_INT(crypto_password_hash("x", small, sizeof small), -1);
	CHECK_INT(crypto_password_verify("$argon2id$garbage", "x"), -1);
	CHECK_INT(crypto_password_verify("plaintext", "plaintext"), -1);
}

static void test_random(void)
{
	char a[65], b[65];
	unsigned char z[32] = { 0 }, r[32] = { 0 };

	crypto_random_hex(a, 32);
	crypto_random_hex(b, 32);
	CHECK_INT(strlen(a), 64);
	CHECK_INT(strspn(a, "0123456789abcdef"), 64);
	CHECK(strcmp(a, b) != 0);
	crypto_random(r, sizeof r);
	CHECK(memcmp(r, z, sizeof r) != 0);
	crypto_wipe(r, sizeof r);
	CHECK(memcmp(r, z, sizeof r) == 0);
}

static void test_key_file(void)
{
	char dir[] = "/tmp/fazhi-keyXXXXXX", path[256], err[256], text[80];
	unsigned char k1[32], k2[32];
	struct stat st;
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/data.key", dir);
	CHECK_INT(crypto_key_load(path, k1, 0, err, sizeof err), -1);
	CHECK(strstr(err, "不存在") != NULL);
	CHECK_INT(crypto_key_load(path, k1, 1, err, sizeof err), 0);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK_INT(crypto_key_load(path, k2, 0, err, sizeof err), 0);
	CHECK(memcmp(k1, k2, 32) == 0);
	f = fopen(path, "r");
	CHECK(f && fgets(text, sizeof text, f));
	CHECK_INT(strlen(text), 65);
	CHECK_INT(strspn(text, "0123456789abcdef"), 64);
	if (f)
		fclose(f);

	chmod(path, 0666);
	CHECK_INT(crypto_key_load(path, k2, 1, err, sizeof err), -1);
	CHECK(strstr(err, "0600") != NULL);
	f = fopen(path, "w");
	fputs("not a key\n", f);
	fclose(f);
	chmod(path, 0600);
	CHECK_INT(crypto_key_load(path, k2, 1, err, sizeof err), -1);
	CHECK(strstr(err, "格式错误") != NULL);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	CHECK_INT(crypto_init(), 0);
	test_digests();
	test_hmac_and_names();
	test_sm4_kat();
	test_seal();
	test_passwords();
	test_random();
	test_key_file();
	return t_done();
}
