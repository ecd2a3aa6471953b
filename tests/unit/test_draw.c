/*
 * test_draw.c — the 双随机 draw engine: the same seed gives the same result
 * whatever the rosters' order, another seed another; the filters and the
 * quiet-period list hold; credit-grade weights shift how often a grade is
 * drawn over many seeds (信用越好、检查越少); a sample larger than the
 * population is refused with its stable code; each enterprise gets two
 * distinct inspectors outside 回避; the seed's commitment is SM3; the keys
 * are the documented derivation (docs/draws.md), whether computed on one
 * thread or on several (a large population).
 */
#include "t.h"
#include "core/crypto.h"
#include "engine/draw.h"
#include "engine/review_draw.h"

#define NT 200
#define NI 12

static struct draw_target targets[NT];
static struct draw_inspector inspectors[NI];

static void rosters(void)
{
	static const char *industry[] = { "制造业", "餐饮业" };
	for (int i = 0; i < NT; i++)
		targets[i] = (struct draw_target){ 1000 + i * 3, 1 + i % 2, industry[i % 2 ? 1 : 0],
						   (char)("ABCD"[i % 4]) };
	for (int i = 0; i < NI; i++)
		inspectors[i] = (struct draw_inspector){ 500 + i, 10 + i % 3, 1 + i % 2 };
}

static void reverse(void)
{
	for (int i = 0; i < NT / 2; i++) {
		struct draw_target t = targets[i];
		targets[i] = targets[NT - 1 - i];
		targets[NT - 1 - i] = t;
	}
	for (int i = 0; i < NI / 2; i++) {
		struct draw_inspector t = inspectors[i];
		inspectors[i] = inspectors[NI - 1 - i];
		inspectors[NI - 1 - i] = t;
	}
}

static struct draw_spec spec(const char *seed)
{
	return (struct draw_spec){ .seed = seed, .weight = { 1, 2, 4, 8, 2 }, .sample = 20 };
}

static int same(const struct draw_result *a, const struct draw_result *b)
{
	return a->n == b->n && memcmp(a->picks, b->picks, (size_t)a->n * sizeof *a->picks) == 0;
}

static void test_reproducible(void)
{
	struct draw_result a, b, c;
	struct fz_err e;
	struct draw_spec s = spec("seed-1");
	rosters();
	CHECK_INT(draw_run(&s, targets, NT, inspectors, NI, &a, &e), 0);
	CHECK_INT(a.n, 20);
	CHECK_INT(a.population, NT);
	reverse();
	CHECK_INT(draw_run(&s, targets, NT, inspectors, NI, &b, &e), 0);
	CHECK(same(&a, &b)); /* the rosters' order does not matter */
	for (int i = 1; i < a.n; i++)
		CHECK(a.picks[i - 1].target_id < a.picks[i].target_id);
	for (int i = 0; i < a.n; i++)
		CHECK(a.picks[i].inspector[0] != a.picks[i].inspector[1]);
	s.seed = "seed-2";
	CHECK_INT(draw_run(&s, targets, NT, inspectors, NI, &c, &e), 0);
	CHECK(!same(&a, &c)); /* another seed, another result */
	draw_result_free(&a);
	draw_result_free(&b);
	draw_result_free(&c);
}

static void test_filters(void)
{
	struct draw_result r;
	struct fz_err e;
	int64_t quiet[] = { 1000, 1006, 1012 };
	struct draw_spec s = spec("seed-f");
	rosters();
	s.region_id = 1;
	s.industry = "制造业";
	s.quiet = quiet;
	s.nquiet = 3;
	s.sample = 0;
	s.rate_percent = 100; /* everyone eligible, to see the population */
	CHECK_INT(draw_run(&s, targets, NT, inspectors, NI, &r, &e), 0);
	CHECK_INT(r.population, NT / 2 - 3);
	for (int i = 0; i < r.n; i++)
		CHECK(r.picks[i].target_id != 1000 && r.picks[i].target_id != 1006 &&
		      (r.picks[i].target_id - 1000) / 3 % 2 == 0);
	draw_result_free(&r);
	s.weight[2] = 0; /* grade C left out: region 1 holds grades A and C */
	CHECK_INT(draw_run(&s, targets, NT, inspectors, NI, &r, &e), 0);
	CHECK_INT(r.population, NT / 4 - 2);
	for (int i = 0; i < r.n; i++)
		CHECK((r.picks[i].target_id - 1000) / 3 % 4 == 0);
	draw_result_free(&r);
	s.rate_percent = 10; /* rounded up */
	CHECK_INT(draw_run(&s, targets, NT, inspectors, NI, &r, &e), 0);
	CHECK_INT(r.n, 5); /* 10% of 48 */
	draw_result_free(&r);
}

