/* review_draw.c — the reproducible 案卷评查 sample (review_draw.h). */
#include "review_draw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"

uint64_t review_sm3_u64(const char *text)
{
	char hex[65];
	uint64_t v = 0;
	if (crypto_digest_hex(HASH_SM3, text, strlen(text), hex) != 0)
		abort(); /* SM3 is checked at start-up (crypto_init) */
	for (int i = 0; i < 16; i++)
		v = v << 4 | (uint64_t)(hex[i] <= '9' ? hex[i] - '0' : hex[i] - 'a' + 10);
	return v;
}

static int by_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

int review_sample_size(int n, int per_body, int percent)
{
	int k = per_body > 0 ? per_body : (int)(((int64_t)n * percent + 99) / 100);
	if (k < 1 && n > 0 && percent > 0)
		k = 1;
	return k < n ? k : n;
}

int review_draw(const char *seed, int64_t body_id, int64_t *ids, int n, int k)
{
	char text[REVIEW_SEED_MAX * 4 + 64];
	if (k > n)
		k = n;
	qsort(ids, (size_t)n, sizeof ids[0], by_id);
	for (int i = 0; i < k; i++) {
		snprintf(text, sizeof text, "fazhi-case-review|%s|%lld|%d", seed, (long long)body_id, i);
		int j = i + (int)(review_sm3_u64(text) % (uint64_t)(n - i));
		int64_t t = ids[i];
		ids[i] = ids[j];
		ids[j] = t;
	}
	qsort(ids, (size_t)k, sizeof ids[0], by_id);
	return k;
}

int review_rotation(const char *seed, int m)
{
	char text[REVIEW_SEED_MAX * 4 + 64];
	if (m <= 0)
		return 0;
	snprintf(text, sizeof text, "fazhi-case-review|%s|reviewers", seed);
	return (int)(review_sm3_u64(text) % (uint64_t)m);
}

void review_seed_new(char out[33])
{
	crypto_random_hex(out, 16);
}
