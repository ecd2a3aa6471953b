/*
 * board_rankings.c — the coordinator's board ranks the bodies in scope
 * under a region by the rates the registers declare ("rankings": 败诉率,
 * 纠错率, 按期答复率…), over one year: each body's two sums from the
 * metric counters, worst first.
 */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "register.h"
#include "scope.h"

/* The names of the bodies in the caller's scope under path: {id: name};
 * NULL on a store error (no ranking from a partial list). */
static json_t *bodies_in_scope(struct api *a, const char *path)
{
	struct query q;
	json_t *names = json_object();
	query_init(&q, "SELECT b.id, b.name FROM bodies b WHERE 1 = 1");
	scope_subtree(&q, "b.region_path", path);
	scope_filter(&q, &a->user, "b.region_path", "b.id");
	db_stmt *st = query_prepare(a->db, &q);
	query_free(&q);
	int rc = DB_ERR;
	while (st && (rc = db_step(st)) == DB_ROW) {
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)db_col_int(st, 0));
		json_object_set_new(names, id, json_string(db_col_text(st, 1)));
	}
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(names);
		return NULL;
	}
	return names;
}

/* Higher rate first, then the larger denominator (a cross-multiplied
 * comparison: no division). */
static int higher_first(const void *x, const void *y)
{
	const struct metric_pair *p = x, *q = y;
	int64_t l = p->a * q->b, r = q->a * p->b;
	if (l != r)
		return l > r ? -1 : 1;
	return p->b > q->b ? -1 : p->b < q->b;
}

static int lower_first(const void *x, const void *y)
{
	const struct metric_pair *p = x, *q = y;
	int64_t l = p->a * q->b, r = q->a * p->b;
	if (l != r)
		return l < r ? -1 : 1;
	return p->b > q->b ? -1 : p->b < q->b;
}

static json_t *ranking(struct api *a, const struct reg_def *r, const struct reg_ranking *k, const char *path,
		       int year, json_t *names)
{
	char from[11], to[11];
	struct metric_pair *rows;
	int n, kept = 0;
	snprintf(from, sizeof from, "%04d-01-01", year);
	snprintf(to, sizeof to, "%04d-12-31", year);
	if (metrics_pair_by_body(a->db, path, from, to, k->numerator, k->denominator, &rows, &n) != 0)
		return NULL;
	for (int i = 0; i < n; i++) { /* the bodies in scope with a denominator */
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)rows[i].body_id);
		if (rows[i].b > 0 && json_object_get(names, id))
			rows[kept++] = rows[i];
	}
	if (kept > 1) /* worst first */
		qsort(rows, (size_t)kept, sizeof *rows, k->lower_is_better ? higher_first : lower_first);
	json_t *items = json_array();
	for (int i = 0; i < kept; i++) {
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)rows[i].body_id);
		json_array_append_new(items, json_pack("{s:I, s:O, s:I, s:I, s:f}", "body_id", (json_int_t)rows[i].body_id,
						       "body_name", json_object_get(names, id), "numerator", (json_int_t)rows[i].a,
						       "denominator", (json_int_t)rows[i].b, "rate", (double)rows[i].a / (double)rows[i].b));
	}
	free(rows);
	const struct reg_metric *num = metrics_find(k->numerator, NULL), *den = metrics_find(k->denominator, NULL);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:o}", "name", k->name, "label", k->label, "register", r->name,
			 "numerator_label", num->label, "denominator_label", den->label, "lower_is_better",
			 k->lower_is_better, "items", items);
}

json_t *board_rankings(struct api *a, const char *path, int year)
{
	json_t *out = json_array(), *names = bodies_in_scope(a, path);
	if (!names) {
		json_decref(out);
		return NULL;
	}
	for (int i = 0; i < register_count(); i++) {
		const struct reg_def *r = register_at(i);
		for (int k = 0; k < r->nrankings; k++) {
			json_t *one = ranking(a, r, &r->rankings[k], path, year, names);
			if (!one) {
				json_decref(out), json_decref(names);
				return NULL;
			}
			json_array_append_new(out, one);
		}
	}
	json_decref(names);
	return out;
}
