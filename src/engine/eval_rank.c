/*
 * eval_rank.c — the ranking of a region's subregions: each evaluated for
 * the year by eval_run and ordered by total, highest first. The ranking
 * answered by GET /api/v1/evaluation/compare and printed in the 通报 is
 * this one.
 */
#include "eval.h"

#include <stdio.h>

/* The level-1 areas of an evaluation: [{id, name, score, max}]. */
static json_t *areas_of(json_t *out)
{
	json_t *areas = json_array(), *it;
	size_t k;
	json_array_foreach(json_object_get(out, "indicators"), k, it)
		if (json_integer_value(json_object_get(it, "level")) == 1)
			json_array_append_new(areas, json_pack("{s:O, s:O, s:O, s:O}", "id", json_object_get(it, "id"), "name",
							       json_object_get(it, "name"), "score", json_object_get(it, "score"),
							       "max", json_object_get(it, "max")));
	return areas;
}

/* Orders rows by total, highest first; equal totals keep their order
 * (insertion sort: at most EVAL_RANK_MAX rows). */
static void by_total(json_t *rows)
{
	for (size_t i = 1; i < json_array_size(rows); i++)
		for (size_t j = i; j > 0; j--) {
			double p = json_number_value(json_object_get(json_array_get(rows, j - 1), "total"));
			double q = json_number_value(json_object_get(json_array_get(rows, j), "total"));
			if (p >= q)
				break;
			json_t *t = json_incref(json_array_get(rows, j));
			json_array_set(rows, j, json_array_get(rows, j - 1));
			json_array_set_new(rows, j - 1, t);
		}
}

json_t *eval_rank(db *d, const struct indicator_system *s, const char *region_code, int year, struct fz_err *e)
{
	char codes[EVAL_RANK_MAX][16];
	int n = 0, rc;
	db_stmt *st = db_prepare(d, "SELECT code FROM regions WHERE parent_code = $1 ORDER BY code");
	db_bind_text(st, 1, region_code);
	while ((rc = st ? db_step(st) : DB_ERR) == DB_ROW && n < EVAL_RANK_MAX)
		snprintf(codes[n++], sizeof codes[0], "%s", db_col_text(st, 0));
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE) {
		fz_store(e, d);
		return NULL;
	}
	json_t *rows = json_array();
	for (int i = 0; i < n; i++) {
		struct fz_err ignore = { 0 };
		json_t *out;
		if (eval_run(d, s, codes[i], year, &out, &ignore) != 0)
			continue;
		/* each total with its scale and what is not scored yet */
		json_array_append_new(rows, json_pack("{s:s, s:O, s:O, s:O, s:O, s:O, s:o}", "region", codes[i], "region_name",
						      json_object_get(out, "region_name"), "total", json_object_get(out, "total"),
						      "max", json_object_get(out, "max"), "pending", json_object_get(out, "pending"),
						      "below", json_object_get(out, "below"), "areas", areas_of(out)));
		json_decref(out);
	}
	by_total(rows);
	return rows;
}
