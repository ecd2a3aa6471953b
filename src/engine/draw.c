/* draw.c — the 双随机 draw (draw.h; the algorithm in docs/draws.md). */
#include "draw.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "review_draw.h"

#define TEXT_MAX (REVIEW_SEED_MAX * 4 + 64)
#define DRAW_THREADS 2          /* threads keying a large population */
#define DRAW_THREAD_MIN 100000  /* from this population on */

struct keyed {
	double key;
	int64_t id;
	int idx;
};

int draw_grade_index(char grade)
{
	return grade >= 'A' && grade <= 'D' ? grade - 'A' : DRAW_GRADES - 1;
}

/* The generator of one draw (docs/draws.md): the first 8 bytes of
 * SM3("fazhi-draw|<seed>|<what>|<id>"), big-endian, as review_sm3_u64
 * reads them — the prefix written once, the algorithm fetched once and
 * one context reused for the million keys of a large draw. */
struct keygen {
	crypto_hasher *h;
	char text[TEXT_MAX];
	size_t prefix; /* "fazhi-draw|<seed>|" */
};

static int keygen_init(struct keygen *g, const char *seed)
{
	int n = snprintf(g->text, sizeof g->text, "fazhi-draw|%s|", seed);
	g->prefix = (size_t)n;
	g->h = crypto_hasher_new(HASH_SM3);
	return g->h ? 0 : -1;
}

/* id in decimal at p (as %lld writes it); the bytes written. */
static size_t decimal(int64_t id, char *p)
{
	char tmp[24];
	size_t n = 0, k = 0;
	uint64_t v = id < 0 ? 0 - (uint64_t)id : (uint64_t)id;
	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	if (id < 0)
		p[k++] = '-';
	while (n)
		p[k++] = tmp[--n];
	return k;
}

/* u in (0, 1): 53 bits, centred so it is never 0 or 1. */
static double uniform(struct keygen *g, char what, int64_t id)
{
	unsigned char md[32];
	char *p = g->text + g->prefix;
	uint64_t v = 0;
	*p++ = what;
	*p++ = '|';
	p += decimal(id, p);
	if (crypto_hasher_digest(g->h, g->text, (size_t)(p - g->text), md) != 0)
		abort(); /* SM3 is checked at start-up (crypto_init) */
	for (int i = 0; i < 8; i++)
		v = v << 8 | md[i];
	return ((double)(v >> 11) + 0.5) / 9007199254740992.0;
}

/* Largest key first; equal keys by id ascending. */
static int by_key_desc(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? 1 : -1;
	return (x->id > y->id) - (x->id < y->id);
}

/* Keeps the k best of v[0..n) (by_key_desc first) in v[0..k), in no
 * particular order: a heap of the k best so far, its worst at the root.
 * O(n log k) rather than sorting the whole population. */
static void sift(struct keyed *h, int k, int i)
{
	for (;;) {
		int w = i, l = 2 * i + 1, r = l + 1;
		if (l < k && by_key_desc(&h[l], &h[w]) > 0)
			w = l;
		if (r < k && by_key_desc(&h[r], &h[w]) > 0)
			w = r;
		if (w == i)
			return;
		struct keyed t = h[i];
		h[i] = h[w];
		h[w] = t;
		i = w;
	}
}

static void keep_best(struct keyed *v, int n, int k)
{
	if (k <= 0 || k >= n)
		return;
	for (int i = k / 2 - 1; i >= 0; i--)
		sift(v, k, i);
	for (int i = k; i < n; i++)
		if (by_key_desc(&v[i], &v[0]) < 0) {
			v[0] = v[i];
			sift(v, k, 0);
		}
}

static int by_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int by_id(const void *a, const void *b)
{
	return by_i64(&((const struct keyed *)a)->id, &((const struct keyed *)b)->id);
}

