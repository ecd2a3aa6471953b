/*
 * overview.c — the coordinator's view of 涉企行政检查 in a year, within the
 * caller's scope: GET /api/v1/registers/inspection/overview?year=YYYY.
 * Counts the inspections carried out (报备 and after, not cancelled) by
 * start year — the same population as the register's metrics (1.3.x) —
 * and answers the shares the indicator system asks for (双随机 among
 * routine checks, joint among all), the ratings and complaints, each
 * body's figures, the enterprises inspected most, and every (enterprise,
 * body) pair over its yearly cap — the pair's 报备 that passed the cap
 * applying then (cap.c marks it, as 1.3.3 counts it): a pair, never a
 * regional average, so an over-inspected firm shows by name.
 */
#include "api/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cntime.h"
#include "domain/inspection/inspection.h"

#define ENTITY "inspection"
#define TOP_ENTERPRISES 20
#define MAX_ROWS 200000 /* a year's inspections in one scope; past it: 413 */

/* One inspection as the overview counts it. */
struct row {
	int64_t firm, body;
	int routine, random, joint, rating, complained;
	int over; /* the 报备 that passed the cap: its year ordinal, else 0 */
};

struct tally {
	int total, routine, random, joint, rated, complained, rating_sum, ratings[5];
};

static void count(struct tally *t, const struct row *x)
{
	t->total++;
	t->routine += x->routine;
	t->random += x->random;
	t->joint += x->joint;
	t->complained += x->complained;
	if (x->rating >= 1 && x->rating <= 5) {
		t->rated++;
		t->rating_sum += x->rating;
		t->ratings[x->rating - 1]++;
	}
}

static json_t *tally_json(const struct tally *t)
{
	json_t *dist = json_array();
	for (int i = 0; i < 5; i++)
		json_array_append_new(dist, json_integer(t->ratings[i]));
	return json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:o, s:o, s:o, s:o}", "total", t->total, "routine", t->routine,
			 "random", t->random, "joint", t->joint, "rated", t->rated, "complained", t->complained,
			 "random_share", t->routine ? json_real((double)t->random / t->routine) : json_null(),
			 "joint_share", t->total ? json_real((double)t->joint / t->total) : json_null(),
			 "rating_avg", t->rated ? json_real((double)t->rating_sum / t->rated) : json_null(),
			 "ratings", dist);
}

static int by_firm_body(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (x->firm != y->firm)
		return x->firm < y->firm ? -1 : 1;
	return x->body < y->body ? -1 : x->body > y->body;
}

/* The year's inspections in scope into *out (*n of them); -1 on a store
 * error, -2 past MAX_ROWS. */
static int load(struct api *a, int year, struct row **out, int *n)
{
	char from[11], to[11];
	snprintf(from, sizeof from, "%04d-01-01", year);
	snprintf(to, sizeof to, "%04d-12-31", year);
	struct query q;
	query_init(&q, "SELECT r.body_id, r.data FROM records r WHERE r.register = '" ENTITY "'"
		       " AND r.state NOT IN ('plan', 'cancelled')");
	query_add(&q, " AND r.start_date >= ? AND r.start_date <= ?", "ss", from, to);
	scope_filter(&q, &a->user, "r.region_path", "r.body_id");
	db_stmt *st = query_prepare(a->db, &q);
	int rc = st ? db_step(st) : DB_ERR, cap = 0;
	*out = NULL;
	*n = 0;
	for (; rc == DB_ROW; rc = db_step(st)) {
		if (*n == cap) {
			struct row *g = *n >= MAX_ROWS ? NULL : realloc(*out, (size_t)(cap = cap ? cap * 2 : 256) * sizeof *g);
			if (!g) {
				rc = *n >= MAX_ROWS ? -2 : DB_ERR;
				break;
			}
			*out = g;
		}
		json_t *o = json_loads(db_col_text(st, 1), 0, NULL);
		const char *kind = json_string_value(json_object_get(o, "inspection_kind"));
		const char *joint = json_string_value(json_object_get(o, "joint"));
		(*out)[(*n)++] = (struct row){
			.firm = json_integer_value(json_object_get(o, "enterprise")), .body = db_col_int(st, 0),
			.routine = insp_routine(kind), .random = kind && strcmp(kind, "随机抽查") == 0,
			.joint = joint && strcmp(joint, "是") == 0, .rating = (int)json_integer_value(json_object_get(o, "rating")),
			.complained = json_string_value(json_object_get(o, "complaint")) != NULL,
		};
		const char *over = json_string_value(json_object_get(o, "pair_over_cap"));
		if (over && strcmp(over, "是") == 0)
			(*out)[*n - 1].over = (int)json_integer_value(json_object_get(o, "year_ordinal"));
		json_decref(o);
	}
	db_done(st);
	query_free(&q);
	return rc == DB_DONE ? 0 : rc == -2 ? -2 : -1;
}

