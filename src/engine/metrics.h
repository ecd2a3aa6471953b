/*
 * metrics.h — metric counters: a register's metrics count records matching
 * a predicate, dated by the record's start date. Counters per (metric,
 * body, day) are kept by delta in the record's transaction; evaluation
 * reads them for any region subtree and period. metrics_rebuild recomputes
 * them from the records (and --check proves they agree).
 */
#ifndef FAZHI_METRICS_H
#define FAZHI_METRICS_H

#include <stdint.h>

#include "db.h"
#include "record.h"
#include "register.h"

/* Applies sign × the contributions of rec (sign = -1 before a change,
 * +1 after). 0 on success. */
int metrics_apply(db *d, const struct reg_def *r, const struct record *rec, int sign);

/* Whether rec counts towards metric m. */
int metrics_counts(const struct reg_def *r, const struct reg_metric *m, const struct record *rec);

/* Sum of a metric over a region subtree (path prefix, "" = all) and a
 * closed date range [from, to]; -1 when the metric is unknown. */
int metrics_value(db *d, const char *metric, const char *region_path, const char *from, const char *to,
		  int64_t *out);

/* The register and metric definitions behind a metric name. */
const struct reg_metric *metrics_find(const char *metric, const struct reg_def **reg);

/* Recomputes all counters from the records. check: change nothing, report
 * differences. Returns the number of differing (metric, body, day) keys,
 * or -1 on error. */
int64_t metrics_rebuild(db *d, int check);

#endif