static int check_spec(const struct draw_spec *s, struct fz_err *e)
{
	if (!s->seed || !*s->seed || strlen(s->seed) > REVIEW_SEED_MAX)
		return fz_invalid(e, "seed", "随机种子应为 1–%d 个字符", REVIEW_SEED_MAX);
	for (int g = 0; g < DRAW_GRADES; g++)
		if (s->weight[g] < 0 || s->weight[g] > DRAW_WEIGHT_MAX)
			return fz_invalid(e, "weights", "信用等级权重应在 0–%d 之间", DRAW_WEIGHT_MAX);
	if (s->sample < 0 || (s->sample == 0 && (s->rate_percent < 1 || s->rate_percent > 100)))
		return fz_invalid(e, "sample", "抽取数量应为正整数，或抽取比例在 1%%–100%% 之间");
	return 0;
}

static int eligible(const struct draw_spec *s, const struct draw_target *t, const int64_t *quiet)
{
	if (s->region_id && t->region_id != s->region_id)
		return 0;
	if (s->industry && (!t->industry || strcmp(t->industry, s->industry) != 0))
		return 0;
	if (s->weight[draw_grade_index(t->grade)] == 0)
		return 0;
	return !(s->nquiet && bsearch(&t->id, quiet, (size_t)s->nquiet, sizeof *quiet, by_i64));
}

/* Keys of v[from..to): ln(u) / w, w the grade's weight. */
struct keying {
	const struct draw_spec *s;
	const struct draw_target *t;
	struct keyed *v;
	int from, to;
	struct keygen g;
};

static void *key_range(void *arg)
{
	struct keying *k = arg;
	for (int i = k->from; i < k->to; i++) {
		const struct draw_target *t = &k->t[k->v[i].idx];
		k->v[i].key = log(uniform(&k->g, 't', t->id)) / k->s->weight[draw_grade_index(t->grade)];
	}
	return NULL;
}

/* Keys every eligible enterprise: a large population in DRAW_THREADS
 * slices at once (each key depends on the seed and the id alone, so the
 * slicing changes nothing in the result); a small one, or when a thread
 * cannot start, here. */
static int key_all(const struct draw_spec *s, struct keygen *g, const struct draw_target *t, struct keyed *v, int n)
{
	struct keying part[DRAW_THREADS];
	pthread_t th[DRAW_THREADS];
	int started[DRAW_THREADS] = { 0 }, m = n >= DRAW_THREAD_MIN ? DRAW_THREADS : 1, rc = 0;
	for (int j = 0; j < m; j++) {
		part[j] = (struct keying){ s, t, v, (int)((int64_t)n * j / m), (int)((int64_t)n * (j + 1) / m), { 0 } };
		if (j == 0)
			part[j].g = *g;
		else if (keygen_init(&part[j].g, s->seed) == 0)
			started[j] = pthread_create(&th[j], NULL, key_range, &part[j]) == 0;
	}
	key_range(&part[0]);
	for (int j = 1; j < m; j++) {
		if (started[j])
			pthread_join(th[j], NULL);
		else if (part[j].g.h)
			key_range(&part[j]);
		else
			rc = -1;
		crypto_hasher_free(part[j].g.h);
	}
	return rc;
}

/* The weighted sample: Efraimidis–Spirakis, key ln(u) / w, the k largest. */
static int sample(const struct draw_spec *s, struct keygen *g, const struct draw_target *t, int nt,
		  struct keyed **outv, int *pop, struct fz_err *e)
{
	int64_t *quiet = NULL;
	struct keyed *v = malloc(((size_t)nt + 1) * sizeof *v);
	if (s->nquiet) {
		quiet = malloc((size_t)s->nquiet * sizeof *quiet);
		if (quiet) {
			memcpy(quiet, s->quiet, (size_t)s->nquiet * sizeof *quiet);
			qsort(quiet, (size_t)s->nquiet, sizeof *quiet, by_i64);
		}
	}
	if (!v || (s->nquiet && !quiet)) {
		free(v);
		free(quiet);
		return fz_fail(e, 500, "no_memory", NULL, "内存不足");
	}
	int n = 0;
	for (int i = 0; i < nt; i++)
		if (eligible(s, &t[i], quiet))
			v[n++] = (struct keyed){ 0, t[i].id, i };
	free(quiet);
	if (key_all(s, g, t, v, n) != 0) {
		free(v);
		return fz_fail(e, 500, "no_memory", NULL, "内存不足");
	}
	int k = s->sample ? s->sample : (int)(((int64_t)n * s->rate_percent + 99) / 100);
	if (k > n) {
		free(v);
		return fz_fail(e, 422, "draw_sample_too_large", "sample",
			       "抽取数量 %d 超过符合条件的企业数 %d", k, n);
	}
	keep_best(v, n, k);
	*outv = v;
	*pop = n;
	return k;
}

