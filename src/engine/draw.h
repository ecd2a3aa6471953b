/*
 * draw.h — the 双随机 draw: which enterprises are inspected and by whom,
 * computed from a recorded seed so that anyone can re-run it (docs/draws.md
 * is the algorithm). Pure computation: the caller reads the rosters and
 * stores the result; nothing here touches the database.
 *
 * The same seed, spec and rosters give the same result whatever order the
 * rosters come in: every random number is SM3 in counter mode over
 * (seed, subject or inspector id) — review_sm3_u64, the generator the
 * 案卷评查 draw uses.
 */
#ifndef FAZHI_DRAW_H
#define FAZHI_DRAW_H

#include <stdint.h>

#include "error.h"

#define DRAW_GRADES 5      /* A, B, C, D and "no grade" */
#define DRAW_PER_TARGET 2  /* inspectors sent to each enterprise */
#define DRAW_WEIGHT_MAX 1000

/* One enterprise of the target roster. grade is 'A'..'D', or 0 when the
 * enterprise has none; industry may be NULL. */
struct draw_target {
	int64_t id;
	int64_t region_id;
	const char *industry;
	char grade;
};

/* One inspector of the roster (a person holding a valid certificate). */
struct draw_inspector {
	int64_t id;
	int64_t body_id;
	int64_t region_id;
};

struct draw_spec {
	const char *seed;
	int64_t region_id;        /* population filter; 0: every region */
	const char *industry;     /* population filter; NULL: every industry */
	const int64_t *quiet;     /* 免检期: subject ids left out */
	int nquiet;
	int weight[DRAW_GRADES];  /* per grade A, B, C, D, none; 0 leaves the
				   * grade out; at most DRAW_WEIGHT_MAX */
	int sample;               /* how many; when 0, rate_percent of the population */
	int rate_percent;
	int avoid_same_region;    /* 回避: no inspector of the enterprise's region */
};

struct draw_pick {
	int64_t target_id;
	int64_t inspector[DRAW_PER_TARGET];
};

struct draw_result {
	int population;           /* enterprises eligible after filter and exclusions */
	int n;                    /* picks, ordered by target id */
	struct draw_pick *picks;
};

/* The grade's index in spec.weight: 'A'..'D' → 0..3, anything else → 4. */
int draw_grade_index(char grade);

/* Runs the draw over the rosters (left unchanged, in any order).
 * Refuses with a stable code: draw_sample_too_large (the sample exceeds the
 * population), draw_inspectors_short (an enterprise cannot get two
 * inspectors outside 回避), invalid (a bad spec). On success fills out
 * (free with draw_result_free) and returns 0. */
int draw_run(const struct draw_spec *spec, const struct draw_target *targets, int ntargets,
	     const struct draw_inspector *inspectors, int ninspectors, struct draw_result *out,
	     struct fz_err *e);

void draw_result_free(struct draw_result *r);

/* The seed's published commitment: SM3(seed) as 64 hex digits. */
int draw_seed_hash(const char *seed, char out[65]);

#endif
