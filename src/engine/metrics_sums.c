/*
 * metrics_sums.c — the counters summed over a region's subtree and a
 * period: whole months from metric_months, the days of a partial first or
 * last month from metric_counts (metrics.h).
 */
#include "metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "scope.h"

/* YYYY-MM-DD of the last day of year-month m (1-based). */
static void month_end(int y, int m, char out[DATE_STR])
{
	struct date next = { m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1 };
	date_format(date_from_days(date_to_days(next) - 1), out);
}

/* [from, to] as the days of a partial first month (head), whole months
 * and the days of a partial last month (tail); an empty part is
 * ("1", "0"). Dates that do not parse are all head: days only. */
struct period_parts {
	char head[2][DATE_STR], months[2][8], tail[2][DATE_STR];
};

static void split_period(const char *from, const char *to, struct period_parts *p)
{
	struct date f, t;
	char end[DATE_STR];
	snprintf(p->head[0], DATE_STR, "%s", from);
	snprintf(p->head[1], DATE_STR, "%s", to);
	strcpy(p->months[0], "1"), strcpy(p->months[1], "0");
	strcpy(p->tail[0], "1"), strcpy(p->tail[1], "0");
	if (date_parse(from, &f) != 0 || date_parse(to, &t) != 0 || date_to_days(f) > date_to_days(t))
		return;
	int first = f.year * 12 + f.month - 1 + (f.day != 1); /* first whole month */
	month_end(t.year, t.month, end);
	int last = t.year * 12 + t.month - 1 - (strcmp(to, end) != 0); /* last whole month */
	if (first > last)
		return; /* no whole month: days only */
	snprintf(p->months[0], 8, "%04u-%02u", (unsigned)(first / 12) % 10000u, (unsigned)(first % 12 + 1) % 100u);
	snprintf(p->months[1], 8, "%04u-%02u", (unsigned)(last / 12) % 10000u, (unsigned)(last % 12 + 1) % 100u);
	if (f.day != 1)
		month_end(f.year, f.month, p->head[1]);
	else
		strcpy(p->head[0], "1"), strcpy(p->head[1], "0");
	if (strcmp(to, end) != 0) {
		snprintf(p->tail[0], DATE_STR, "%04d-%02d-01", t.year, t.month);
		snprintf(p->tail[1], DATE_STR, "%s", to);
	}
}

/* Appends one part of the period — the rows of a table in the subtree
 * (scope.c writes the range) and a range of its days or months — to the
 * union in q. */
static void union_part(struct query *q, const char *region_path, int month, const char *from, const char *to,
		       int first)
{
	query_raw(q, first ? "" : " UNION ALL ");
	query_raw(q, month ? "SELECT metric, body_id, n FROM metric_months WHERE 1 = 1"
			   : "SELECT metric, body_id, n FROM metric_counts WHERE 1 = 1");
	scope_subtree(q, "region_path", region_path);
	query_add(q, month ? " AND month >= ? AND month <= ?" : " AND day >= ? AND day <= ?", "ss", from, to);
}

/* Appends to q (opened by the caller) the union of the period's parts;
 * their number (0: an empty period). The subtree is one key range of
 * region_path (scope_subtree), which compares bytewise (migration 003)
 * and leads the key (004), so a subtree and its months are one index
 * range on both stores. Only the parts the period has: an empty range
 * after a range on region_path would still walk the subtree's rows. */
static int union_period(struct query *q, const char *region_path, const char *from, const char *to)
{
	struct period_parts p;
	int parts = 0;
	split_period(from, to, &p);
	if (strcmp(p.head[0], p.head[1]) <= 0)
		union_part(q, region_path, 0, p.head[0], p.head[1], parts++ == 0);
	if (strcmp(p.months[0], p.months[1]) <= 0)
		union_part(q, region_path, 1, p.months[0], p.months[1], parts++ == 0);
	if (strcmp(p.tail[0], p.tail[1]) <= 0)
		union_part(q, region_path, 0, p.tail[0], p.tail[1], parts++ == 0);
	return parts;
}

int metrics_sums(db *d, const char *region_path, const char *from, const char *to, struct metric_sum *out, int max)
{
	struct query q;
	query_init(&q, "SELECT metric, SUM(n) FROM (");
	if (union_period(&q, region_path, from, to) == 0) {
		query_free(&q);
		return 0; /* an empty period */
	}
	query_raw(&q, ") AS parts GROUP BY metric");
	db_stmt *st = query_prepare(d, &q);
	query_free(&q);
	if (!st)
		return -1;
	int n = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const struct reg_metric *m = metrics_find(db_col_text(st, 0), NULL);
		if (m && n < max) /* counters of a metric no longer defined are left out */
			out[n++] = (struct metric_sum){ .metric = m->name, .n = db_col_int(st, 1) };
	}
	db_done(st);
	return rc == DB_DONE ? n : -1;
}

int metrics_value(db *d, const char *metric, const char *region_path, const char *from, const char *to,
		  int64_t *out)
{
	struct metric_sum sums[METRICS_MAX];
	const struct reg_metric *m = metrics_find(metric, NULL);
	int n = m ? metrics_sums(d, region_path, from, to, sums, METRICS_MAX) : -1;
	*out = 0;
	for (int i = 0; i < n; i++)
		if (sums[i].metric == m->name)
			*out = sums[i].n;
	return n < 0 ? -1 : 0;
}

int metrics_pair_by_body(db *d, const char *region_path, const char *from, const char *to, const char *a,
			 const char *b, struct metric_pair **out, int *n)
{
	struct query q;
	*out = NULL, *n = 0;
	query_init(&q, "");
	query_add(&q, "SELECT body_id, SUM(CASE WHEN metric = ? THEN n ELSE 0 END),"
		      " SUM(CASE WHEN metric = ? THEN n ELSE 0 END) FROM (", "ss", a, b);
	if (union_period(&q, region_path, from, to) == 0) {
		query_free(&q);
		return 0;
	}
	query_add(&q, ") AS parts WHERE metric IN (?, ?) GROUP BY body_id", "ss", a, b);
	db_stmt *st = query_prepare(d, &q);
	query_free(&q);
	if (!st)
		return -1;
	int rc, cap = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			struct metric_pair *p = realloc(*out, (size_t)(cap = cap ? 2 * cap : 16) * sizeof *p);
			if (!p) {
				rc = DB_ERR;
				break;
			}
			*out = p;
		}
		(*out)[(*n)++] = (struct metric_pair){ db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2) };
	}
	db_done(st);
	if (rc != DB_DONE) {
		free(*out);
		*out = NULL, *n = 0;
		return -1;
	}
	return 0;
}