static void test_refusals(void)
{
	struct draw_result r;
	struct fz_err e;
	struct draw_spec s = spec("seed-r");
	rosters();
	s.sample = NT + 1;
	CHECK_INT(draw_run(&s, targets, NT, inspectors, NI, &r, &e), -1);
	CHECK_STR(e.code, "draw_sample_too_large");
	CHECK(strstr(e.msg, "超过符合条件的企业数 200") != NULL);
	CHECK(r.picks == NULL);
	s = spec("");
	CHECK_INT(draw_run(&s, targets, NT, inspectors, NI, &r, &e), -1);
	CHECK_STR(e.code, "invalid");
	s = spec("seed-r");
	s.weight[0] = -1;
	CHECK_INT(draw_run(&s, targets, NT, inspectors, NI, &r, &e), -1);
	CHECK_STR(e.code, "invalid");
	/* 回避: region 1's enterprises may only get region 2's inspectors;
	 * with one such inspector left, two cannot be found */
	s = spec("seed-r");
	s.avoid_same_region = 1;
	CHECK_INT(draw_run(&s, targets, NT, inspectors, NI, &r, &e), 0);
	for (int i = 0; i < r.n; i++) {
		int64_t region = 1 + (r.picks[i].target_id - 1000) / 3 % 2;
		for (int j = 0; j < DRAW_PER_TARGET; j++)
			CHECK(1 + (r.picks[i].inspector[j] - 500) % 2 != region);
	}
	draw_result_free(&r);
	CHECK_INT(draw_run(&s, targets, NT, inspectors, 3, &r, &e), -1);
	CHECK_STR(e.code, "draw_inspectors_short");
}

/* Over many seeds a grade of weight 8 is drawn far more often than one
 * of weight 1 (with 10 of 200 drawn, close to 8 times as often). */
static void test_weights(void)
{
	int count[4] = { 0 };
	char seed[32];
	struct draw_spec s = spec(NULL);
	rosters();
	s.sample = 10;
	for (int n = 0; n < 300; n++) {
		struct draw_result r;
		struct fz_err e;
		snprintf(seed, sizeof seed, "w-%d", n);
		s.seed = seed;
		if (draw_run(&s, targets, NT, inspectors, NI, &r, &e) != 0)
			continue;
		for (int i = 0; i < r.n; i++)
			count[(r.picks[i].target_id - 1000) / 3 % 4]++;
		draw_result_free(&r);
	}
	CHECK_INT(count[0] + count[1] + count[2] + count[3], 3000);
	CHECK(count[0] < count[1] && count[1] < count[2] && count[2] < count[3]);
	CHECK(count[3] > 5 * count[0]);
}

static void test_seed_hash(void)
{
	char h[65];
	CHECK_INT(draw_seed_hash("abc", h), 0);
	/* SM3("abc"), GB/T 32905 appendix A */
	CHECK_STR(h, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
}

/* u as docs/draws.md defines it, through review_sm3_u64 (the reference). */
static double doc_u(const char *seed, char what, long long id)
{
	char text[160];
	snprintf(text, sizeof text, "fazhi-draw|%s|%c|%lld", seed, what, id);
	return ((double)(review_sm3_u64(text) >> 11) + 0.5) / 9007199254740992.0;
}

static int by_u_desc(const void *a, const void *b)
{
	const double *x = a, *y = b; /* {u, id} pairs */
	return x[0] != y[0] ? (x[0] < y[0] ? 1 : -1) : (x[1] > y[1]) - (x[1] < y[1]);
}

static int by_i64_asc(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* One weight for all: the sample is the k largest u of the documented
 * derivation — for a population keyed on one thread and for one keyed in
 * slices on several (n >= 100000), ids of several digits, 0 and negative. */
static void test_documented_keys(int n)
{
	struct draw_target *t = malloc((size_t)n * sizeof *t);
	double *ref = malloc((size_t)n * 2 * sizeof *ref);
	struct draw_inspector in[2] = { { 1, 1, 1 }, { 2, 1, 1 } };
	struct draw_spec s = { .seed = "doc-seed", .weight = { 5, 5, 5, 5, 5 }, .sample = 50 };
	struct draw_result r;
	struct fz_err e;
	int64_t want[50];
	for (int i = 0; i < n; i++) {
		int64_t id = i == 0 ? -7 : (int64_t)i * 7919;
		t[i] = (struct draw_target){ id, 1, NULL, 'B' };
		ref[2 * i] = doc_u("doc-seed", 't', (long long)id);
		ref[2 * i + 1] = (double)id;
	}
	qsort(ref, (size_t)n, 2 * sizeof *ref, by_u_desc);
	for (int i = 0; i < 50; i++)
		want[i] = (int64_t)ref[2 * i + 1];
	qsort(want, 50, sizeof want[0], by_i64_asc);
	CHECK_INT(draw_run(&s, t, n, in, 2, &r, &e), 0);
	CHECK_INT(r.n, 50);
	int ok = r.n == 50;
	for (int i = 0; ok && i < 50; i++)
		ok = r.picks[i].target_id == want[i];
	CHECK(ok);
	draw_result_free(&r);
	free(t);
	free(ref);
}

int main(void)
{
	CHECK_INT(crypto_init(), 0);
	test_reproducible();
	test_filters();
	test_refusals();
	test_weights();
	test_seed_hash();
	test_documented_keys(1000);
	test_documented_keys(120000);
	return t_done();
}
