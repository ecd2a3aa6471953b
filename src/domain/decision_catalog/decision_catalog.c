/*
 * decision_catalog.c — 重大行政决策事项目录, where the declaration cannot:
 * the catalogue of year Y is due on Y-MM-DD, the month and day the
 * locality sets (setting publish_by, MMDD; 重大行政决策程序暂行条例 第三条
 * 第三款 only says it is published after the Party committee agrees), so
 * 3.10.1 (published on time) follows the record's deadline; one catalogue
 * per government and year; once published, the records that link to it
 * are derived again (whether they are in a published catalogue).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/decision_catalog/decision_catalog.h"

#include "clock.h"

static int derive(const struct rec_ctx *c, const struct reg_def *r, struct record *rec,
		  const struct reg_transition *t, struct fz_err *e)
{
	(void)t;
	json_t *y = json_object_get(rec->data, "year");
	int mmdd = domain_setting(c, r, "publish_by");
	struct date d = { .year = (int)json_integer_value(y), .month = mmdd / 100, .day = mmdd % 100 };
	char day[DATE_STR];
	if (!json_is_integer(y) || json_integer_value(y) < 2000 || json_integer_value(y) > 2100)
		return fz_invalid(e, "year", "目录年度应为 2000–2100 之间的年份");
	if (d.month == 2 && d.day == 29 && !date_valid(d))
		d.day = 28; /* 0229 in a common year: its last day of February */
	if (!date_valid(d))
		return fz_invalid(e, "year", "设置项 decision_catalog.publish_by 的值 %d 不是有效的月日（MMDD）", mmdd);
	json_object_set_new(rec->data, "due", json_string(date_format(d, day)));
	return 0;
}

/* One catalogue per government and year: the stored data is compact JSON
 * with sorted keys, so the year is found as "year":Y followed by , or }. */
static int validate(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct fz_err *e)
{
	char body[24], self[24], comma[48], brace[48];
	long long y = (long long)json_integer_value(json_object_get(rec->data, "year"));
	int64_t n = 0;
	snprintf(body, sizeof body, "%lld", (long long)rec->body_id);
	snprintf(self, sizeof self, "%lld", (long long)rec->id);
	snprintf(comma, sizeof comma, "%%\"year\":%lld,%%", y);
	snprintf(brace, sizeof brace, "%%\"year\":%lld}%%", y);
	if (db_lookup_int(c->d, "SELECT COUNT(*) FROM records WHERE register = $1 AND body_id = CAST($2 AS INTEGER)"
				" AND id <> CAST($3 AS INTEGER) AND (data LIKE $4 OR data LIKE $5)",
			  &n, 5, r->name, body, self, comma, brace) < 0)
		return fz_store(e, c->d);
	if (n > 0)
		return fz_fail(e, 409, "catalog_exists", "year", "该决策机关已登记 %lld 年度的决策事项目录，请在原目录中修改", y);
	return 0;
}

/* The records of register g whose ref field f names catalogue id, derived
 * again by the system (the act audited as catalog_published). */
static int rederive(const struct rec_ctx *c, const struct reg_def *g, const char *f, int64_t id, struct fz_err *e)
{
	char comma[96], brace[96];
	int64_t ids[256];
	int n = 0, rc = 0;
	snprintf(comma, sizeof comma, "%%\"%s\":%lld,%%", f, (long long)id);
	snprintf(brace, sizeof brace, "%%\"%s\":%lld}%%", f, (long long)id);
	db_stmt *st = db_prepare(c->d, "SELECT id FROM records WHERE register = $1 AND (data LIKE $2 OR data LIKE $3) ORDER BY id");
	if (!st)
		return fz_store(e, c->d);
	db_bind_text(st, 1, g->name), db_bind_text(st, 2, comma), db_bind_text(st, 3, brace);
	while (n < (int)(sizeof ids / sizeof ids[0]) && db_step(st) == DB_ROW)
		ids[n++] = db_col_int(st, 0);
	db_done(st);
	struct rec_ctx sys = *c;
	sys.user = NULL; /* the system: the link was checked when it was written */
	for (int i = 0; i < n && rc == 0; i++) {
		json_t *none = json_object();
		rc = record_annotate(&sys, g, ids[i], none, "catalog_published", NULL, e);
		json_decref(none);
	}
	return rc;
}

static int after_write(const struct rec_ctx *c, const struct reg_def *r, const struct record *old,
		       const struct record *rec, struct fz_err *e)
{
	if (!old || old->state == rec->state || strcmp(r->states[rec->state].name, "published") != 0)
		return 0;
	for (int i = 0; i < register_count(); i++) {
		const struct reg_def *g = register_at(i);
		for (int k = 0; k < g->nfields; k++)
			if (g->fields[k].type == RF_REF && strcmp(g->fields[k].ref, r->name) == 0 &&
			    rederive(c, g, g->fields[k].name, rec->id, e) != 0)
				return -1;
	}
	return 0;
}

DOMAIN_HOOKS(decision_catalog, .derive = derive, .validate = validate, .after_write = after_write, .demo = decision_catalog_demo)
