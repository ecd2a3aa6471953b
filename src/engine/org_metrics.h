/*
 * org_metrics.h — metrics read from the organisation model rather than
 * from a register's counters: the enforcement officers and their
 * certificates (4.17.1 持证执法率 until the enforcement-case register
 * exists). Counted at evaluation time, at the end of the period (or today,
 * when the period has not ended), within a region's subtree.
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
/* The value of metric name for region_path's subtree on day (YYYY-MM-DD):
 * 0, or -1 on a store error or an unknown name. */
int org_metric_value(db *d, const char *name, const char *region_path, const char *day, int64_t *out);

#endif