/* A name by id from table (subjects or bodies) with its code column. */
static json_t *named(struct api *a, const char *sql, int64_t id)
{
	db_stmt *st = db_prepare(a->db, sql);
	json_t *o = NULL;
	if (st) {
		db_bind_int(st, 1, id);
		if (db_step(st) == DB_ROW)
			o = json_pack("{s:I, s:s, s:s?}", "id", (json_int_t)id, "name", db_col_text(st, 0), "code",
				      db_col_text(st, 1));
	}
	db_done(st);
	return o ? o : json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", "—");
}
#define FIRM_SQL "SELECT name, uscc FROM subjects WHERE id = $1"
#define BODY_SQL "SELECT name, code FROM bodies WHERE id = $1"

struct firm {
	int64_t id;
	int total, bodies, most;
};

static int by_total(const void *a, const void *b)
{
	const struct firm *x = a, *y = b;
	if (x->total != y->total)
		return y->total - x->total;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* rows sorted by (firm, body): the pairs that passed their cap (over_cap,
 * with the cap then), per firm its totals (the most inspected first). */
static void firms(struct api *a, const struct row *rows, int n, json_t *over, json_t *top)
{
	struct firm *f = calloc((size_t)n + 1, sizeof *f);
	int nf = 0;
	for (int i = 0; f && i < n;) {
		int j = i, routine = 0, cap = 0;
		for (; j < n && rows[j].firm == rows[i].firm && rows[j].body == rows[i].body; j++) {
			routine += rows[j].routine;
			if (rows[j].over)
				cap = rows[j].over - 1;
		}
		if (cap > 0)
			json_array_append_new(over, json_pack("{s:o, s:o, s:i, s:i}", "enterprise", named(a, FIRM_SQL, rows[i].firm),
				"body", named(a, BODY_SQL, rows[i].body), "routine", routine, "cap", cap));
		if (!nf || f[nf - 1].id != rows[i].firm)
			f[nf++] = (struct firm){ .id = rows[i].firm };
		f[nf - 1].total += j - i;
		f[nf - 1].bodies++;
		if (j - i > f[nf - 1].most)
			f[nf - 1].most = j - i;
		i = j;
	}
	if (f)
		qsort(f, (size_t)nf, sizeof *f, by_total);
	for (int i = 0; f && i < nf && i < TOP_ENTERPRISES; i++)
		json_array_append_new(top, json_pack("{s:o, s:i, s:i, s:i}", "enterprise", named(a, FIRM_SQL, f[i].id), "total",
						     f[i].total, "bodies", f[i].bodies, "most_by_one_body", f[i].most));
	free(f);
}

/* Per body: its tally, in body id order. */
static json_t *bodies(struct api *a, struct row *rows, int n)
{
	json_t *out = json_array();
	int64_t *ids = malloc(((size_t)n + 1) * sizeof *ids);
	int nb = 0;
	for (int i = 0; ids && i < n; i++) {
		int k = 0;
		while (k < nb && ids[k] != rows[i].body)
			k++;
		if (k == nb)
			ids[nb++] = rows[i].body;
	}
	for (int k = 0; ids && k < nb; k++) {
		struct tally t = { 0 };
		for (int i = 0; i < n; i++)
			if (rows[i].body == ids[k])
				count(&t, &rows[i]);
		json_t *o = tally_json(&t);
		json_object_set_new(o, "body", named(a, BODY_SQL, ids[k]));
		json_array_append_new(out, o);
	}
	free(ids);
	return out;
}

static void overview(struct api *a)
{
	const struct reg_def *r = register_find(ENTITY);
	struct fz_err ye = { 0 };
	int year;
	if (!r) {
		api_not_found(a);
		return;
	}
	if (api_query_year(a, &year, &ye) != 0) {
		api_fail(a, &ye);
		return;
	}
	struct row *rows;
	int n, rc = load(a, year, &rows, &n);
	if (rc != 0) {
		free(rows);
		struct fz_err e = { 0 };
		if (rc == -2)
			fz_fail(&e, 413, "too_many", "year", "该年度范围内的检查超过 %d 件，无法汇总", MAX_ROWS);
		else
			fz_store(&e, a->db);
		api_fail(a, &e);
		return;
	}
	struct tally all = { 0 };
	for (int i = 0; i < n; i++)
		count(&all, &rows[i]);
	if (n > 0) /* none in scope: rows is NULL, and qsort wants an array */
		qsort(rows, (size_t)n, sizeof *rows, by_firm_body);
	struct rec_ctx c;
	api_rec_ctx(a, &c);
	int cap = domain_setting(&c, r, "cap_per_year");
	json_t *over = json_array(), *top = json_array();
	firms(a, rows, n, over, top);
	json_t *out = json_pack("{s:i, s:i, s:o, s:o, s:o, s:o}", "year", year, "cap_per_year", cap, "totals",
				tally_json(&all), "bodies", bodies(a, rows, n), "over_cap", over, "enterprises", top);
	free(rows);
	api_json(a, 200, out);
}

API_ROUTES(inspection_overview, { "GET", "/api/v1/registers/inspection/overview", overview, PERM_RECORD_READ, 0 })
