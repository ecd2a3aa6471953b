/*
 * org_metrics.h — metrics read from tables other than a register's
 * counters: the organisation model (the enforcement officers and their
 * certificates, counted at the end of the period, or today when the
 * period has not ended) and the case-file reviews (案卷评查: the scored
 * sampled cases of the reviews of the period's years, by the case's
 * region). Counted at evaluation time, within a region's subtree.
 */
#ifndef FAZHI_ORG_METRICS_H
#define FAZHI_ORG_METRICS_H

#include <stdint.h>

#include "db.h"

int org_metric_count(void);
const char *org_metric_name(int i);
const char *org_metric_label(int i);
/* Whether name is one of them. */
int org_metric_is(const char *name);
/* The value of metric name for region_path's subtree on day (YYYY-MM-DD),
 * or over the years from (the period's first day) to day: 0, or -1 on a
 * store error or an unknown name. */
int org_metric_value(db *d, const char *name, const char *region_path, const char *from, const char *day,
		     int64_t *out);

#endif