static int avoided(const struct draw_spec *s, const struct draw_target *t, const struct draw_inspector *in)
{
	return s->avoid_same_region && in->region_id == t->region_id;
}

/* Two inspectors per enterprise, round the rotation (inspectors in the
 * order of their own keys), skipping those in 回避 and the one already
 * sent. */
static int pair(const struct draw_spec *s, const struct draw_target *t, const struct keyed *rot,
		int m, const struct draw_inspector *ins, struct draw_pick *p, int *cursor,
		struct fz_err *e)
{
	for (int j = 0; j < DRAW_PER_TARGET; j++) {
		int tries = 0;
		for (;;) {
			const struct draw_inspector *in = &ins[rot[*cursor].idx];
			*cursor = (*cursor + 1) % m;
			if (!avoided(s, t, in) && (j == 0 || in->id != p->inspector[0])) {
				p->inspector[j] = in->id;
				break;
			}
			if (++tries >= m)
				return fz_fail(e, 422, "draw_inspectors_short", "inspectors",
					       "企业（编号 %lld）回避后可派执法检查人员不足 %d 名",
					       (long long)t->id, DRAW_PER_TARGET);
		}
	}
	return 0;
}

int draw_run(const struct draw_spec *spec, const struct draw_target *targets, int ntargets,
	     const struct draw_inspector *inspectors, int ninspectors, struct draw_result *out,
	     struct fz_err *e)
{
	struct keyed *v = NULL, *rot = NULL;
	struct keygen g;
	int pop = 0, k;
	memset(out, 0, sizeof *out);
	if (check_spec(spec, e) != 0)
		return -1;
	if (keygen_init(&g, spec->seed) != 0) {
		crypto_hasher_free(g.h);
		return fz_fail(e, 500, "no_memory", NULL, "内存不足");
	}
	if ((k = sample(spec, &g, targets, ntargets, &v, &pop, e)) < 0) {
		crypto_hasher_free(g.h);
		return -1;
	}
	rot = malloc(((size_t)ninspectors + 1) * sizeof *rot);
	out->picks = malloc(((size_t)k + 1) * sizeof *out->picks);
	if (!rot || !out->picks) {
		fz_fail(e, 500, "no_memory", NULL, "内存不足");
		goto fail;
	}
	if (k > 0 && ninspectors < DRAW_PER_TARGET) {
		fz_fail(e, 422, "draw_inspectors_short", "inspectors",
			"执法检查人员名录不足 %d 人", DRAW_PER_TARGET);
		goto fail;
	}
	for (int i = 0; i < ninspectors; i++)
		rot[i] = (struct keyed){ uniform(&g, 'i', inspectors[i].id), inspectors[i].id, i };
	qsort(rot, (size_t)ninspectors, sizeof *rot, by_key_desc);
	/* pairing goes in target-id order, so it too ignores roster order */
	qsort(v, (size_t)k, sizeof *v, by_id);
	int cursor = 0;
	for (int i = 0; i < k; i++) {
		out->picks[i].target_id = v[i].id;
		if (pair(spec, &targets[v[i].idx], rot, ninspectors, inspectors, &out->picks[i], &cursor, e) != 0)
			goto fail;
	}
	free(v);
	free(rot);
	crypto_hasher_free(g.h);
	out->n = k;
	out->population = pop;
	return 0;
fail:
	free(v);
	free(rot);
	crypto_hasher_free(g.h);
	draw_result_free(out);
	return -1;
}

void draw_result_free(struct draw_result *r)
{
	free(r->picks);
	memset(r, 0, sizeof *r);
}

int draw_seed_hash(const char *seed, char out[65])
{
	return crypto_digest_hex(HASH_SM3, seed, strlen(seed), out);
}
