/*
 * eval.c — evaluation of indicator systems over the metric counters
 * (eval.h). A run reads one SUM per metric from the counters (metrics.h;
 * a year: 12 month rows per body), so its cost depends on the number of
 * metrics and bodies, not on the records. The systems themselves (shipped,
 * stored, versions, activation) are eval_systems.c.
 */
#include "eval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "org_metrics.h"
#include "cntime.h"
#include "register.h"
#include "scope.h"
#include "validate.h"


void eval_default_region(db *d, const char *given, const char *scope, char out[16])
{
	const char *pick = given && *given ? given : scope && *scope ? scope : NULL;
	out[0] = 0;
	if (pick) {
		snprintf(out, 16, "%s", pick);
		return;
	}
	db_stmt *st = db_prepare(d, "SELECT code FROM regions WHERE parent_code IS NULL ORDER BY code LIMIT 1");
	if (st && db_step(st) == DB_ROW)
		snprintf(out, 16, "%s", db_col_text(st, 0));
	db_done(st);
}

int eval_region_path(db *d, const char *code, char *path, size_t n, char *name, size_t nn)
{
	db_stmt *st = db_prepare(d, "SELECT path, name FROM regions WHERE code = $1");
	int found = 0;
	path[0] = 0;
	if (!st)
		return -1;
	db_bind_text(st, 1, code);
	if (db_step(st) == DB_ROW) {
		snprintf(path, n, "%s", db_col_text(st, 0));
		if (name)
			snprintf(name, nn, "%s", db_col_text(st, 1));
		found = 1;
	}
	db_done(st);
	return found ? 0 : -1;
}

/* The metrics of one region and period, read in one query on first use. */
struct metric_ctx {
	db *d;
	const char *path;
	char from[11], to[11];
	int n;                  /* sums read; -1 before the first lookup */
	struct metric_sum sum[METRICS_MAX];
};

static int metric_value(void *arg, const char *name, double *out)
{
	struct metric_ctx *m = arg;
	if (org_metric_is(name)) { /* on the period's last day, or today */
		char today[11];
		int64_t v;
		cn_today(today);
		if (org_metric_value(m->d, name, m->path, m->from, strcmp(m->to, today) < 0 ? m->to : today, &v) != 0)
			return -1;
		*out = (double)v;
		return 0;
	}
	if (!metrics_find(name, NULL))
		return -1;
	if (m->n < 0 && (m->n = metrics_sums(m->d, m->path, m->from, m->to, m->sum, METRICS_MAX)) < 0)
		return -1;
	*out = 0;
	for (int i = 0; i < m->n; i++)
		if (strcmp(m->sum[i].metric, name) == 0)
			*out = (double)m->sum[i].n;
	return 0;
}

static void load_manual(db *d, const struct indicator_system *s, const char *region, int year,
			struct manual_scores *m)
{
	char period[8];
	snprintf(period, sizeof period, "%d", year);
	indicator_manual_init(m, year);
	db_stmt *st = db_prepare(d, "SELECT indicator_id, score FROM manual_scores WHERE system_id = $1"
				   " AND region_code = $2 AND period = $3");
	if (!st)
		return;
	db_bind_text(st, 1, s->id);
	db_bind_text(st, 2, region);
	db_bind_text(st, 3, period);
	while (db_step(st) == DB_ROW) {
		struct fz_err e;
		int64_t score = db_col_int(st, 1);
		if (score < 0)
			indicator_manual_set_na(m, s, db_col_text(st, 0), &e);
		else
			indicator_manual_set(m, s, db_col_text(st, 0), (double)score / 100.0, &e);
	}
	db_done(st);
}

static json_t *num(double v) { return json_real((double)(int64_t)(v * 10000 + (v < 0 ? -0.5 : 0.5)) / 10000); }

/* The formula with each metric named by its label (建议提案 受理件数 …),
 * the function names in words: what the console shows, not identifiers. */
