/*
 * draw.c — bench_draw: the 双随机 engine alone (src/engine/draw.c) over a
 * synthetic roster of N enterprises (grades mostly A/B) and M inspectors,
 * sample K: prints the time of one draw and a digest of its result, so
 * two runs (or two machines) can be compared. Run by bench/draw.sh.
 *
 *   bench_draw [N [M [K]]]   defaults 1000000 10000 30000
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "crypto.h"
#include "draw.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000000, m = argc > 2 ? atoi(argv[2]) : 10000,
	    k = argc > 3 ? atoi(argv[3]) : 30000;
	struct draw_target *t = malloc((size_t)n * sizeof *t);
	struct draw_inspector *in = malloc((size_t)m * sizeof *in);
	if (crypto_init() != 0 || !t || !in)
		return 1;
	for (int i = 0; i < n; i++)
		t[i] = (struct draw_target){ i + 1, 1 + i % 10, NULL, "AAAAABBBCD"[i % 10] };
	for (int i = 0; i < m; i++)
		in[i] = (struct draw_inspector){ 10000000 + i, 1 + i % 20, 1 + i % 10 };
	struct draw_spec s = { .seed = "bench-seed", .weight = { 1, 2, 4, 8, 2 }, .sample = k, .avoid_same_region = 1 };
	struct draw_result r;
	struct fz_err e;
	double t0 = now();
	if (draw_run(&s, t, n, in, m, &r, &e) != 0) {
		fprintf(stderr, "bench_draw: %s\n", e.msg);
		return 1;
	}
	double ms = (now() - t0) * 1000;
	uint64_t h = 1469598103934665603ull; /* FNV-1a over the picks */
	for (int i = 0; i < r.n; i++)
		for (int j = 0; j < 3; j++) {
			uint64_t v = (uint64_t)(j ? r.picks[i].inspector[j - 1] : r.picks[i].target_id);
			h = (h ^ v) * 1099511628211ull;
		}
	printf("draw engine: %d enterprises, %d inspectors, sample %d: %.0f ms; result digest %016llx\n", n, m, r.n, ms,
	       (unsigned long long)h);
	draw_result_free(&r);
	free(t);
	free(in);
	return 0;
}
