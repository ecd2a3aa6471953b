/* org_metrics.c — metrics of the organisation model and of the case-file
 * reviews (org_metrics.h). */
#include "org_metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "settings.h"
#include "training.h"
#include "scope.h"

/* An officer is a person holding an enforcement certificate number (the
 * people list's "officer=1"); a certificate is valid on a day when it is
 * active (not 暂扣 or 吊销) and the day lies within its validity. */
#define CERTIFIED \
	" AND p.cert_no IS NOT NULL AND p.cert_status = 'active' AND p.cert_valid_from <= ? AND p.cert_valid_until >= ?"

#define PEOPLE "SELECT COUNT(*) FROM people p WHERE 1 = 1", "p.region_path"
/* 案卷评查 (case_reviews.c): the sampled cases scored (a submitted score),
 * by the case's body and the review's year: "?" twice, the period's
 * first and last year. */
#define REVIEWED                                                                                  \
	"SELECT COUNT(*) FROM case_review_cases c JOIN case_reviews v ON v.id = c.review_id"        \
	" WHERE c.submitted_at IS NOT NULL",                                                       \
		"c.region_path"
#define IN_YEARS " AND v.year BETWEEN ? AND ?"

static const struct {
	const char *name, *label;
	const char *select, *path_col;    /* the count, and its rows' region path */
	const char *where;                /* "?": the day, or the years */
	int days;                         /* how many "?" are the day */
	int trained;                      /* and the year's training met (training.h) */
	int years;                        /* "?" twice: the period's years */
} metrics[] = {
	{ "officer.total", "执法人员数（持有执法证号）", PEOPLE, " AND p.cert_no IS NOT NULL", 0, 0, 0 },
	{ "officer.certified", "执法证件有效的执法人员数", PEOPLE, CERTIFIED, 2, 0, 0 },
	{ "officer.trained", "年度培训学时达标的执法人员数（执法证件有效）", PEOPLE, CERTIFIED, 2, 1, 0 },
	{ "case_file_review.reviewed", "案卷评查已评分的案卷数", REVIEWED, IN_YEARS, 0, 0, 1 },
	{ "case_file_review.passed", "案卷评查合格的案卷数", REVIEWED, " AND c.passed = 1" IN_YEARS, 0, 0, 1 },
};

#define NMETRICS ((int)(sizeof metrics / sizeof metrics[0]))

int org_metric_count(void) { return NMETRICS; }
const char *org_metric_name(int i) { return i >= 0 && i < NMETRICS ? metrics[i].name : NULL; }
const char *org_metric_label(int i) { return i >= 0 && i < NMETRICS ? metrics[i].label : NULL; }

static int find(const char *name)
{
	for (int i = 0; name && i < NMETRICS; i++)
		if (strcmp(metrics[i].name, name) == 0)
			return i;
	return -1;
}

int org_metric_is(const char *name) { return find(name) >= 0; }

int org_metric_value(db *d, const char *name, const char *region_path, const char *from, const char *day,
		     int64_t *out)
{
	int i = find(name);
	struct query q;
	*out = 0;
	if (i < 0)
		return -1;
	query_init(&q, metrics[i].select);
	scope_subtree(&q, metrics[i].path_col, region_path);
	if (metrics[i].years)
		query_add(&q, metrics[i].where, "ii", (int64_t)atoi(from), (int64_t)atoi(day));
	else if (metrics[i].days)
		query_add(&q, metrics[i].where, "ss", day, day);
	else
		query_raw(&q, metrics[i].where);
	if (metrics[i].trained) {
		struct settings s;
		char first[16];
		snprintf(first, sizeof first, "%.4s-01-01", day);
		if (settings_load(d, &s) != 0) {
			query_free(&q);
			return -1;
		}
		query_add(&q, TRAINING_MET_SQL, "ssi", first, day, (int64_t)s.training_min_hours);
	}
	db_stmt *st = query_prepare(d, &q);
	int rc = st ? db_step(st) : DB_ERR;
	if (rc == DB_ROW)
		*out = db_col_int(st, 0);
	db_done(st);
	query_free(&q);
	return rc == DB_ROW ? 0 : -1;
}