static char *formula_text(const struct formula *f, char *out, size_t n)
{
	static const struct { const char *fn, *word; } words[] = {
		{ "ratio(", "比例(" }, { "min(", "较小值(" }, { "max(", "较大值(" }, { "if_zero(", "为零时取(" },
		{ "if_na(", "不适用时取(" },
	};
	const char *src = formula_source(f);
	size_t used = 0;
	out[0] = 0;
	while (*src && used + 1 < n) {
		const char *label = NULL;
		size_t skip = 1;
		for (size_t k = 0; k < sizeof words / sizeof words[0] && !label; k++)
			if (strncmp(src, words[k].fn, strlen(words[k].fn)) == 0)
				label = words[k].word, skip = strlen(words[k].fn);
		size_t len = strspn(src, "abcdefghijklmnopqrstuvwxyz0123456789_.");
		char name[64];
		if (!label && len > 0 && len < sizeof name) {
			memcpy(name, src, len);
			name[len] = 0;
			const struct reg_def *r = NULL;
			const struct reg_metric *m = metrics_find(name, &r);
			for (int i = 0; !m && i < org_metric_count(); i++)
				if (strcmp(org_metric_name(i), name) == 0)
					label = org_metric_label(i), skip = len;
			if (m)
				label = m->label, skip = len;
		}
		if (!label && len > 1)
			skip = len; /* a name or number not known: as written */
		if (label)
			used += (size_t)snprintf(out + used, n - used, "%s", label);
		else
			used += (size_t)snprintf(out + used, n - used, "%.*s", (int)skip, src);
		src += skip;
		if (used >= n)
			used = n - 1;
	}
	utf8_scrub(out); /* a long formula may be cut inside a label */
	return out;
}

static json_t *item_json(const struct indicator_system *s, int i, const struct indicator_score *sc)
{
	const struct indicator *it = &s->items[i];
	static const char *const status[] = { "ok", "below", "na", "manual", "manual", "error" };
	json_t *o = json_pack("{s:s, s:i, s:s, s:s, s:o, s:o, s:o, s:s}", "id", it->id, "level", it->level, "name",
			      it->name, "kind", indicator_kind_name(it->kind), "value",
			      sc->has_value ? num(sc->value) : json_null(), "score", num(sc->score), "max", num(sc->max),
			      "status", it->kind == INDICATOR_GROUP ? "ok" : status[sc->status]);
	json_object_set_new(o, "parent", it->parent >= 0 ? json_string(s->items[it->parent].id) : json_null());
	json_object_set_new(o, "pending", json_boolean(it->kind == INDICATOR_MANUAL && sc->status == INDICATOR_STATUS_PENDING));
	if (it->formula) {
		const char *names[16];
		int cols[16];
		int n = formula_metrics(it->formula, names, cols, 16);
		json_t *ms = json_array();
		for (int k = 0; k < n && k < 16; k++)
			json_array_append_new(ms, json_string(names[k]));
		json_object_set_new(o, "formula", json_string(formula_source(it->formula)));
		json_object_set_new(o, "metrics", ms);
		char text[512];
		json_object_set_new(o, "formula_text", json_string(formula_text(it->formula, text, sizeof text)));
	}
	if (it->kind == INDICATOR_AUTO) {
		char rule[160];
		json_object_set_new(o, "rule_text", json_string(indicator_rule_text(&it->rule, rule, sizeof rule)));
	}
	return o;
}

/* A group is below when an item under it is below target, "manual" when
 * items under it still wait for an evaluator, else ok. Parents precede
 * their children, so walking backwards sees every child first. */
static void group_status(const struct indicator_system *s, json_t *items)
{
	int *below = calloc((size_t)s->n, sizeof *below), *pending = calloc((size_t)s->n, sizeof *pending);
	for (int i = s->n - 1; i >= 0; i--) {
		json_t *o = json_array_get(items, (size_t)i);
		int p = s->items[i].parent;
		if (s->items[i].kind == INDICATOR_GROUP)
			json_object_set_new(o, "status", json_string(below[i] ? "below" : pending[i] ? "manual" : "ok"));
		else
			below[i] = strcmp(json_string_value(json_object_get(o, "status")), "below") == 0;
		if (p < 0)
			continue;
		below[p] |= below[i];
		pending[p] |= pending[i] || json_is_true(json_object_get(o, "pending"));
	}
	free(below);
	free(pending);
}

