/*
 * draw_store.h — 双随机 draws in the store (migrations 031, 033): creating
 * one commits to SM3 of a fresh seed; running it reads the rosters, runs
 * the engine (draw.h), stores the picks with the seed revealed and makes
 * each pick's plan (draw_planner); verifying re-runs a revealed draw from
 * its seed and compares with what is stored.
 *
 * The spec is JSON: {"region": code|null, "industry": text|null,
 * "quiet": [subject ids], "weights": [A, B, C, D, none], "sample": n,
 * "rate": percent, "avoid_same_region": bool, "bodies": [inspectors'
 * body ids], "matter": the 执法事项 checked, "window_from", "window_to":
 * the plans' window}. Targets are the enterprises under the draw's region path
 * (narrowed to region's path when given); inspectors are the people of the
 * bodies holding a certificate valid (有效, not past its end) on the day of
 * the run — the day is stored with the run so verify reads the same roster.
 */
#ifndef FAZHI_DRAW_STORE_H
#define FAZHI_DRAW_STORE_H

#include <jansson.h>
#include <stdint.h>

#include "db.h"
#include "draw.h"
#include "error.h"

struct rec_ctx;

/* What turns a run's picks into check plans: a register's domain sets it
 * (draw_planner_set), so the engine names no register. check: the spec's
 * matter may be drawn for (at creation); make: one plan of body for
 * enterprise subject, checked by officers (their 执法证号, "a、b"), in the
 * caller's transaction; *plan its id. Without a planner, a spec naming a
 * matter is refused (draw_no_planner). */
struct draw_plan {
	int64_t draw_id, body_id, matter;
	const char *from, *to; /* the window */
};
struct draw_planner {
	int (*check)(db *d, int64_t matter, struct fz_err *e);
	int (*make)(struct rec_ctx *c, const struct draw_plan *p, int64_t subject, const char *officers,
		    int64_t *plan, struct fz_err *e);
};
void draw_planner_set(const struct draw_planner *p);

struct draw_new {
	int64_t body_id;
	const char *region_code, *region_path; /* the body's */
	const char *title;
	json_t *spec;      /* checked and completed (weights) by draw_create */
	int64_t created_by;
	const int *weights; /* the settings' defaults, DRAW_GRADES of them */
	const char *seed;   /* NULL: a fresh random one */
};

/* Stores a new draw; *id and hash (SM3 of the seed) on success. */
int draw_create(db *d, const struct draw_new *in, int64_t *id, char hash[65], struct fz_err *e);

/* Runs draw id (once: a revealed draw answers 409 draw_already_run) in one
 * transaction (the caller's, when in one): reveals the seed, stores the
 * picks and, when the spec names a matter, makes each pick's plan
 * (draw_planner) as c's actor; the picks' number in *n. */
int draw_execute(struct rec_ctx *c, int64_t id, const char *day, int *n, struct fz_err *e);

/* Re-runs a revealed draw and compares: *same 1 when the seed's hash and
 * every pick agree; why says the first difference in Chinese. A draw not
 * yet run is skipped (*same 1, why says so). */
int draw_verify(db *d, int64_t id, int *same, char *why, size_t n, struct fz_err *e);

#endif
