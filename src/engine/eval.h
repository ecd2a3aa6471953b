/*
 * eval.h — evaluation runs (测评): an indicator system evaluated for a
 * region subtree and a year from the live metric counters and the
 * evaluators' manual scores; the result as JSON (the `fazhi eval --json`
 * shape), stored runs, and drill-down from a metric to its records.
 */
#ifndef FAZHI_EVAL_H
#define FAZHI_EVAL_H

#include <jansson.h>
#include <stdint.h>

#include "db.h"
#include "auth.h"
#include "error.h"
#include "indicator.h"

/* The system with this id: a shipped one (a shipped id is always the
 * release's), else the active version of a loaded one; NULL id = the
 * default shipped system. Caller frees. NULL with e set when absent (404)
 * or on a store error (500). */
struct indicator_system *eval_system(db *d, const char *id, struct fz_err *e);
/* The same for a given version (NULL: as eval_system), active or not. */
struct indicator_system *eval_system_version(db *d, const char *id, const char *version, struct fz_err *e);
/* Whether id names a shipped system (data/indicators/…). */
int eval_system_shipped(const char *id);
/* Every metric name the registers publish (for validating formulas). */
int eval_metric_names(const char **out, int max);
/* Parses and stores a system text, not active; diagnostics (line:
 * message) go to problems (a JSON array) on failure (422). A shipped id is
 * refused (403), an existing version is a conflict (409). */
int eval_system_save(db *d, const char *text, int64_t actor, json_t *problems, json_t **saved, struct fz_err *e);
/* Makes version the active one of loaded system id: {id, version, active,
 * previous}. Caller holds the transaction and writes the audit. */
int eval_system_activate(db *d, const char *id, const char *version, int64_t actor, json_t **out, struct fz_err *e);
/* The shipped and loaded systems: [{id, version, name, source, active}];
 * NULL on a store error. */
json_t *eval_systems_list(db *d);

/* Evaluates for region_code and year. The JSON holds system, version,
 * region, region_name, period, total, max, and indicators[{id, level,
 * parent, name, kind, value, score, max, status, formula, metrics}]. */
int eval_run(db *d, const struct indicator_system *s, const char *region_code, int year, json_t **out,
	     struct fz_err *e);

/* The subregions of region_code (at most EVAL_RANK_MAX), each evaluated
 * for year, ranked by total, highest first: [{region, region_name, total,
 * max, below, areas:[{id, name, score, max}]}]. A subregion whose
 * evaluation fails is left out. NULL with e set on a store error. */
#define EVAL_RANK_MAX 64
json_t *eval_rank(db *d, const struct indicator_system *s, const char *region_code, int year, struct fz_err *e);

/* The records that count towards metric in a region subtree and year,
 * within user u's scope (region and bodies; NULL = no limit, the CLI):
 * [{id, register, title, body_name, state, start_date, due_date,
 * closed_date}] (at most limit), and the exact count in *total. */
json_t *eval_drill(db *d, const struct user *u, const char *metric, const char *region_path, int year, int limit,
		   int64_t *total, struct fz_err *e);

/* The region evaluated when none is given: given, else the scope's
 * (scope may be NULL or ""), else the top region; "" when there is none. */
void eval_default_region(db *d, const char *given, const char *scope, char out[16]);

/* Region path of a code ("" when unknown). */
int eval_region_path(db *d, const char *code, char *path, size_t n, char *name, size_t nn);

#endif