int eval_run(db *d, const struct indicator_system *s, const char *region_code, int year, json_t **out,
	     struct fz_err *e)
{
	char path[128], name[64];
	if (eval_region_path(d, region_code, path, sizeof path, name, sizeof name) != 0)
		return fz_fail(e, 404, "not_found", "region", "行政区划 %s 不存在", region_code);
	if (year < 2000 || year > 2100)
		return fz_invalid(e, "period", "测评期间应为 2000 到 2100 之间的年份");
	struct metric_ctx *m = malloc(sizeof *m);
	struct manual_scores *ms = malloc(sizeof *ms);
	struct indicator_result *r = malloc(sizeof *r);
	if (!m || !ms || !r) {
		free(m), free(ms), free(r);
		return fz_fail(e, 500, "internal", NULL, "内存不足");
	}
	*m = (struct metric_ctx){ .d = d, .path = path, .n = -1 };
	snprintf(m->from, sizeof m->from, "%04d-01-01", year);
	snprintf(m->to, sizeof m->to, "%04d-12-31", year);
	load_manual(d, s, region_code, year, ms);
	indicator_evaluate(s, metric_value, m, ms, r);
	free(m);
	json_t *items = json_array();
	for (int i = 0; i < s->n; i++)
		json_array_append_new(items, item_json(s, i, &r->item[i]));
	group_status(s, items);
	char period[8];
	snprintf(period, sizeof period, "%d", year);
	*out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:i, s:i, s:o}", "system", s->id,
			 "version", s->version, "system_name", s->name, "region", region_code, "region_name", name,
			 "period", period, "total", num(r->total), "max", num(r->base_max), "base", num(r->base),
			 "bonus", num(r->bonus), "penalty", num(r->penalty), "below", r->nbelow, "pending",
			 r->npending, "indicators", items);
	/* a veto that holds: the total shown is capped, and says by what */
	json_object_set_new(*out, "veto", r->veto < 0 ? json_null()
						     : json_pack("{s:s, s:s, s:o}", "id", s->items[r->veto].id, "name",
								 s->items[r->veto].name, "cap", num(s->items[r->veto].weight)));
	free(ms);
	free(r);
	return 0;
}

json_t *eval_drill(db *d, const struct user *u, const char *metric, const char *region_path, int year, int limit,
		   int64_t *total, struct fz_err *e)
{
	const struct reg_def *r;
	const struct reg_metric *m = metrics_find(metric, &r);
	char from[11], to[11];
	if (!m) {
		fz_fail(e, 404, "not_found", "metric", "指标数据项 %s 不存在", metric);
		return NULL;
	}
	snprintf(from, sizeof from, "%04d-01-01", year);
	snprintf(to, sizeof to, "%04d-12-31", year);
	struct query q;
	query_init(&q, "SELECT r.id, r.title, b.name, r.state, r.start_date, r.due_date, r.closed_date,"
		       " r.data, r.body_id, r.region_path FROM records r JOIN bodies b ON b.id = r.body_id WHERE 1 = 1");
	query_add(&q, m->by_due ? " AND r.register = ? AND r.due_date >= ? AND r.due_date <= ?" /* "date": "due" */
				: " AND r.register = ? AND r.start_date >= ? AND r.start_date <= ?",
		  "sss", r->name, from, to);
	scope_subtree(&q, "r.region_path", region_path);
	if (u)
		scope_filter(&q, u, "r.region_path", "r.body_id");
	query_raw(&q, " ORDER BY r.id");
	db_stmt *st = query_prepare(d, &q);
	query_free(&q);
	if (!st) {
		fz_store(e, d);
		return NULL;
	}
	json_t *items = json_array();
	int rc;
	*total = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		struct record rec = { .id = db_col_int(st, 0), .state = register_state(r, db_col_text(st, 3)) };
		snprintf(rec.start_date, sizeof rec.start_date, "%s", db_col_text(st, 4));
		snprintf(rec.due_date, sizeof rec.due_date, "%s", db_col_isnull(st, 5) ? "" : db_col_text(st, 5));
		snprintf(rec.closed_date, sizeof rec.closed_date, "%s", db_col_isnull(st, 6) ? "" : db_col_text(st, 6));
		rec.data = json_loads(db_col_text(st, 7), 0, NULL);
		if (rec.state >= 0 && metrics_counts(r, m, &rec) && (*total)++ < limit)
			json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?}", "id",
							       (json_int_t)rec.id, "register", r->name, "title",
							       db_col_text(st, 1), "body_name", db_col_text(st, 2), "state",
							       r->states[rec.state].name, "state_label", r->states[rec.state].label,
							       "start_date", rec.start_date, "due_date",
							       rec.due_date[0] ? rec.due_date : NULL, "closed_date",
							       rec.closed_date[0] ? rec.closed_date : NULL));
		json_decref(rec.data);
	}
	db_done(st);
	if (rc != DB_DONE) { /* a partial list is no answer */
		json_decref(items);
		fz_store(e, d);
		return NULL;
	}
	return items;
}
