/*
 * metrics.h — metric counters: a register's metrics count records matching
 * a predicate, dated by the record's start date. Counters per (metric,
 * body, day) and per (metric, body, month) are kept by delta in the
 * record's transaction, keyed by the record's region path; evaluation
 * reads them for any region subtree and period (whole months from the
 * month counters, the days of partial months from the day counters).
 * metrics_rebuild recomputes them from the records (and --check proves
 * they agree).
 */
#ifndef FAZHI_METRICS_H
#define FAZHI_METRICS_H

#include <stdint.h>

#include "db.h"
#include "record.h"
#include "register.h"

/* Counter deltas of bulk writes (rec_ctx.batch), summed in memory per
 * counter, then written sorted in the tables' key order, 64 counters a
 * statement: a change's counters at once cost a statement each and
 * scattered B-tree pages; a month counter, touched by many records, is
 * written once per flush. Flush before the transaction commits — records
 * and counters still commit together — and clear after a rollback. A full
 * batch (131072 counters or 4096 region paths) flushes itself: memory
 * stays about 9 MB. */
struct metrics_batch;
struct metrics_batch *metrics_batch_new(void); /* NULL: out of memory */
void metrics_batch_free(struct metrics_batch *b);
/* Writes the pending deltas (in the caller's transaction) and empties b. */
int metrics_batch_flush(db *d, struct metrics_batch *b);
/* Forgets the pending deltas (after a rollback). */
void metrics_batch_clear(struct metrics_batch *b);

/* Applies sign × the contributions of rec (sign = -1 before a change,
 * +1 after): now, or into b when not NULL. 0 on success. */
int metrics_apply(db *d, struct metrics_batch *b, const struct reg_def *r, const struct record *rec, int sign);

/* A change from old to rec: the same as metrics_apply(old, -1) then
 * metrics_apply(rec, +1), without the pairs that cancel out (a metric
 * counting both versions on the same counter), which are most of them:
 * a transition usually changes a few metrics, not all. */
int metrics_apply_change(db *d, struct metrics_batch *b, const struct reg_def *r, const struct record *old,
			 const struct record *rec);

/* The day a record counts on for m: its start, or ("date": "due") its due date. */
const char *metrics_day(const struct reg_metric *m, const struct record *rec);
/* Whether rec counts towards metric m. */
int metrics_counts(const struct reg_def *r, const struct reg_metric *m, const struct record *rec);

/* The sums of every metric with counters over a region subtree (path
 * prefix, "" = all) and a closed date range [from, to], one query: up to
 * max of them (metric: the definition's name string), their number, or -1
 * on a store error. A metric without counters there is absent (0). */
#define METRICS_MAX 256
struct metric_sum {
	const char *metric;
	int64_t n;
};
int metrics_sums(db *d, const char *region_path, const char *from, const char *to, struct metric_sum *out, int max);

/* Sum of one metric over a region subtree and a closed date range;
 * -1 when the metric is unknown. */
int metrics_value(db *d, const char *metric, const char *region_path, const char *from, const char *to,
		  int64_t *out);

/* Metrics a and b summed per body over a region subtree and a closed
 * date range: *out (malloc'd, *n rows; bodies with neither absent), 0,
 * or -1 on a store error. */
struct metric_pair {
	int64_t body_id, a, b;
};
int metrics_pair_by_body(db *d, const char *region_path, const char *from, const char *to, const char *a,
			 const char *b, struct metric_pair **out, int *n);

/* The register and metric definitions behind a metric name. */
const struct reg_metric *metrics_find(const char *metric, const struct reg_def **reg);

/* Recomputes all counters from the records. check: change nothing, report
 * differences. Returns the number of differing (metric, body, day) keys,
 * or -1 on error. */
int64_t metrics_rebuild(db *d, int check);

/* At start-up: when the loaded register definitions differ from those the
 * counters were built under (metric_definitions), rebuilds the counters in
 * one audited transaction and records the new fingerprint. 1 rebuilt, 0
 * unchanged, -1 on error (nothing changed). */
struct audit_actor;
int metrics_sync(db *d, const struct audit_actor *actor);

#endif
